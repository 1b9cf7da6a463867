package org.allium.tor;

import org.allium.tor.api.HostPort;
import org.allium.tor.api.SocksException;
import org.allium.tor.api.SocksFailure;
import org.allium.tor.api.StreamIsolation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Socks5Test {
    private static final byte[] HOST = "abc.onion".getBytes(StandardCharsets.US_ASCII);

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    private static final byte[] CHOOSE_USERPASS = bytes(5, 2);
    private static final byte[] AUTH_OK = bytes(1, 0);
    private static final byte[] SUCCESS_IPV4 = bytes(5, 0, 0, 1, 0, 0, 0, 0, 0, 0);

    @Test
    void sendsIsolationCredentialsAndDomainNameRequest() throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        InputStream replies = new ByteArrayInputStream(concat(CHOOSE_USERPASS, AUTH_OK, SUCCESS_IPV4));
        Socks5.handshake(replies, sent, HOST, 9878, new StreamIsolation("u", "peer-1"));
        byte[] expected = concat(bytes(5, 1, 2),
                bytes(1, 1), "u".getBytes(StandardCharsets.UTF_8), bytes(6), "peer-1".getBytes(StandardCharsets.UTF_8),
                bytes(5, 1, 0, 3, HOST.length), HOST, bytes(9878 >> 8, 9878 & 0xff));
        assertArrayEquals(expected, sent.toByteArray());
    }

    @Test
    void noIsolationOffersNoAuthentication() throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        Socks5.handshake(new ByteArrayInputStream(concat(bytes(5, 0), SUCCESS_IPV4)), sent, HOST, 80, null);
        assertArrayEquals(bytes(5, 1, 0), Arrays.copyOf(sent.toByteArray(), 3));
    }

    @Test
    void acceptsDomainAndIpv6BoundAddresses() throws Exception {
        byte[] domain = concat(bytes(5, 0, 0, 3, 3), "a.b".getBytes(StandardCharsets.US_ASCII), bytes(0, 80));
        Socks5.handshake(new ByteArrayInputStream(concat(bytes(5, 0), domain)), new ByteArrayOutputStream(), HOST, 80, null);
        byte[] v6 = concat(bytes(5, 0, 0, 4), new byte[16], bytes(0, 80));
        Socks5.handshake(new ByteArrayInputStream(concat(bytes(5, 0), v6)), new ByteArrayOutputStream(), HOST, 80, null);
    }

    @ParameterizedTest
    @CsvSource({
            "0xF0, DESCRIPTOR_NOT_FOUND", "0xF1, DESCRIPTOR_INVALID", "0xF2, INTRO_FAILED",
            "0xF3, RENDEZVOUS_FAILED", "0xF4, MISSING_CLIENT_AUTH", "0xF5, WRONG_CLIENT_AUTH",
            "0xF6, BAD_ADDRESS", "0xF7, INTRO_TIMED_OUT",
            "0x01, GENERAL_FAILURE", "0x02, NOT_ALLOWED", "0x03, NETWORK_UNREACHABLE", "0x04, HOST_UNREACHABLE",
            "0x05, CONNECTION_REFUSED", "0x06, TTL_EXPIRED", "0x07, COMMAND_NOT_SUPPORTED",
            "0x08, ADDRESS_TYPE_NOT_SUPPORTED", "0x09, UNKNOWN_REPLY", "0xF8, UNKNOWN_REPLY", "0xFF, UNKNOWN_REPLY"})
    void replyCodesMapToTypedReasons(String code, SocksFailure expected) {
        int c = Integer.decode(code);
        InputStream replies = new ByteArrayInputStream(concat(CHOOSE_USERPASS, AUTH_OK, bytes(5, c, 0, 1, 0, 0, 0, 0, 0, 0)));
        SocksException e = assertThrows(SocksException.class,
                () -> Socks5.handshake(replies, new ByteArrayOutputStream(), HOST, 80, StreamIsolation.of("x")));
        assertEquals(expected, e.reason());
        assertTrue(e.getMessage().contains(String.format("0x%02X", c)), e.getMessage());
    }

    @Test
    void offlineReasonsAreTheRetryableOnes() {
        assertTrue(SocksFailure.DESCRIPTOR_NOT_FOUND.meansOffline());
        assertTrue(SocksFailure.INTRO_FAILED.meansOffline());
        assertTrue(!SocksFailure.MISSING_CLIENT_AUTH.meansOffline());
        assertTrue(!SocksFailure.WRONG_CLIENT_AUTH.meansOffline());
        assertTrue(!SocksFailure.BAD_ADDRESS.meansOffline());
    }

    @Test
    void protocolViolationsAreTyped() {
        assertReason(SocksFailure.PROTOCOL_ERROR, bytes(4, 2));             // wrong version
        assertReason(SocksFailure.PROTOCOL_ERROR, bytes(5, 0xFF));          // no acceptable method
        assertReason(SocksFailure.PROTOCOL_ERROR, bytes(5, 0));             // method we did not offer
        assertReason(SocksFailure.PROTOCOL_ERROR, concat(CHOOSE_USERPASS, bytes(1, 1))); // credentials refused
        assertReason(SocksFailure.PROTOCOL_ERROR, concat(CHOOSE_USERPASS, AUTH_OK, bytes(5, 0, 0, 9))); // bad ATYP
    }

    private static void assertReason(SocksFailure expected, byte[] replies) {
        SocksException e = assertThrows(SocksException.class, () -> Socks5.handshake(new ByteArrayInputStream(replies),
                new ByteArrayOutputStream(), HOST, 80, StreamIsolation.of("x")));
        assertEquals(expected, e.reason());
    }

    @Test
    void truncatedReplyIsAnIoErrorNotAHang() {
        for (int len = 0; len < SUCCESS_IPV4.length; len++) {
            byte[] replies = concat(CHOOSE_USERPASS, AUTH_OK, Arrays.copyOf(SUCCESS_IPV4, len));
            assertThrows(java.io.IOException.class, () -> Socks5.handshake(new ByteArrayInputStream(replies),
                    new ByteArrayOutputStream(), HOST, 80, StreamIsolation.of("x")));
        }
    }

    @Test
    void realSocketSuccessLeavesNoReadTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> fake = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    in.readNBytes(3);
                    out.write(CHOOSE_USERPASS);
                    int ulen = in.readNBytes(2)[1];
                    in.readNBytes(ulen);
                    int plen = in.read();
                    in.readNBytes(plen);
                    out.write(AUTH_OK);
                    in.readNBytes(5 + HOST.length + 2);
                    out.write(SUCCESS_IPV4);
                    out.write("hello".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    in.read(); // wait for the client to close
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket s = Socks5.connect(HostPort.loopback(server.getLocalPort()), "abc.onion", 80,
                    StreamIsolation.of("p"), Duration.ofSeconds(30))) {
                assertEquals(0, s.getSoTimeout());
                assertEquals("hello", new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
            }
            fake.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void silentProxyTimesOut() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SocksException e = assertThrows(SocksException.class, () -> Socks5.connect(
                    HostPort.loopback(server.getLocalPort()), "abc.onion", 80, null, Duration.ofMillis(300)));
            assertEquals(SocksFailure.TIMEOUT, e.reason());
        }
    }

    @Test
    void closedPortIsProxyUnreachable() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
        }
        SocksException e = assertThrows(SocksException.class,
                () -> Socks5.connect(HostPort.loopback(port), "abc.onion", 80, null, Duration.ofSeconds(10)));
        assertEquals(SocksFailure.PROXY_UNREACHABLE, e.reason());
    }
}
