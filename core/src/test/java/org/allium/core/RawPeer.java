package org.allium.core;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.allium.protocol.ClientHandshake;
import org.allium.protocol.FrameReader;
import org.allium.protocol.FrameWriter;
import org.allium.protocol.HandshakeDriver;
import org.allium.protocol.HandshakeResult;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.Limits;
import org.allium.protocol.OnionAddress;
import org.allium.protocol.Scheduler;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.Purpose;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.StreamIsolation;

/**
 * A peer written against PROTOCOL.md rather than through the engine: it dials over a
 * {@link FakeOnionNetwork}, runs the client handshake with the protocol module, then sends
 * whatever the test says — valid Envelopes, invalid ones, raw bytes — and reads Envelopes
 * without any engine logic in between. For conformance tests of the real engine.
 */
final class RawPeer implements AutoCloseable {
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "raw-peer-timers");
        t.setDaemon(true);
        return t;
    });

    final Socket socket;
    final FrameReader reader;
    final FrameWriter writer;
    final HandshakeResult result;

    private RawPeer(Socket socket, FrameReader reader, FrameWriter writer, HandshakeResult result) {
        this.socket = socket;
        this.reader = reader;
        this.writer = writer;
        this.result = result;
    }

    /** A started fake tor of its own on {@code net}, holding {@code credential} for {@code service} if not null. */
    static FakeOnionNetwork.FakeTor tor(FakeOnionNetwork net, String node, OnionAddress service, byte[] credential)
            throws Exception {
        FakeOnionNetwork.FakeTor t = net.newTor(node);
        t.start();
        t.enableNetwork();
        t.awaitBootstrapped(Duration.ofSeconds(5));
        if (credential != null) {
            t.addClientAuth(new ServiceId(service.serviceId()), credential);
        }
        return t;
    }

    /** Just the stream: dialled, nothing sent. */
    static Socket dial(FakeOnionNetwork.FakeTor tor, OnionAddress service) throws Exception {
        Socket s = tor.dial(new ServiceId(service.serviceId()), OnionHost.VIRTUAL_PORT, StreamIsolation.of("raw"),
                Duration.ofSeconds(10));
        s.setSoTimeout((int) FakeNode.LONG.toMillis());
        return s;
    }

    /** Dials {@code service} as {@code me} and completes the handshake (throws as the driver does if refused). */
    static RawPeer connect(FakeOnionNetwork.FakeTor tor, IdentityKeyPair me, OnionAddress service, OnionAddress expected,
                           Purpose purpose, List<Integer> versions) throws Exception {
        Socket s = dial(tor, service);
        FrameReader r = new FrameReader(new BufferedInputStream(s.getInputStream()));
        FrameWriter w = new FrameWriter(s.getOutputStream());
        HandshakeResult res = new HandshakeDriver(Scheduler.of(TIMERS), FakeNode.LONG).run(
                new ClientHandshake(me, service, expected, purpose, versions, new SecureRandom()), r, w, s);
        return new RawPeer(s, r, w, res);
    }

    static RawPeer connect(FakeOnionNetwork.FakeTor tor, IdentityKeyPair me, OnionAddress service, OnionAddress expected,
                           Purpose purpose) throws Exception {
        return connect(tor, me, service, expected, purpose, Limits.SUPPORTED_VERSIONS);
    }

    /** Sends a valid Envelope. */
    void send(Envelope e) throws IOException {
        writer.write(e);
    }

    /** Sends {@code body} framed, without any validation (for Envelopes our own writer refuses to send). */
    void sendUnchecked(byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(new byte[] {(byte) (body.length >>> 24), (byte) (body.length >>> 16), (byte) (body.length >>> 8),
                (byte) body.length});
        out.write(body);
        out.flush();
    }

    void sendBytes(byte[] raw) throws IOException {
        socket.getOutputStream().write(raw);
        socket.getOutputStream().flush();
    }

    /** The next Envelope that is not a KeepAlive; null at the end of the stream. */
    Envelope next() throws IOException {
        while (true) {
            Envelope e = reader.read();
            if (e == null || !e.hasKeepAlive()) {
                return e;
            }
        }
    }

    /** Reads until the peer's Close and returns its code; asserts the stream then ends. */
    CloseCode awaitClose() throws IOException {
        while (true) {
            Envelope e = reader.read();
            if (e == null) {
                throw new AssertionError("the stream ended without a Close");
            }
            if (e.hasClose()) {
                try {
                    if (reader.read() != null) {
                        throw new AssertionError("a frame after Close");
                    }
                } catch (java.net.SocketException reset) {
                    // closed: as good as the end of the stream
                }
                return e.getClose().getCode();
            }
        }
    }

    @Override
    public void close() {
        OnionHost.closeQuietly(socket);
    }
}
