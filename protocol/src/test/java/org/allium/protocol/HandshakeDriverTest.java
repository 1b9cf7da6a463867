package org.allium.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.Purpose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver over real loopback sockets, with a hand-fired scheduler instead of time. */
class HandshakeDriverTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final IdentityKeyPair alice = IdentityKeyPair.generate(RANDOM);
    private final IdentityKeyPair bob = IdentityKeyPair.generate(RANDOM);
    private ExecutorService serverThread;
    private ServerSocket listener;
    private Socket clientSocket;
    private Socket serverSocket;

    @BeforeEach
    void connect() throws IOException {
        serverThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-server"));
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        clientSocket = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        serverSocket = listener.accept();
    }

    @AfterEach
    void close() throws IOException, InterruptedException {
        clientSocket.close();
        serverSocket.close();
        listener.close();
        serverThread.shutdownNow();
        assertTrue(serverThread.awaitTermination(30, TimeUnit.SECONDS));
    }

    private Future<HandshakeResult> runServer(ManualScheduler scheduler, FrameReader reader) {
        return serverThread.submit(() -> new HandshakeDriver(scheduler).run(
                new ServerHandshake(bob, HandshakeTest.serving(bob.address()), RANDOM),
                reader, new FrameWriter(serverSocket.getOutputStream()), serverSocket));
    }

    @Test
    void completesAndRaisesTheCap() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        FrameReader serverReader = new FrameReader(serverSocket.getInputStream());
        Future<HandshakeResult> server = runServer(scheduler, serverReader);
        FrameReader clientReader = new FrameReader(clientSocket.getInputStream());
        HandshakeResult c = new HandshakeDriver(scheduler).run(
                new ClientHandshake(alice, bob.address(), bob.address(), Purpose.CONTACT_SESSION, RANDOM),
                clientReader, new FrameWriter(clientSocket.getOutputStream()), clientSocket);
        HandshakeResult s = server.get(30, TimeUnit.SECONDS);
        assertEquals(alice.address(), s.peer());
        assertEquals(bob.address(), c.peer());
        assertEquals(Limits.MAX_FRAME_POST_AUTH, clientReader.maxFrameLength());
        assertEquals(Limits.MAX_FRAME_POST_AUTH, serverReader.maxFrameLength());
        // Client and server share the scheduler and run at once: one deadline each, the rest step timers.
        int deadlines = 0;
        for (int i = 0; i < scheduler.scheduledCount(); i++) {
            if (scheduler.delayOf(i).equals(Limits.HANDSHAKE_DEADLINE)) {
                deadlines++;
            } else {
                assertEquals(Limits.HANDSHAKE_STEP_TIMEOUT, scheduler.delayOf(i));
            }
        }
        assertEquals(2, deadlines);
        // Every timer was cancelled: firing them now must do nothing.
        for (int i = 0; i < scheduler.scheduledCount(); i++) {
            assertFalse(scheduler.fire(i));
        }
        assertFalse(clientSocket.isClosed());
        // The connection is usable for big frames now.
        Envelope chunk = Samples.all().stream().filter(Envelope::hasFileChunk).findFirst().orElseThrow();
        new FrameWriter(clientSocket.getOutputStream()).write(chunk);
        assertEquals(chunk, serverReader.read());
    }

    @Test
    void silentClientTimesOutWithClose() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        Future<HandshakeResult> server = runServer(scheduler, new FrameReader(serverSocket.getInputStream()));
        scheduler.awaitScheduled(2);
        assertTrue(scheduler.fire(1), "the step timer");
        ExecutionException e = assertThrows(ExecutionException.class, () -> server.get(30, TimeUnit.SECONDS));
        ProtocolException pe = assertInstanceOf(ProtocolException.class, e.getCause());
        assertEquals(CloseCode.TIMEOUT, pe.code());
        assertTrue(serverSocket.isClosed());
        FrameReader clientReader = new FrameReader(clientSocket.getInputStream());
        Envelope close = clientReader.read();
        assertEquals(CloseCode.TIMEOUT, close.getClose().getCode());
        assertNull(clientReader.read(), "then the stream ends");
    }

    @Test
    void silentServerTimesOutOnTheClientToo() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        Future<HandshakeResult> client = serverThread.submit(() -> new HandshakeDriver(scheduler).run(
                new ClientHandshake(alice, bob.address(), bob.address(), Purpose.CONTACT_SESSION, RANDOM),
                new FrameReader(clientSocket.getInputStream()), new FrameWriter(clientSocket.getOutputStream()), clientSocket));
        FrameReader serverReader = new FrameReader(serverSocket.getInputStream());
        assertTrue(serverReader.read().hasHello());
        scheduler.awaitScheduled(2);
        assertTrue(scheduler.fire(1));
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.get(30, TimeUnit.SECONDS));
        assertEquals(CloseCode.TIMEOUT, assertInstanceOf(ProtocolException.class, e.getCause()).code());
        assertEquals(CloseCode.TIMEOUT, serverReader.read().getClose().getCode());
    }

    /**
     * A client that answers each step just before its timeout must not hold the server for
     * steps × 30 s: one deadline covers the whole handshake. Here the client sent Hello at
     * once (its step timer is cancelled) and then stays silent; the deadline still fires.
     */
    @Test
    void oneDeadlineBoundsTheWholeHandshake() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        Future<HandshakeResult> server = runServer(scheduler, new FrameReader(serverSocket.getInputStream()));
        Envelope hello = new ClientHandshake(alice, bob.address(), bob.address(), Purpose.CONTACT_SESSION, RANDOM).start();
        new FrameWriter(clientSocket.getOutputStream()).write(hello);
        FrameReader clientReader = new FrameReader(clientSocket.getInputStream());
        assertTrue(clientReader.read().hasChallenge());
        scheduler.awaitScheduled(3); // deadline, step 1 (cancelled), step 2
        assertEquals(Limits.HANDSHAKE_DEADLINE, scheduler.delayOf(0));
        assertFalse(scheduler.fire(1), "the first step's timer was cancelled when Hello came");
        assertTrue(scheduler.fire(0), "the deadline is armed for the whole handshake");
        ExecutionException e = assertThrows(ExecutionException.class, () -> server.get(30, TimeUnit.SECONDS));
        assertEquals(CloseCode.TIMEOUT, assertInstanceOf(ProtocolException.class, e.getCause()).code());
        assertEquals(CloseCode.TIMEOUT, clientReader.read().getClose().getCode());
        assertTrue(Limits.HANDSHAKE_DEADLINE.compareTo(Limits.HANDSHAKE_STEP_TIMEOUT.multipliedBy(2)) < 0,
                "the deadline is shorter than two steps");
    }

    @Test
    void failureOnOneSideIsAClosedConnectionWithReasonOnTheOther() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        Future<HandshakeResult> server = runServer(scheduler, new FrameReader(serverSocket.getInputStream()));
        IdentityKeyPair someoneElse = IdentityKeyPair.generate(RANDOM);
        // The client expects someone else behind Bob's onion: it refuses the challenge.
        ProtocolException clientError = assertThrows(ProtocolException.class, () -> new HandshakeDriver(scheduler).run(
                new ClientHandshake(alice, bob.address(), someoneElse.address(), Purpose.CONTACT_SESSION, RANDOM),
                new FrameReader(clientSocket.getInputStream()), new FrameWriter(clientSocket.getOutputStream()), clientSocket));
        assertEquals(CloseCode.AUTH_FAILED, clientError.code());
        assertTrue(clientSocket.isClosed());
        ExecutionException e = assertThrows(ExecutionException.class, () -> server.get(30, TimeUnit.SECONDS));
        PeerClosedException closed = assertInstanceOf(PeerClosedException.class, e.getCause());
        assertEquals(CloseCode.AUTH_FAILED, closed.code());
    }

    @Test
    void garbageBeforeAuthenticationIsClosedWithProtocolError() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        Future<HandshakeResult> server = runServer(scheduler, new FrameReader(serverSocket.getInputStream()));
        clientSocket.getOutputStream().write(new byte[] {0, 1, 0, 0}); // 65536 > pre-auth cap
        ExecutionException e = assertThrows(ExecutionException.class, () -> server.get(30, TimeUnit.SECONDS));
        assertEquals(CloseCode.FRAME_TOO_LARGE, assertInstanceOf(FormatException.class, e.getCause()).code());
        assertEquals(CloseCode.FRAME_TOO_LARGE, new FrameReader(clientSocket.getInputStream()).read().getClose().getCode());
    }

    @Test
    void streamEndingDuringTheHandshakeFails() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        Future<HandshakeResult> server = runServer(scheduler, new FrameReader(serverSocket.getInputStream()));
        clientSocket.shutdownOutput();
        ExecutionException e = assertThrows(ExecutionException.class, () -> server.get(30, TimeUnit.SECONDS));
        assertInstanceOf(FormatException.class, e.getCause());
    }
}
