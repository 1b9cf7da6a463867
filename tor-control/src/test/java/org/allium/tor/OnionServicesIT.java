package org.allium.tor;

import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.allium.tor.api.BootstrapStatus;
import org.allium.tor.api.ExternalTorSettings;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.ListenAddress;
import org.allium.tor.api.SocketDirectory;
import org.allium.tor.api.TargetListener;
import org.allium.tor.api.OnionServiceSpec;
import org.allium.tor.api.OwnTorSettings;
import org.allium.tor.api.PowSettings;
import org.allium.tor.api.PublishedOnion;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.SocksFailure;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.Tor;
import org.allium.tor.api.TorState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two of our own tors join the private Tor network: one publishes onion services from our
 * keys, the other dials them through SOCKS. Real tor processes, real onion services, real
 * client authorization.
 */
@ExtendWith(TestnetExtension.class)
class OnionServicesIT {
    private static final Duration BOOTSTRAP = Duration.ofMinutes(4);
    private static final Duration DIAL = Duration.ofMinutes(3);
    private static final Duration EVENT = Duration.ofMinutes(2);
    private static final int PORT = 9878;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<Long> PIDS = new CopyOnWriteArrayList<>();

    private static Path root;
    private static Tor host;
    private static Tor client;
    private static RecordingObserver hostEvents;
    private static RecordingObserver clientEvents;

    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeAll
    static void joinTheTestnet(Testnet testnet) throws Exception {
        root = Files.createTempDirectory("allium-tor-control-it-");
        hostEvents = new RecordingObserver();
        clientEvents = new RecordingObserver();
        host = startAndBootstrap(testnet, "host", hostEvents);
        client = startAndBootstrap(testnet, "client", clientEvents);
    }

    static Tor startAndBootstrap(Testnet testnet, String name, RecordingObserver events) throws Exception {
        // SocksTimeout 30 (tor's default: 120 s) only bounds how long a dial to a removed
        // service waits before tor gives up with TTL_EXPIRED; working dials take < 5 s.
        List<String> lines = new ArrayList<>(testnet.clientTorrcLines());
        lines.add("SocksTimeout 30");
        // The host also serves as an external tor (attached by its TCP control port); the
        // client is as in production: control and SOCKS on Unix sockets.
        Tor tor = Tors.own(OwnTorSettings.builder(root.resolve(name)).tcpPorts(name.equals("host"))
                .extraTorrcLines(lines).build());
        tor.addObserver(events);
        tor.start();
        PIDS.add(tor.processId().orElseThrow());
        tor.enableNetwork();
        tor.awaitBootstrapped(BOOTSTRAP);
        return tor;
    }

