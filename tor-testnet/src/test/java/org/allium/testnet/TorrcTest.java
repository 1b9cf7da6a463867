package org.allium.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TorrcTest {
    private static final List<DirAuthority> AUTHS = List.of(
            new DirAuthority("auth0", 5000, 5100, "A".repeat(40), "B".repeat(40)),
            new DirAuthority("auth1", 5001, 5101, "C".repeat(40), "D".repeat(40)),
            new DirAuthority("auth2", 5002, 5102, "E".repeat(40), "F".repeat(40)));

    private static Map<String, String> options(List<String> lines) {
        // keys of single-valued options; DirAuthority lines checked separately
        return lines.stream().filter(l -> !l.startsWith("DirAuthority "))
                .collect(Collectors.toMap(l -> l.split(" ", 2)[0], l -> l.split(" ", 2)[1],
                        (a, b) -> { throw new AssertionError("option given twice: " + a + " / " + b); }));
    }

    private static List<String> dirAuthorityLines(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("DirAuthority ")).toList();
    }

    @Test
    void authorityTorrc() {
        Path dir = Path.of("/tmp/x/auth0");
        List<String> lines = Torrc.node(new Torrc.NodeSpec("auth0", TestnetNode.Role.AUTHORITY, dir, 5000, 5100, 5200), AUTHS);
        Map<String, String> o = options(lines);
        assertEquals("1", o.get("TestingTorNetwork"));
        assertEquals(dir.toString(), o.get("DataDirectory"));
        assertEquals("auth0", o.get("Nickname"));
        assertEquals("127.0.0.1:5200", o.get("ControlPort"));
        assertEquals("1", o.get("CookieAuthentication"));
        assertEquals("127.0.0.1:5000", o.get("ORPort"));
        assertEquals("127.0.0.1:5100", o.get("DirPort"));
        assertEquals("0", o.get("SocksPort"));
        assertEquals("0", o.get("ExitRelay"));
        assertEquals("reject *:*", o.get("ExitPolicy"));
        assertEquals("1", o.get("AuthoritativeDirectory"));
        assertEquals("1", o.get("V3AuthoritativeDirectory"));
        assertEquals("10", o.get("V3AuthVotingInterval"));
        assertEquals("5", o.get("TestingV3AuthInitialVotingInterval"));
        assertEquals("*", o.get("TestingDirAuthVoteHSDir"));
        assertEquals("0", o.get("LearnCircuitBuildTimeout"));
        assertEquals("Vanilla", o.get("Schedulers"));
        assertEquals("/dev/null", o.get("GeoIPFile"));
        assertEquals("/dev/null", o.get("GeoIPv6File"));
        assertEquals("notice file " + dir.resolve("notice.log"), o.get("Log"));
        assertEquals(AUTHS.stream().map(DirAuthority::torrcLine).toList(), dirAuthorityLines(lines));
    }

    @Test
    void relayTorrcHasNoDirectoryRole() {
        List<String> lines = Torrc.node(new Torrc.NodeSpec("relay0", TestnetNode.Role.RELAY, Path.of("/tmp/x/r"), 5003, 0, 5203), AUTHS);
        Map<String, String> o = options(lines);
        assertEquals("127.0.0.1:5003", o.get("ORPort"));
        assertEquals("reject *:*", o.get("ExitPolicy"));
        assertEquals("1", o.get("AssumeReachable"));
        for (String key : List.of("DirPort", "AuthoritativeDirectory", "V3AuthoritativeDirectory",
                "V3AuthVotingInterval", "TestingDirAuthVoteHSDir", "ContactInfo")) {
            assertFalse(o.containsKey(key), key);
        }
        assertEquals(3, dirAuthorityLines(lines).size());
    }

    @Test
    void everyListenerIsOnLoopback() {
        for (TestnetNode.Role role : TestnetNode.Role.values()) {
            List<String> lines = Torrc.node(new Torrc.NodeSpec("n", role, Path.of("/tmp/n"), 5003, 5004, 5005), AUTHS);
            for (String l : lines) {
                String key = l.split(" ", 2)[0];
                if (key.endsWith("Port") && !l.equals("SocksPort 0")) {
                    assertTrue(l.split(" ", 2)[1].startsWith("127.0.0.1:"), l);
                }
            }
        }
    }

    @Test
    void clientLinesCarryTestingOptionsAndAuthoritiesButNoLocalSettings() {
        List<String> lines = Torrc.client(AUTHS);
        Map<String, String> o = options(lines);
        assertEquals("1", o.get("TestingTorNetwork"));
        assertEquals("0", o.get("LearnCircuitBuildTimeout"));
        assertEquals(AUTHS.stream().map(DirAuthority::torrcLine).toList(), dirAuthorityLines(lines));
        for (String key : o.keySet()) {
            assertFalse(key.equals("DataDirectory") || key.endsWith("Port") || key.equals("Log")
                    || key.equals("Nickname") || key.equals("CookieAuthentication"), key);
        }
        assertThrows(UnsupportedOperationException.class, () -> lines.add("x"));
    }

    @Test
    void authorityNeedsADirPort() {
        assertThrows(IllegalArgumentException.class,
                () -> new Torrc.NodeSpec("a", TestnetNode.Role.AUTHORITY, Path.of("/tmp/a"), 5000, 0, 5001));
        Function<Integer, Torrc.NodeSpec> relay = p -> new Torrc.NodeSpec("r", TestnetNode.Role.RELAY, Path.of("/tmp/r"), p, 0, 5001);
        assertThrows(IllegalArgumentException.class, () -> relay.apply(70000));
    }
}
