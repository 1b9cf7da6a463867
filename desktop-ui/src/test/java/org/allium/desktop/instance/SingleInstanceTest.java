package org.allium.desktop.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a second start on the same profile hands over to the first (which shows its
 * window) instead of failing on the profile lock; a socket left by a killed app is taken over;
 * nothing but the one word is acted on.
 */
class SingleInstanceTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondStartOnTheSameProfileAsksTheFirstToShowItself() throws Exception {
        Path socket = SingleInstance.socketFor(tmp.resolve("profile"), Map.of(), tmp);
        Semaphore shown = new Semaphore(0);
        try (SingleInstance first = SingleInstance.claim(socket, shown::release)) {
            assertNotNull(first);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
            assertNull(SingleInstance.claim(socket, () -> { throw new AssertionError("not the second"); }),
                    "the second start hands over");
            assertTrue(shown.tryAcquire(10, TimeUnit.SECONDS), "the first was asked to show itself");
            assertNull(SingleInstance.claim(socket, () -> { }), "and again");
            assertTrue(shown.tryAcquire(10, TimeUnit.SECONDS));
            // Another profile is another app.
            Path other = SingleInstance.socketFor(tmp.resolve("other-profile"), Map.of(), tmp);
            try (SingleInstance second = SingleInstance.claim(other, () -> { })) {
                assertNotNull(second);
            }
        }
        assertFalse(Files.exists(socket), "closing removes the socket");
    }

    @Test
    void aSocketLeftByAKilledAppIsTakenOver() throws Exception {
        Path socket = SingleInstance.socketFor(tmp.resolve("profile"), Map.of(), tmp);
        Files.createDirectories(socket.getParent());
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(socket));
        dead.close(); // the file stays, nobody listens
        assertTrue(Files.exists(socket));
        try (SingleInstance s = SingleInstance.claim(socket, () -> { })) {
            assertNotNull(s, "taken over, not refused");
        }
    }

    @Test
    void anythingButTheOneWordIsIgnored() throws Exception {
        Path socket = SingleInstance.socketFor(tmp.resolve("profile"), Map.of(), tmp);
        AtomicInteger shown = new AtomicInteger();
        try (SingleInstance s = SingleInstance.claim(socket, shown::incrementAndGet)) {
            for (String junk : new String[] {"SHOW\n", "show now\n", "x".repeat(64), "show"}) {
                try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                    ByteBuffer reply = ByteBuffer.allocate(8);
                    try {
                        c.write(ByteBuffer.wrap(junk.getBytes(StandardCharsets.US_ASCII)));
                        c.shutdownOutput();
                        while (c.read(reply) > 0) {
                            // drain until the other side closes
                        }
                    } catch (java.io.IOException e) {
                        // closed on us while writing the rest: refused, as it should be
                    }
                    assertEquals(0, reply.position(), "no answer to " + junk.strip());
                }
            }
            assertEquals(0, shown.get());
        }
    }

    @Test
    void aClientThatSaysNothingDoesNotBlockTheNextStart() throws Exception {
        Path socket = SingleInstance.socketFor(tmp.resolve("profile"), Map.of(), tmp);
        Semaphore shown = new Semaphore(0);
        try (SingleInstance first = SingleInstance.claim(socket, shown::release);
                SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            assertNotNull(first);
            // The silent client holds the acceptor until its read times out, then the next start is served.
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
                assertNull(SingleInstance.claim(socket, () -> { }), "handed over, not a second instance");
                assertTrue(shown.tryAcquire(10, TimeUnit.SECONDS), "the first was asked to show itself");
            });
            // The silent client was dropped: its read ends.
            ByteBuffer b = ByteBuffer.allocate(1);
            assertEquals(-1, silent.read(b));
        }
    }

    @Test
    void aFirstInstanceThatNeverAnswersDoesNotHoldTheSecondStart() throws Exception {
        Path socket = SingleInstance.socketFor(tmp.resolve("profile"), Map.of(), tmp);
        Files.createDirectories(socket.getParent());
        try (ServerSocketChannel hung = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            hung.bind(UnixDomainSocketAddress.of(socket));
            // It accepts (the kernel's backlog) but never reads nor answers.
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                    () -> assertNull(SingleInstance.claim(socket, () -> { }), "someone is there: hand over"));
        }
    }

    @Test
    void theSocketNamesNoPath() {
        Path p = SingleInstance.socketFor(Path.of("/home/ana/.local/share/allium/profiles/newsroom"),
                Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), Path.of("/home/ana/.config/allium"));
        assertEquals(Path.of("/run/user/1000/allium"), p.getParent());
        assertTrue(p.getFileName().toString().matches("desktop-[0-9a-f]{16}\\.sock"), p.toString());
        assertFalse(p.toString().contains("newsroom"));
        assertEquals(Path.of("/home/ana/.config/allium/run"), SingleInstance.socketFor(Path.of("/p"), Map.of(),
                Path.of("/home/ana/.config/allium")).getParent());
    }
}
