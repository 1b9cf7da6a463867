package org.allium.tor;

import org.allium.protocol.IdentityKeyPair;
import org.allium.tor.api.ExternalTorSettings;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.OnionAddressMismatchException;
import org.allium.tor.api.OnionServiceSpec;
import org.allium.tor.api.OwnTorSettings;
import org.allium.tor.api.PublishedOnion;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.Tor;
import org.allium.tor.api.TorCommandException;
import org.allium.tor.api.TorException;
import org.allium.tor.api.TorExitedException;
import org.allium.tor.api.TorState;
import org.allium.tor.api.UnixSocketPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our own tor process, offline (network disabled): launching, ports, ownership, exits,
 * restarts, onion keys. Needs the real tor binary; no network.
 */
class OwnTorLifecycleIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final List<Long> PIDS = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    private Tor start(OwnTorSettings settings, RecordingObserver observer) throws Exception {
        Tor tor = Tors.own(settings);
        tor.addObserver(observer);
        tor.start();
        PIDS.add(tor.processId().orElseThrow());
        return tor;
    }

    @Test
    void startsWithPortsReadBackAndNetworkDisabled() throws Exception {
        RecordingObserver obs = new RecordingObserver();
        try (Tor tor = start(OwnTorSettings.builder(dir.resolve("t")).build(), obs)) {
            assertEquals(TorState.STARTED, tor.state());
            TorException noSocks = assertThrows(TorException.class, tor::socksAddress);
            assertTrue(noSocks.getMessage().contains("network is still disabled"), noSocks.getMessage());
            assertTrue(tor.version().startsWith("0.4"), tor.version());
            String torrc = Files.readString(dir.resolve("t/torrc"));
            assertTrue(torrc.contains("SocksPort unix:" + dir.resolve("t/sockets/socks") + " ExtendedErrors IsolateSOCKSAuth"), torrc);
            assertTrue(torrc.contains("ControlSocket " + dir.resolve("t/sockets/control")), torrc);
            TorException e = assertThrows(TorException.class, () -> tor.awaitBootstrapped(Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("enableNetwork"), e.getMessage());
            obs.await("STARTED", WAIT, o -> o.states.contains(TorState.STARTED));
            synchronized (obs) {
                assertEquals(List.of(TorState.NOT_STARTED, TorState.STARTING, TorState.STARTED), obs.states);
                assertTrue(obs.threads.stream().noneMatch(t -> t.contains("ControlParse") || t.equals("main")), obs.threads.toString());
            }
            // Enabling the network opens the SOCKS port, which is read back from tor.
            tor.enableNetwork();
            assertEquals(TorState.BOOTSTRAPPING, tor.state());
            // Unix sockets in an owner-only directory: nobody else on the machine can use this tor.
            assertEquals(new UnixSocketPath(dir.resolve("t/sockets/socks")), tor.socksAddress());
            assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"),
                    Files.getPosixFilePermissions(dir.resolve("t/sockets")));
            // The data directory must be private, or tor (rightly) complains.
            assertEquals(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                            java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE),
                    Files.getPosixFilePermissions(dir.resolve("t/data")));
        }
    }

    @Test
    void killedTorIsReportedAndRestartWorks() throws Exception {
        RecordingObserver obs = new RecordingObserver();
        Tor tor = start(OwnTorSettings.builder(dir.resolve("k")).build(), obs);
        try {
            long pid = tor.processId().orElseThrow();
            assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly()); // SIGKILL, from outside
            obs.await("tor exit", WAIT, o -> !o.exitCodes.isEmpty());
            assertEquals(TorState.EXITED, tor.state());
            synchronized (obs) {
                assertEquals(137, (int) obs.exitCodes.get(0), "128 + SIGKILL");
                assertFalse(obs.exitLogs.get(0).isEmpty(), "tor's last log lines come with the exit");
            }
            assertThrows(TorExitedException.class, tor::socksAddress);

            tor.start();
            long pid2 = tor.processId().orElseThrow();
            PIDS.add(pid2);
            assertNotEquals(pid, pid2);
            assertEquals(TorState.STARTED, tor.state());
            assertTrue(tor.version().startsWith("0.4"));
        } finally {
            tor.stop();
        }
        assertEquals(TorState.STOPPED, tor.state());
    }

    @Test
    void torExitingDuringStartUpThrowsWithItsLastLogLines() throws Exception {
        RecordingObserver obs = new RecordingObserver();
        Tor tor = Tors.own(OwnTorSettings.builder(dir.resolve("bad"))
                .extraTorrcLines(List.of("ThisIsNotATorOption 1")).build());
        tor.addObserver(obs);
        TorExitedException e = assertThrows(TorExitedException.class, tor::start);
        assertTrue(e.lastLogLines().stream().anyMatch(l -> l.contains("ThisIsNotATorOption")), e.lastLogLines().toString());
        assertTrue(e.getMessage().contains("ThisIsNotATorOption"), e.getMessage());
        assertNotEquals(0, e.exitCode());
        assertEquals(TorState.STOPPED, tor.state());
        obs.await("STOPPED", WAIT, o -> o.states.contains(TorState.STOPPED));
    }

    @Test
    void stopEndsTheProcessAndIsIdempotent() throws Exception {
        Tor tor = start(OwnTorSettings.builder(dir.resolve("s")).build(), new RecordingObserver());
        ProcessHandle handle = ProcessHandle.of(tor.processId().orElseThrow()).orElseThrow();
        tor.stop();
        assertFalse(handle.isAlive());
        assertEquals(TorState.STOPPED, tor.state());
        tor.stop();
        assertTrue(tor.processId().isEmpty());
    }

    @Test
    void publishesFromOurOwnKeyAndChecksTheAddress() throws Exception {
        try (Tor tor = start(OwnTorSettings.builder(dir.resolve("p")).build(), new RecordingObserver())) {
            IdentityKeyPair id = IdentityKeyPair.generate(new SecureRandom());
            ServiceId expected = new ServiceId(id.address().serviceId());
            PublishedOnion p = tor.publish(OnionServiceSpec.builder(id.expandedSecretKey(), expected, 80,
                    HostPort.loopback(1)).build());
            assertEquals(expected, p.serviceId());
            tor.unpublish(expected);

            IdentityKeyPair other = IdentityKeyPair.generate(new SecureRandom());
            ServiceId wrong = new ServiceId(other.address().serviceId());
            assertThrows(OnionAddressMismatchException.class, () -> tor.publish(OnionServiceSpec.builder(
                    id.expandedSecretKey(), wrong, 80, HostPort.loopback(1)).build()));
            // The mismatching service was removed again, so the right one can be published.
            assertEquals(expected, tor.publish(OnionServiceSpec.builder(id.expandedSecretKey(), expected, 80,
                    HostPort.loopback(1)).build()).serviceId());

            TorCommandException e = assertThrows(TorCommandException.class, () -> tor.unpublish(wrong));
            assertEquals("DEL_ONION", e.command());
            assertFalse(e.torMessage().isBlank());
        }
    }

    @Test
    void externalTorWithPasswordAuthentication() throws Exception {
        Process hash = new ProcessBuilder(Tors.findTorBinary(null).toString(), "--hash-password", "correct horse")
                .redirectErrorStream(true).start();
        String hashed = new String(hash.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .lines().filter(l -> l.startsWith("16:")).findFirst().orElseThrow();
        assertEquals(0, hash.waitFor());
        try (Tor own = start(OwnTorSettings.builder(dir.resolve("pw")).tcpPorts(true)
                .extraTorrcLines(List.of("HashedControlPassword " + hashed)).build(), new RecordingObserver())) {
            HostPort control = (HostPort) ControlReplies.controlPortFile(Files.readString(dir.resolve("pw").resolve(Torrc.CONTROL_PORT_FILE)));

            Tor right = Tors.external(ExternalTorSettings.withPassword(control, "correct horse")
                    .withSocks(HostPort.loopback(9)));
            RecordingObserver obs = new RecordingObserver();
            right.addObserver(obs);
            right.start();
            assertTrue(right.version().startsWith("0.4"));
            assertEquals(HostPort.loopback(9), right.socksAddress(), "a configured SOCKS port is used as given");
            assertTrue(right.processId().isEmpty());

            Tor wrong = Tors.external(ExternalTorSettings.withPassword(control, "wrong"));
            TorCommandException e = assertThrows(TorCommandException.class, wrong::start);
            assertEquals("AUTHENTICATE", e.command());
            assertEquals(TorState.STOPPED, wrong.state());

            // The tor going away is heard by the attached controller too.
            ProcessHandle.of(own.processId().orElseThrow()).orElseThrow().destroyForcibly();
            obs.await("external tor gone", WAIT, o -> !o.exitCodes.isEmpty());
            assertEquals(TorState.EXITED, right.state());
            right.stop();
        }
    }

    @Test
    void torsRefusalOfAnUnknownPowKeywordIsRecognised() throws Exception {
        // An older tor (< 0.4.9.2) refuses PoWDefensesEnabled as an unknown keyword; this tor
        // refuses an invented PoW keyword the same way, so the fallback's check can be tried here.
        try (Tor tor = start(OwnTorSettings.builder(dir.resolve("pow")).build(), new RecordingObserver())) {
            AlliumControlConnection c = ((AbstractTor) tor).state.connection();
            IdentityKeyPair id = IdentityKeyPair.generate(new SecureRandom());
            String args = AlliumControlConnection.addOnionArguments(OnionServiceSpec.builder(id.expandedSecretKey(),
                    new ServiceId(id.address().serviceId()), 80, HostPort.loopback(1)).build(), false);
            TorCommandException e = assertThrows(TorCommandException.class,
                    () -> c.command("ADD_ONION", args.replace(" Port=", " PoWFromTheFuture=1 Port=")));
            assertTrue(AlliumControlConnection.isPowRefusal(e), e.torMessage());
            assertFalse(e.getMessage().contains(java.util.Base64.getEncoder().encodeToString(id.expandedSecretKey())));
        }
    }

    @Test
    void bridgesGoToTorAtRunTimeNeverToDiskAndAMissingTransportFailsBeforeLaunching() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String name : List.of("obfs4proxy", "snowflake-client")) {
            Path p = bin.resolve(name);
            Files.writeString(p, "#!/bin/sh\nexit 1\n");
            assertTrue(p.toFile().setExecutable(true));
        }
        HostEnvironment withTransports = new HostEnvironment(java.util.Map.of("PATH", bin.toString()), "Linux",
                dir, p -> Files.isRegularFile(p) && Files.isExecutable(p));
        List<String> bridges = List.of(
                "Bridge obfs4 192.0.2.1:443 0123456789ABCDEF0123456789ABCDEF01234567 cert=AAAA iat-mode=0",
                "snowflake 192.0.2.3:80 2B280B23E1107BB62ABFC40DDCC8824814F80A72 url=https://example.invalid/",
                "192.0.2.9:9001 89ABCDEF0123456789ABCDEF0123456789ABCDEF");
        Path torBinary = Tors.findTorBinary(null);
        // What a previous session with bridges that crashed would have left in tor's data directory.
        Path data = dir.resolve("b").resolve("data");
        Files.createDirectories(data, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Files.writeString(data.resolve("state"), "Guard in=bridges rsa_id=0123456789ABCDEF0123456789ABCDEF01234567 "
                + "bridge_addr=192.0.2.1:443 sampled_on=2026-11-01T00:00:00\n");
        Files.writeString(data.resolve("cached-descriptors"), "router bridge 192.0.2.9 9001 0 0\n");
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
        OwnTor tor = new OwnTor(OwnTorSettings.builder(dir.resolve("b")).torBinary(torBinary).bridges(bridges).build(),
                withTransports, threads, threads);
        try {
            tor.start();
            PIDS.add(tor.processId().orElseThrow());
            // Tor took them over the control connection (and accepted them) ...
            AlliumControlConnection c = tor.state.connection();
            List<String> set = c.getConf("Bridge").stream().map(e -> e.value).toList();
            assertEquals(3, set.size(), set.toString());
            assertTrue(set.get(0).startsWith("obfs4 192.0.2.1:443"), set.toString());
            assertTrue(c.getConf("ClientTransportPlugin").stream()
                    .anyMatch(e -> e.value.equals("obfs4 exec " + bin.resolve("obfs4proxy"))));
            assertEquals("1", c.getConf("UseBridges").get(0).value);
        } finally {
            tor.stop();
            threads.shutdown();
        }
        // ... and no file of ours holds a bridge address, fingerprint or transport.
        for (String secret : List.of("192.0.2.", "0123456789ABCDEF0123456789ABCDEF01234567",
                "89ABCDEF0123456789ABCDEF0123456789ABCDEF", "2B280B23E1107BB62ABFC40DDCC8824814F80A72",
                "ClientTransportPlugin", "UseBridges", "obfs4", "snowflake")) {
            assertEquals(List.of(), FileScan.filesContaining(dir.resolve("b"), secret), secret);
        }

        HostEnvironment without = new HostEnvironment(java.util.Map.of("PATH", dir.resolve("empty").toString()), "Linux",
                dir, torBinary::equals);
        RecordingObserver obs = new RecordingObserver();
        OwnTor missing = new OwnTor(OwnTorSettings.builder(dir.resolve("m")).torBinary(torBinary).bridges(bridges).build(),
                without, Runnable::run, Runnable::run);
        missing.addObserver(obs);
        org.allium.tor.api.TransportMissingException e =
                assertThrows(org.allium.tor.api.TransportMissingException.class, missing::start);
        assertEquals("obfs4", e.transport());
        assertTrue(e.getMessage().contains("apt-get install obfs4proxy"), e.getMessage());
        assertTrue(missing.processId().isEmpty());
        assertEquals(TorState.STOPPED, missing.state());
    }

    @AfterAll
    static void noTorLeftBehind() {
        List<Long> alive = new ArrayList<>();
        for (long pid : PIDS) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(h -> alive.add(pid));
        }
        assertTrue(alive.isEmpty(), "tor processes left running: " + alive);
        assertFalse(PIDS.isEmpty());
    }
}