    @AfterAll
    static void stopAndCheckNothingIsLeft() throws Exception {
        if (client != null) client.stop();
        if (host != null) host.stop();
        List<Long> alive = new ArrayList<>();
        for (long pid : PIDS) ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(h -> alive.add(pid));
        assertTrue(alive.isEmpty(), "tor processes left running: " + alive);
    }

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable c : closeAfter) c.close();
    }

    /**
     * A server on a Unix socket in a private directory (as the engine's onion targets) that
     * answers each 4-byte-length-prefixed message with "echo:" + it.
     */
    private ListenAddress echoServer() throws IOException {
        TargetListener server = TargetListener.unix(SocketDirectory.create(root.resolve("targets")));
        closeAfter.add(server);
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Socket s = server.accept();
                    Thread h = new Thread(() -> echo(s), "echo-connection");
                    h.setDaemon(true);
                    h.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "echo-server");
        t.setDaemon(true);
        t.start();
        return server.address();
    }

    private static void echo(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            while (true) {
                byte[] msg = new byte[in.readInt()];
                in.readFully(msg);
                byte[] reply = ("echo:" + new String(msg, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                out.writeInt(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (IOException e) {
            // peer went away
        }
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
        out.flush();
        byte[] reply = new byte[in.readInt()];
        in.readFully(reply);
        return new String(reply, StandardCharsets.UTF_8);
    }

    private static ServiceId idOf(IdentityKeyPair k) {
        return new ServiceId(k.address().serviceId());
    }

    @Test
    void bootstrapWasObservedInOrder() throws Exception {
        hostEvents.await("READY", EVENT, o -> o.states.contains(TorState.READY));
        synchronized (hostEvents) {
            List<TorState> states = hostEvents.states;
            assertEquals(List.of(TorState.NOT_STARTED, TorState.STARTING, TorState.STARTED, TorState.BOOTSTRAPPING,
                    TorState.READY), states.subList(0, 5));
            List<BootstrapStatus> b = hostEvents.bootstraps;
            assertTrue(b.get(b.size() - 1).isDone(), b.toString());
            assertEquals("done", b.get(b.size() - 1).tag());
            for (int i = 1; i < b.size(); i++) assertTrue(b.get(i).percent() >= b.get(i - 1).percent(), b.toString());
            assertTrue(b.size() >= 2, "several bootstrap steps reported: " + b);
        }
        assertEquals(100, host.bootstrapStatus().percent());
    }

    @Test
    void publishedFromOurKeyAndBytesFlowBothWays() throws Exception {
        IdentityKeyPair key = IdentityKeyPair.generate(RANDOM);
        ServiceId id = idOf(key);
        PublishedOnion p = host.publish(OnionServiceSpec.builder(key.expandedSecretKey(), id, PORT, echoServer()).build());
        assertEquals(id, p.serviceId(), "tor's address equals the one we computed");
        hostEvents.await("descriptor upload", EVENT, o -> o.uploaded.contains(id));

        try (Socket s = Dialling.connect(client, id, PORT, StreamIsolation.of("peer-a"), DIAL)) {
            assertEquals("echo:hello from the client", roundTrip(s, "hello from the client"));
            String big = "x".repeat(200_000);
            assertEquals("echo:" + big, roundTrip(s, big));
        }
        host.unpublish(id);
    }

    @Test
    void clientAuthorization() throws Exception {
        IdentityKeyPair key = IdentityKeyPair.generate(RANDOM);
        ServiceId id = idOf(key);
        ClientAuthKeyPair right = ClientAuthKeyPair.generate(RANDOM);
        ClientAuthKeyPair wrong = ClientAuthKeyPair.generate(RANDOM);
        host.publish(OnionServiceSpec.builder(key.expandedSecretKey(), id, PORT, echoServer())
                .clientAuth(right.publicKey()).build());
        hostEvents.await("descriptor upload", EVENT, o -> o.uploaded.contains(id));
        StreamIsolation iso = StreamIsolation.of("peer-auth");

        // No credential: tor can fetch the descriptor but not decrypt it.
        Dialling.Outcome none = Dialling.until(client, id, PORT, iso, DIAL,
                o -> o.connected() || !o.failure().meansOffline());
        assertFalse(none.connected(), "connected without a credential");
        assertEquals(SocksFailure.MISSING_CLIENT_AUTH, none.failure());

        // Another credential.
        client.addClientAuth(id, wrong.privateKey());
        Dialling.Outcome bad = Dialling.until(client, id, PORT, iso, DIAL,
                o -> o.connected() || (!o.failure().meansOffline() && o.failure() != SocksFailure.MISSING_CLIENT_AUTH));
        assertFalse(bad.connected(), "connected with another client's credential");
        assertEquals(SocksFailure.WRONG_CLIENT_AUTH, bad.failure());

        // The right one.
        client.removeClientAuth(id);
        client.addClientAuth(id, right.privateKey());
        try (Socket s = Dialling.connect(client, id, PORT, iso, DIAL)) {
            assertEquals("echo:authorized", roundTrip(s, "authorized"));
        }
        client.removeClientAuth(id);
        host.unpublish(id);
    }

    @Test
    void neverPublishedServiceIsDescriptorNotFound() throws Exception {
        ServiceId nobody = idOf(IdentityKeyPair.generate(RANDOM));
        Dialling.Outcome o = Dialling.once(client, nobody, PORT, StreamIsolation.of("peer-nobody"));
        assertFalse(o.connected());
        assertEquals(SocksFailure.DESCRIPTOR_NOT_FOUND, o.failure());
    }

    @Test
    void removedServiceIsReportedOffline() throws Exception {
        IdentityKeyPair key = IdentityKeyPair.generate(RANDOM);
        ServiceId id = idOf(key);
        host.publish(OnionServiceSpec.builder(key.expandedSecretKey(), id, PORT, echoServer()).build());
        hostEvents.await("descriptor upload", EVENT, o -> o.uploaded.contains(id));
        StreamIsolation iso = StreamIsolation.of("peer-removed");
        try (Socket s = Dialling.connect(client, id, PORT, iso, DIAL)) {
            assertEquals("echo:before", roundTrip(s, "before"));
        }
        host.unpublish(id);
        // The HSDirs still hold the descriptor, so tor does not answer F0 here: it tries the
        // dead introduction points and answers F2 (intro failed) or, after its SocksTimeout,
        // 0x06 (TTL expired). All of them mean "offline" to the caller.
        Dialling.Outcome after = Dialling.until(client, id, PORT, StreamIsolation.of("peer-removed-2"), DIAL,
                o -> !o.connected());
        assertTrue(after.failure().meansOffline(), "offline, not " + after.failure());
    }

    @Test
    void powAndMaxStreamsAreAccepted() throws Exception {
        IdentityKeyPair key = IdentityKeyPair.generate(RANDOM);
        ServiceId id = idOf(key);
        PublishedOnion p = host.publish(OnionServiceSpec.builder(key.expandedSecretKey(), id, PORT, echoServer())
                .pow(new PowSettings(10, 100)).maxStreams(8, true).build());
        assertTrue(p.powEnabled(), "tor " + host.version() + " takes PoWDefensesEnabled");
        hostEvents.await("descriptor upload", EVENT, o -> o.uploaded.contains(id));
        try (Socket s = Dialling.connect(client, id, PORT, StreamIsolation.of("peer-pow"), DIAL)) {
            assertEquals("echo:pow", roundTrip(s, "pow"));
        }
        host.unpublish(id);
    }

    @Test
    void externalTorAttachesWithTheCookieAndPublishes() throws Exception {
        Path dir = root.resolve("host");
        HostPort control = (HostPort) ControlReplies.controlPortFile(Files.readString(dir.resolve(Torrc.CONTROL_PORT_FILE)));
        Tor external = Tors.external(ExternalTorSettings.withCookie(control,
                dir.resolve(Torrc.DATA_DIR).resolve(Torrc.COOKIE_FILE)));
        RecordingObserver events = new RecordingObserver();
        external.addObserver(events);
        external.start();
        try {
            assertEquals(TorState.READY, external.state(), "an external tor that has bootstrapped is ready at once");
            assertEquals(host.socksAddress(), external.socksAddress());
            assertTrue(external.processId().isEmpty());
            IdentityKeyPair key = IdentityKeyPair.generate(RANDOM);
            ServiceId id = idOf(key);
            external.publish(OnionServiceSpec.builder(key.expandedSecretKey(), id, PORT, echoServer()).build());
            events.await("descriptor upload via external", EVENT, o -> o.uploaded.contains(id));
            try (Socket s = Dialling.connect(client, id, PORT, StreamIsolation.of("peer-external"), DIAL)) {
                assertEquals("echo:external", roundTrip(s, "external"));
            }
        } finally {
            external.stop();
        }
        assertEquals(TorState.STOPPED, external.state());
        assertEquals(TorState.READY, host.state(), "detaching leaves the tor running");
        assertTrue(host.version().startsWith("0.4"));
    }

    @Test
    void killedTorIsHeardAndRestartsIntoTheNetwork(Testnet testnet) throws Exception {
        RecordingObserver events = new RecordingObserver();
        Tor tor = startAndBootstrap(testnet, "restart", events);
        try {
            long pid = tor.processId().orElseThrow();
            assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());
            events.await("exit", EVENT, o -> !o.exitCodes.isEmpty());
            assertEquals(TorState.EXITED, tor.state());

            tor.start();
            PIDS.add(tor.processId().orElseThrow());
            assertNotEquals(pid, tor.processId().orElseThrow());
            tor.enableNetwork();
            tor.awaitBootstrapped(BOOTSTRAP);
            // It works again: publish from it and reach it from the other tor.
            IdentityKeyPair key = IdentityKeyPair.generate(RANDOM);
            ServiceId id = idOf(key);
            tor.publish(OnionServiceSpec.builder(key.expandedSecretKey(), id, PORT, echoServer()).build());
            try (Socket s = Dialling.connect(client, id, PORT, StreamIsolation.of("peer-restart"), DIAL)) {
                assertArrayEquals("echo:again".getBytes(StandardCharsets.UTF_8),
                        roundTrip(s, "again").getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            tor.stop();
        }
    }
}
