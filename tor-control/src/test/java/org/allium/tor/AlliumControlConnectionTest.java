package org.allium.tor;

import org.allium.tor.api.HostPort;
import org.allium.tor.api.OnionServiceSpec;
import org.allium.tor.api.PowSettings;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.TorCommandException;
import org.allium.tor.api.TorException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.time.Duration;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control connection against a scripted peer speaking the control protocol's reply format. */
class AlliumControlConnectionTest {
    private static final ServiceId ID = new ServiceId("vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd");
    private static final byte[] KEY = new byte[64];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private Thread peer;

    /** Starts a peer that answers each command line with {@code script.apply(line)}. */
    private AlliumControlConnection connect(Function<String, String> script) throws IOException {
        PipedOutputStream toClient = new PipedOutputStream();
        PipedInputStream clientIn = new PipedInputStream(toClient, 65536);
        PipedInputStream peerIn = new PipedInputStream(65536);
        PipedOutputStream clientOut = new PipedOutputStream(peerIn);
        peer = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(peerIn, StandardCharsets.US_ASCII));
                 OutputStream out = toClient) {
                String line;
                while ((line = r.readLine()) != null) {
                    received.add(line);
                    out.write(script.apply(line).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException e) {
                // The client closed its end.
            }
        }, "fake-control-peer");
        peer.setDaemon(true);
        peer.start();
        AlliumControlConnection c = new AlliumControlConnection(clientIn, clientOut);
        c.launchThread(true);
        return c;
    }

    @AfterEach
    void stopPeer() throws InterruptedException {
        if (peer != null) {
            peer.interrupt();
            peer.join(1000);
        }
    }

    private static OnionServiceSpec.Builder spec() {
        return OnionServiceSpec.builder(KEY, ID, 9878, HostPort.loopback(40000));
    }

    @Test
    void addOnionArgumentsPlain() {
        String args = AlliumControlConnection.addOnionArguments(spec().build(), true);
        assertEquals("ED25519-V3:" + Base64.getEncoder().encodeToString(KEY) + " Flags=DiscardPK Port=9878,127.0.0.1:40000", args);
    }

    @Test
    void addOnionArgumentsWithEveryExtra() {
        byte[] pub = new byte[32];
        OnionServiceSpec s = spec().clientAuth(pub).maxStreams(8, true).pow(new PowSettings(10, 100)).build();
        String args = AlliumControlConnection.addOnionArguments(s, true);
        assertTrue(args.contains(" Flags=DiscardPK,V3Auth,MaxStreamsCloseCircuit "), args);
        assertTrue(args.contains(" MaxStreams=8 "), args);
        assertTrue(args.contains(" ClientAuthV3=" + "a".repeat(52) + " "), args);
        assertTrue(args.contains(" PoWDefensesEnabled=1 PoWQueueRate=10 PoWQueueBurst=100 "), args);
        assertTrue(args.endsWith(" Port=9878,127.0.0.1:40000"), args);
        String withoutPow = AlliumControlConnection.addOnionArguments(s, false);
        assertFalse(withoutPow.contains("PoW"), withoutPow);
    }

    @Test
    void maxStreamsWithoutCloseCircuitHasNoFlag() {
        String args = AlliumControlConnection.addOnionArguments(spec().maxStreams(3, false).build(), true);
        assertTrue(args.contains(" Flags=DiscardPK MaxStreams=3 "), args);
    }

    @Test
    void addOnionParsesServiceId() throws Exception {
        AlliumControlConnection c = connect(line -> line.startsWith("ADD_ONION")
                ? "250-ServiceID=" + ID.value() + "\r\n250 OK\r\n" : "510 Unrecognized command\r\n");
        assertEquals(ID.value(), c.addOnion(spec().build(), false));
        String sent = received.poll(10, TimeUnit.SECONDS);
        assertTrue(sent.startsWith("ADD_ONION ED25519-V3:"), sent);
    }

    @Test
    void errorRepliesBecomeTypedExceptionsWithTorsMessage() throws Exception {
        AlliumControlConnection c = connect(line -> "512 Unrecognized option \"PoWDefensesEnabled\"\r\n");
        TorCommandException e = assertThrows(TorCommandException.class, () -> c.addOnion(spec().build(), true));
        assertEquals("ADD_ONION", e.command());
        assertEquals("Unrecognized option \"PoWDefensesEnabled\"", e.torMessage());
        assertTrue(AlliumControlConnection.isPowRefusal(e));
        assertFalse(e.getMessage().contains("ED25519-V3"), "the key must never be in a message");
    }

    @Test
    void otherRefusalIsNotMistakenForPow() {
        assertFalse(AlliumControlConnection.isPowRefusal(new TorCommandException("ADD_ONION", "Onion address collision")));
    }

    @Test
    void clientAuthCommands() throws Exception {
        AlliumControlConnection c = connect(line -> "250 OK\r\n");
        byte[] priv = new byte[32];
        priv[0] = 1;
        c.onionClientAuthAdd(ID, priv);
        assertEquals("ONION_CLIENT_AUTH_ADD " + ID.value() + " x25519:" + Base64.getEncoder().encodeToString(priv),
                received.poll(10, TimeUnit.SECONDS));
        c.onionClientAuthRemove(ID);
        assertEquals("ONION_CLIENT_AUTH_REMOVE " + ID.value(), received.poll(10, TimeUnit.SECONDS));
        c.delOnion(ID);
        assertEquals("DEL_ONION " + ID.value(), received.poll(10, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> c.onionClientAuthAdd(ID, new byte[31]));
    }

    @Test
    void unknownServiceOnDelOnionIsTyped() throws Exception {
        AlliumControlConnection c = connect(line -> "552 Unknown Onion Service id\r\n");
        TorCommandException e = assertThrows(TorCommandException.class, () -> c.delOnion(ID));
        assertEquals("DEL_ONION", e.command());
        assertEquals("Unknown Onion Service id", e.torMessage());
    }

    @Test
    void multiLineRepliesAreRead() throws Exception {
        AlliumControlConnection c = connect(line -> "250-a=1\r\n250-b=2\r\n250 OK\r\n");
        List<AlliumControlConnection.Reply> r = c.command("GETINFO", "x");
        assertEquals(3, r.size());
        assertEquals("a=1", r.get(0).msg());
        assertEquals("250", r.get(2).status());
    }

    @Test
    void closedConnectionIsATorException() throws Exception {
        PipedOutputStream toClient = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(toClient);
        toClient.close();
        AlliumControlConnection c = new AlliumControlConnection(in, OutputStream.nullOutputStream());
        c.launchThread(true);
        TorException e = assertThrows(TorException.class, () -> c.command("GETINFO", "version"));
        assertFalse(e instanceof TorCommandException);
    }

    @Test
    void commandAfterTheReaderEndedFailsInsteadOfHanging() throws Exception {
        PipedOutputStream toClient = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(toClient);
        toClient.close();
        AlliumControlConnection c = new AlliumControlConnection(in, OutputStream.nullOutputStream());
        Thread reader = c.launchThread(true);
        reader.join(10_000);
        assertFalse(reader.isAlive(), "reader thread should end at end of stream");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThrows(TorException.class, () -> c.command("GETINFO", "version"));
            assertThrows(TorException.class, () -> c.command("GETINFO", "version"));
        });
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void commandMustBeOneLine() throws Exception {
        AlliumControlConnection c = connect(line -> "250 OK\r\n");
        assertThrows(IllegalArgumentException.class, () -> c.command("SETCONF", "a=1\r\nSIGNAL HALT"));
    }

    @Test
    void base32MatchesRfc4648() {
        assertEquals("mzxw6ytboi", Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("my", Base32.encode("f".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(52, Base32.encode(new byte[32]).length());
    }
}
