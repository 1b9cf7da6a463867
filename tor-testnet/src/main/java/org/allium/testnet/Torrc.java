package org.allium.testnet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates the torrc of each role of the private network, following TESTNET.md. Stateless;
 * thread-safe. Every listener is bound to 127.0.0.1.
 */
final class Torrc {
    private Torrc() {
    }

    /**
     * Options that change how a client behaves on the test network. A client needs them as
     * much as a relay does; they are also what {@link Testnet#clientTorrcLines()} hands out.
     */
    private static final List<String> CLIENT_TESTING_OPTIONS = List.of(
            "TestingTorNetwork 1",
            "PathsNeededToBuildCircuits 0.67",
            // on loopback tor otherwise learns a ~50 ms build timeout and later marks guards down
            "LearnCircuitBuildTimeout 0",
            // KIST gave a steady 16 ms round trip on loopback
            "Schedulers Vanilla");

    /** Lines a client tor needs to join the network: no DataDirectory, ports or Log. */
    static List<String> client(List<DirAuthority> authorities) {
        List<String> lines = new ArrayList<>(CLIENT_TESTING_OPTIONS);
        for (DirAuthority a : authorities) {
            lines.add(a.torrcLine());
        }
        return List.copyOf(lines);
    }

    /** The whole torrc of one network node. */
    static List<String> node(NodeSpec spec, List<DirAuthority> authorities) {
        List<String> lines = new ArrayList<>(CLIENT_TESTING_OPTIONS);
        Path dir = spec.dataDirectory();
        lines.add("DataDirectory " + dir);
        lines.add("Nickname " + spec.nickname());
        lines.add("RunAsDaemon 0");
        lines.add("ControlPort 127.0.0.1:" + spec.controlPort());
        lines.add("CookieAuthentication 1");
        lines.add("AssumeReachable 1");
        lines.add("ShutdownWaitLength 0");
        lines.add("SafeLogging 0");
        lines.add("Log notice file " + dir.resolve("notice.log"));
        // GeoIP databases cost ~35 MB of memory per process and are useless on loopback
        lines.add("GeoIPFile /dev/null");
        lines.add("GeoIPv6File /dev/null");
        for (DirAuthority a : authorities) {
            lines.add(a.torrcLine());
        }
        lines.add("SocksPort 0");
        lines.add("ORPort 127.0.0.1:" + spec.orPort());
        lines.add("Address 127.0.0.1");
        lines.add("ExitRelay 0");
        lines.add("ExitPolicy reject *:*");
        if (spec.role() == TestnetNode.Role.AUTHORITY) {
            lines.add("DirPort 127.0.0.1:" + spec.dirPort());
            lines.add("AuthoritativeDirectory 1");
            lines.add("V3AuthoritativeDirectory 1");
            lines.add("ContactInfo " + spec.nickname() + "@test.test");
            lines.add("TestingV3AuthInitialVotingInterval 5");
            lines.add("TestingV3AuthInitialVoteDelay 2");
            lines.add("TestingV3AuthInitialDistDelay 2");
            lines.add("V3AuthVotingInterval 10");
            lines.add("V3AuthVoteDelay 2");
            lines.add("V3AuthDistDelay 2");
            lines.add("V3AuthNIntervalsValid 2");
            lines.add("TestingDirAuthVoteGuard *");
            lines.add("TestingDirAuthVoteHSDir *");
            lines.add("TestingDirAuthVoteExit *");
            lines.add("TestingMinExitFlagThreshold 0");
            // vote Stable at once: clients need Stable relays for onion-service circuits
            lines.add("AuthDirVoteStableGuaranteeMinUptime 0");
            lines.add("AuthDirVoteStableGuaranteeMTBF 0");
        }
        return List.copyOf(lines);
    }

    /** Where and as what one node runs. */
    record NodeSpec(String nickname, TestnetNode.Role role, Path dataDirectory,
                    int orPort, int dirPort, int controlPort) {
        NodeSpec {
            Ports.check(orPort, "orPort");
            Ports.check(controlPort, "controlPort");
            if (role == TestnetNode.Role.AUTHORITY) {
                Ports.check(dirPort, "dirPort");
            }
        }
    }
}
