package org.allium.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The JVM's shared private Tor network, as every other module's ITs get it. */
@ExtendWith(TestnetExtension.class)
class TestnetIT {
    private static Testnet fromBeforeAll;

    @BeforeAll
    static void injectedIntoBeforeAll(Testnet testnet) {
        fromBeforeAll = testnet;
    }

    @Test
    void oneNetworkPerJvm(Testnet testnet) {
        assertSame(fromBeforeAll, testnet);
    }

    @Test
    void everyNodeHasBootstrappedAndTheConsensusListsThemAll(Testnet testnet) throws IOException {
        List<TestnetNode> nodes = testnet.nodes();
        assertEquals(Testnet.AUTHORITIES + Testnet.RELAYS, nodes.size());
        assertEquals(Testnet.AUTHORITIES, nodes.stream().filter(n -> n.role() == TestnetNode.Role.AUTHORITY).count());
        for (TestnetNode n : nodes) {
            assertTrue(ProcessHandle.of(n.pid()).map(ProcessHandle::isAlive).orElse(false), n.nickname());
            try (ControlProbe probe = ControlProbe.open(n.controlPort(), n.cookieFile())) {
                assertEquals(100, probe.bootstrapProgress(), n.nickname());
                if (n.role() == TestnetNode.Role.AUTHORITY) {
                    assertEquals(nodes.size(), probe.consensusRouterCount(), n.nickname());
                }
            }
        }
        assertEquals(nodes.stream().map(TestnetNode::pid).toList(), testnet.pids());
        assertTrue(testnet.keyGenerationTime().toNanos() > 0);
        assertTrue(testnet.bootstrapTime().toNanos() > 0);
    }

    @Test
    void aPlainTorClientJoinsWithTheClientTorrcLines(Testnet testnet, @TempDir Path tmp) throws Exception {
        Path dir = Dirs.createPrivate(tmp.resolve("client"));
        List<String> torrc = new ArrayList<>(testnet.clientTorrcLines());
        torrc.add("DataDirectory " + dir);
        torrc.add("SocksPort auto");
        torrc.add("ControlPort auto");
        torrc.add("ControlPortWriteToFile " + dir.resolve("control-port"));
        torrc.add("CookieAuthentication 1");
        torrc.add("Log notice file " + dir.resolve("notice.log"));
        torrc.add("GeoIPFile /dev/null");
        torrc.add("GeoIPv6File /dev/null");
        TorProcess client = TorProcess.launch(TestnetOptions.defaults().tor(), "client", dir, torrc);
        try {
            long deadline = System.nanoTime() + 180_000_000_000L;
            int progress = -1;
            ControlProbe probe = null;
            try {
                while (progress < 100) {
                    if (!client.isAlive()) {
                        fail(client.describeFailure("client tor exited"));
                    }
                    if (System.nanoTime() - deadline > 0) {
                        fail(client.describeFailure("client stuck at " + progress + " %"));
                    }
                    if (probe == null) {
                        Optional<Integer> port = controlPort(dir.resolve("control-port"));
                        if (port.isPresent() && Files.exists(dir.resolve("control_auth_cookie"))) {
                            probe = ControlProbe.open(port.get(), dir.resolve("control_auth_cookie"));
                        }
                    }
                    if (probe != null) {
                        progress = probe.bootstrapProgress();
                    }
                    if (progress < 100) {
                        Thread.sleep(200); // polling tor; there is no event to wait on without a controller
                    }
                }
            } finally {
                if (probe != null) {
                    probe.close();
                }
            }
            assertEquals(100, progress);
        } finally {
            client.stop(5_000);
        }
        assertFalse(client.isAlive());
    }

    /** Reads {@code PORT=127.0.0.1:NNNN} written by ControlPortWriteToFile, once complete. */
    private static Optional<Integer> controlPort(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("PORT=127.0.0.1:")) {
                return Optional.of(Integer.parseInt(line.substring("PORT=127.0.0.1:".length()).trim()));
            }
        }
        return Optional.empty();
    }
}
