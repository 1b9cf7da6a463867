package org.allium.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control-reply parser against a scripted server speaking the control-port wire format. */
class ControlProbeTest {
    @TempDir
    Path tmp;

    /** Answers each expected command line with the scripted reply; records what it received. */
    private CompletableFuture<List<String>> serve(ServerSocket server, Map<String, String> replies) {
        return CompletableFuture.supplyAsync(() -> {
            List<String> received = new java.util.ArrayList<>();
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = s.getOutputStream();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    received.add(line);
                    String key = line.startsWith("AUTHENTICATE ") ? "AUTHENTICATE" : line;
                    String reply = replies.getOrDefault(key, "510 Unrecognized command\r\n");
                    out.write(reply.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return received;
        });
    }

    private Path cookie(byte[] bytes) throws IOException {
        return Files.write(tmp.resolve("control_auth_cookie"), bytes);
    }

    @Test
    void authenticatesWithTheCookieAndParsesReplies() throws Exception {
        byte[] secret = new byte[32];
        for (int i = 0; i < 32; i++) {
            secret[i] = (byte) (i * 7);
        }
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var received = serve(server, Map.of(
                    "AUTHENTICATE", "250 OK\r\n",
                    "GETINFO status/bootstrap-phase",
                    "250-status/bootstrap-phase=NOTICE BOOTSTRAP PROGRESS=95 TAG=circuit_create SUMMARY=\"Establishing a Tor circuit\"\r\n250 OK\r\n",
                    "GETINFO ns/all",
                    "250+ns/all=\r\nr a AAAA\r\ns Fast\r\n..dot-stuffed line\r\nr b BBBB\r\nr c CCCC\r\n.\r\n250 OK\r\n"));
            try (ControlProbe probe = ControlProbe.open(server.getLocalPort(), cookie(secret))) {
                assertEquals(95, probe.bootstrapProgress());
                assertEquals(3, probe.consensusRouterCount());
                List<String> lines = probe.command("GETINFO ns/all");
                assertTrue(lines.contains(".dot-stuffed line"), lines.toString());
                IOException e = assertThrows(IOException.class, () -> probe.command("BOGUS"));
                assertTrue(e.getMessage().contains("510"), e.getMessage());
            }
            assertEquals("AUTHENTICATE " + HexFormat.of().formatHex(secret), received.get(10, TimeUnit.SECONDS).get(0));
        }
    }

    @Test
    void refusedAuthenticationIsAnError() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serve(server, Map.of("AUTHENTICATE", "515 Authentication failed: Wrong length on authentication cookie.\r\n"));
            IOException e = assertThrows(IOException.class, () -> ControlProbe.open(server.getLocalPort(), cookie(new byte[32])));
            assertTrue(e.getMessage().contains("515"), e.getMessage());
        }
    }

    @Test
    void rejectsACookieOfTheWrongSize() throws Exception {
        IOException e = assertThrows(IOException.class, () -> ControlProbe.open(1, cookie(new byte[31])));
        assertTrue(e.getMessage().contains("31 bytes"), e.getMessage());
    }

    @Test
    void aClosedConnectionIsAnError() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> closer = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write("250 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read(new byte[200]);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (ControlProbe probe = ControlProbe.open(server.getLocalPort(), cookie(new byte[32]))) {
                closer.get(10, TimeUnit.SECONDS);
                assertThrows(IOException.class, probe::bootstrapProgress);
            }
        }
    }
}
