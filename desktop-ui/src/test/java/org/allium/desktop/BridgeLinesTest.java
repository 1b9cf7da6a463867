package org.allium.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the built-in obfs4 bridges are Tor Browser's list shipped as a resource, read as
 * bridge lines only — every line a well-formed obfs4 line, nothing else accepted — and pasted
 * lines are checked the same way before tor ever sees them.
 */
class BridgeLinesTest {
    private static final String GOOD = "obfs4 192.95.36.142:443 CDF2E852BF539B82BD10E27E9115A31734E378C2"
            + " cert=qUVQ0srL1JI/vO6V6m/24anYXiJD3QP2HgzUKQtQ7GRqqUvs7P+tG43RtAqdhLOALP7DJQ iat-mode=1";

    @Test
    void theBuiltInListIsTorBrowsersObfs4Bridges() {
        List<String> l = BridgeLines.builtInObfs4();
        assertEquals(11, l.size());
        assertTrue(l.contains(GOOD));
        assertEquals(l.size(), new HashSet<>(l).size(), "no line twice");
        for (String line : l) {
            assertTrue(BridgeLines.isObfs4(line), line);
            assertTrue(BridgeLines.isBridgeLine(line), line);
        }
    }

    @Test
    void aListFileHoldsBridgeLinesAndNothingElse() throws Exception {
        assertEquals(List.of(GOOD), read("# comment\n\n  " + GOOD + "  \n"));
        // torrc options, a second option smuggled after a line break, a control port: refused, not read.
        for (String bad : List.of("UseBridges 1", "ControlPort 9051", "Bridge " + GOOD, GOOD + "\nExitNodes {us}",
                GOOD.replace("iat-mode=1", "iat-mode=1 ControlPort=9051"),
                "snowflake 192.0.2.3:80 2B280B23E1107BB62ABFC40DDCC8824814F80A72")) {
            assertThrows(IllegalArgumentException.class, () -> read(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> read("# only a comment\n"));
    }

    @Test
    void oneLineIsCheckedPartByPart() {
        assertTrue(BridgeLines.isObfs4(GOOD));
        assertFalse(BridgeLines.isObfs4(GOOD.replace("192.95.36.142", "192.95.36.300")), "octet above 255");
        assertFalse(BridgeLines.isObfs4(GOOD.replace(":443", ":0")), "port 0");
        assertFalse(BridgeLines.isObfs4(GOOD.replace(":443", ":70000")), "port above 65535");
        assertFalse(BridgeLines.isObfs4(GOOD.replace("CDF2E852", "CDF2E85")), "short fingerprint");
        assertFalse(BridgeLines.isObfs4(GOOD.replace("cert=qUVQ", "cert=qUV")), "short cert");
        assertFalse(BridgeLines.isObfs4(GOOD.replace("iat-mode=1", "iat-mode=3")));
        assertFalse(BridgeLines.isObfs4(GOOD + " "));
        assertTrue(BridgeLines.isObfs4(GOOD.replace("192.95.36.142", "[2001:db8::1]")));

        // Pasted lines: a transport (or none), address:port, then printable tokens only.
        assertTrue(BridgeLines.isBridgeLine("192.0.2.1:9001 0123456789ABCDEF0123456789ABCDEF01234567"));
        assertTrue(BridgeLines.isBridgeLine(BridgeChoice.BUILT_IN_SNOWFLAKE.get(0)));
        assertTrue(BridgeLines.isBridgeLine("webtunnel [2001:db8::2]:443 0123456789ABCDEF0123456789ABCDEF01234567"
                + " url=https://example.org/path ver=0.0.1"));
        for (String bad : List.of("", "UseBridges 1", "ExitNodes {us}", "obfs4 192.0.2.1:443 FP cert=x iat-mode=0",
                "192.0.2.1:9001\nControlPort 9051", "192.0.2.1:9001 \u0000", "obfs4 host.example:443",
                "x".repeat(3000), "192.0.2.1:9001" + " a".repeat(17))) {
            assertFalse(BridgeLines.isBridgeLine(bad), bad);
        }
    }

    private static List<String> read(String text) throws Exception {
        return BridgeLines.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}
