package org.allium.tor;

import org.allium.tor.api.ExternalTorSettings;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.Tor;
import org.allium.tor.api.TorException;
import org.allium.tor.api.TorState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SAFECOOKIE against a fake control port on real TCP: a server that knows the cookie is
 * authenticated with the right client hash; a squatter that does not gets nothing but our
 * random nonce — no AUTHENTICATE, no command after it.
 */
class SafeCookieTest {
    private static final byte[] COOKIE = new byte[32];
    private static final byte[] SERVER_NONCE = new byte[32];

    static {
        Arrays.fill(COOKIE, (byte) 0x5a);
        Arrays.fill(SERVER_NONCE, (byte) 0x11);
    }

    @TempDir
    Path dir;

    /** A one-connection control port: answers AUTHCHALLENGE with {@code serverCookie}'s hash, records every line. */
    private static final class FakeControlPort implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final List<String> lines = new CopyOnWriteArrayList<>();
        volatile byte[] clientNonce;

        FakeControlPort(byte[] serverCookie) throws IOException {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                     OutputStream out = s.getOutputStream()) {
                    for (String l; (l = in.readLine()) != null; ) {
                        lines.add(l);
                        String reply;
                        if (l.startsWith("AUTHCHALLENGE SAFECOOKIE ")) {
                            clientNonce = HexFormat.of().parseHex(l.substring(25));
                            byte[] hash = AlliumControlConnection.safeCookieHash(AlliumControlConnection.SERVER_HASH_KEY,
                                    serverCookie, clientNonce, SERVER_NONCE);
                            reply = "250 AUTHCHALLENGE SERVERHASH=" + HexFormat.of().withUpperCase().formatHex(hash)
                                    + " SERVERNONCE=" + HexFormat.of().withUpperCase().formatHex(SERVER_NONCE) + "\r\n";
                        } else if (l.startsWith("AUTHENTICATE ")) {
                            byte[] expected = AlliumControlConnection.safeCookieHash(AlliumControlConnection.CLIENT_HASH_KEY,
                                    serverCookie, clientNonce, SERVER_NONCE);
                            reply = Arrays.equals(expected, HexFormat.of().parseHex(l.substring(13)))
                                    ? "250 OK\r\n" : "515 Authentication failed\r\n";
                        } else if (l.startsWith("GETINFO status/bootstrap-phase")) {
                            reply = "250-status/bootstrap-phase=NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY=\"Done\"\r\n250 OK\r\n";
                        } else {
                            reply = "250 OK\r\n";
                        }
                        out.write(reply.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (IOException e) {
                    // client went away
                }
            }, "fake-control-port");
            t.setDaemon(true);
            t.start();
        }

        HostPort address() {
            return HostPort.loopback(server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private Path cookieFile() throws IOException {
        return Files.write(dir.resolve("control_auth_cookie"), COOKIE);
    }

    @Test
    void aControlPortThatKnowsTheCookieIsAuthenticated() throws Exception {
        try (FakeControlPort fake = new FakeControlPort(COOKIE)) {
            Tor tor = Tors.external(ExternalTorSettings.withCookie(fake.address(), cookieFile()).withSocks(HostPort.loopback(9)));
            tor.start();
            try {
                assertEquals(TorState.READY, tor.state());
                assertTrue(fake.lines.get(0).matches("AUTHCHALLENGE SAFECOOKIE [0-9A-F]{64}"), fake.lines.toString());
                byte[] clientHash = AlliumControlConnection.safeCookieHash(AlliumControlConnection.CLIENT_HASH_KEY,
                        COOKIE, fake.clientNonce, SERVER_NONCE);
                assertEquals("AUTHENTICATE " + HexFormat.of().withUpperCase().formatHex(clientHash), fake.lines.get(1));
            } finally {
                tor.stop();
            }
        }
    }

    @Test
    void aSquatterWithAWrongServerHashIsRefusedAndLearnsNothing() throws Exception {
        byte[] other = new byte[32];
        Arrays.fill(other, (byte) 0x33);
        try (FakeControlPort fake = new FakeControlPort(other)) {
            Tor tor = Tors.external(ExternalTorSettings.withCookie(fake.address(), cookieFile()).withSocks(HostPort.loopback(9)));
            TorException e = assertThrows(TorException.class, tor::start);
            assertTrue(e.getMessage().contains("could not prove it knows tor's cookie"), e.getMessage());
            assertEquals(TorState.STOPPED, tor.state());
            Thread.sleep(200);
            assertEquals(1, fake.lines.size(), "only our nonce was sent: " + fake.lines);
            String hexCookie = HexFormat.of().formatHex(COOKIE);
            assertTrue(fake.lines.stream().noneMatch(l -> l.toLowerCase(java.util.Locale.ROOT).contains(hexCookie)));
        }
    }

    @Test
    void hashesFollowControlSpec() {
        // HMAC-SHA256 keyed with the spec's constants over cookie | client nonce | server nonce;
        // the expected values were computed independently (Python's hmac module).
        byte[] nonce = new byte[32];
        assertEquals("f1ad658508ed3592fc00acff4b9427f19be0ca196b90ca0da582ed2e186f4c94", HexFormat.of().formatHex(
                AlliumControlConnection.safeCookieHash(AlliumControlConnection.SERVER_HASH_KEY, COOKIE, nonce, SERVER_NONCE)));
        assertEquals("54936f79b0f8e498adec1014f7020f9ae44fd3331f4fc286dadd8e696f18a1eb", HexFormat.of().formatHex(
                AlliumControlConnection.safeCookieHash(AlliumControlConnection.CLIENT_HASH_KEY, COOKIE, nonce, SERVER_NONCE)));
    }
}
