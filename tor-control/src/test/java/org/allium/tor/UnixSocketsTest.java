package org.allium.tor;

import org.allium.tor.api.SocketDirectory;
import org.allium.tor.api.TargetListener;
import org.allium.tor.api.UnixSocketPath;
import org.allium.tor.api.UnixStreamSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unix sockets behind the Socket API, their private directory, and the scrubbed child environment. */
class UnixSocketsTest {
    @TempDir
    Path dir;

    @Test
    void bytesFlowBothWaysAtOnceWithReadTimeoutsAndCloseWakesTheReader() throws Exception {
        Path sockets = SocketDirectory.create(dir.resolve("s"));
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(sockets));
        try (TargetListener l = TargetListener.unix(sockets)) {
            UnixSocketPath where = (UnixSocketPath) l.address();
            assertTrue(where.path().getFileName().toString().matches("o-[0-9a-f]{12}"), where.toString());
            assertTrue(where.torSyntax().startsWith("unix:/"));
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return l.accept();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket a = where.connect(Duration.ofSeconds(5)); Socket b = accepted.get(5, TimeUnit.SECONDS)) {
                a.setTcpNoDelay(true); // accepted and ignored: there is no TCP underneath
                // 4 MB each way at the same time: a writer never waits for the other side's reader.
                byte[] big = new byte[4 << 20];
                for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
                CompletableFuture<Void> aWrites = write(a, big);
                CompletableFuture<Void> bWrites = write(b, big);
                assertArrayEquals(big, a.getInputStream().readNBytes(big.length));
                assertArrayEquals(big, b.getInputStream().readNBytes(big.length));
                aWrites.get(10, TimeUnit.SECONDS);
                bWrites.get(10, TimeUnit.SECONDS);

                // SO_TIMEOUT as on TCP: a timeout, and the socket still works afterwards.
                b.setSoTimeout(200);
                assertEquals(200, b.getSoTimeout());
                long t0 = System.nanoTime();
                assertThrows(SocketTimeoutException.class, () -> b.getInputStream().read());
                assertTrue(System.nanoTime() - t0 >= 150_000_000L);
                a.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), b.getInputStream().readNBytes(2));

                // available() sees what has arrived without blocking, and the bytes are read in order after it.
                assertEquals(0, b.getInputStream().available());
                a.getOutputStream().write(new byte[] {1, 2, 3});
                long until = System.nanoTime() + 5_000_000_000L;
                while (b.getInputStream().available() == 0 && System.nanoTime() < until) Thread.sleep(5);
                assertEquals(3, b.getInputStream().available());
                a.getOutputStream().write(4);
                assertArrayEquals(new byte[] {1, 2, 3, 4}, b.getInputStream().readNBytes(4));

                // close() from another thread wakes a blocked reader.
                b.setSoTimeout(0);
                CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
                    try {
                        return b.getInputStream().read();
                    } catch (SocketException e) {
                        return -2;
                    } catch (IOException e) {
                        return -3;
                    }
                });
                Thread.sleep(200);
                assertFalse(blocked.isDone());
                b.close();
                assertEquals(-2, blocked.get(5, TimeUnit.SECONDS));
                assertTrue(b.isClosed());
                // The other end sees the end of the stream.
                assertEquals(-1, a.getInputStream().read());
            }
        }
        try (var left = Files.list(sockets)) {
            assertEquals(0, left.count(), "a closed listener removes its socket file");
        }
    }

    private static CompletableFuture<Void> write(Socket s, byte[] data) {
        return CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int off = 0; off < data.length; off += 65536) out.write(data, off, Math.min(65536, data.length - off));
                out.flush();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void aPathTooLongForSunPathFallsBackToAPrivateRuntimeDirectory() throws Exception {
        Path deep = dir.resolve("x".repeat(60)).resolve("y".repeat(40)).resolve("sockets");
        assertFalse(SocketDirectory.suitable(deep));
        Path runtime = Files.createDirectories(dir.resolve("run"));
        Map<String, String> env = new HashMap<>();
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        Path chosen = SocketDirectory.create(deep, env);
        assertEquals(runtime, chosen.getParent());
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(chosen));
        assertTrue(SocketDirectory.suitable(chosen));
        assertFalse(Files.exists(deep));
        // A path tor would split (blank) or misread (comma) is not used either.
        assertFalse(SocketDirectory.suitable(Path.of("/home/John Doe/.allium")));
        assertFalse(SocketDirectory.suitable(Path.of("/home/a,b/.allium")));
        assertTrue(SocketDirectory.suitable(Path.of("/home/alice/.local/share/allium/p/tor/sockets")));
        // An existing directory that others could read is made private again.
        Path open = Files.createDirectories(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        SocketDirectory.create(open, env);
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(open));
    }

    @Test
    void connectingToNothingFailsAtOnce() {
        assertThrows(IOException.class, () -> UnixStreamSocket.connect(dir.resolve("none")));
    }

    @Test
    void everyAlliumVariableIsRemovedFromTorsEnvironment() {
        Map<String, String> env = new HashMap<>(Map.of("ALLIUM_PASSPHRASE", "secret", "allium_token", "t",
                "ALLIUM_TOR", "/usr/bin/tor", "PATH", "/usr/bin", "HOME", "/home/u"));
        OwnTor.scrubEnvironment(env);
        assertEquals(Map.of("PATH", "/usr/bin", "HOME", "/home/u"), env);
    }
}
