package org.allium.tor;

import org.allium.tor.api.BootstrapStatus;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.UnixSocketPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlRepliesTest {
    private static final String ID = "vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd";

    @Test
    void bootstrapEventBody() {
        BootstrapStatus b = ControlReplies.bootstrap(
                "NOTICE BOOTSTRAP PROGRESS=75 TAG=enough_dirinfo SUMMARY=\"Loaded enough directory info to build circuits\"");
        assertEquals(new BootstrapStatus(75, "enough_dirinfo", "Loaded enough directory info to build circuits"), b);
    }

    @Test
    void bootstrapPhaseGetinfoWithWarningFields() {
        BootstrapStatus b = ControlReplies.bootstrap("WARN BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY=\"Connecting to a relay\" "
                + "WARNING=\"Network is unreachable\" REASON=NOROUTE COUNT=3 RECOMMENDATION=ignore HOSTID=\"X\" HOSTADDR=\"1.2.3.4:1\"");
        assertEquals(5, b.percent());
        assertEquals("conn", b.tag());
        assertEquals("Connecting to a relay", b.summary());
        assertTrue(ControlReplies.bootstrap("NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY=\"Done\"").isDone());
    }

    @Test
    void notBootstrapOrMalformedIsNull() {
        assertNull(ControlReplies.bootstrap("NOTICE CIRCUIT_ESTABLISHED"));
        assertNull(ControlReplies.bootstrap("NOTICE BOOTSTRAP TAG=x"));
        assertNull(ControlReplies.bootstrap("NOTICE BOOTSTRAP PROGRESS=abc TAG=x"));
        assertNull(ControlReplies.bootstrap("NOTICE BOOTSTRAP PROGRESS=101 TAG=x"));
        assertNull(ControlReplies.bootstrap("NOTICE BOOTSTRAP PROGRESS=1 SUMMARY=\"unterminated"));
        assertNull(ControlReplies.bootstrap(null));
    }

    @Test
    void quotedStringsUnescape() {
        Map<String, String> kw = ControlReplies.keywords("A=\"x \\\"y\\\" \\\\ z\" b=plain");
        assertEquals("x \"y\" \\ z", kw.get("A"));
        assertEquals("plain", kw.get("B"));
    }

    @Test
    void hsDescUploadedAndFailed() {
        ControlReplies.HsDescEvent up = ControlReplies.hsDesc("UPLOADED " + ID + " UNKNOWN $ABCDEF~relay1 descid");
        assertEquals("UPLOADED", up.action());
        assertEquals(ID, up.serviceId());
        assertNull(up.reason());
        ControlReplies.HsDescEvent failed = ControlReplies.hsDesc("FAILED " + ID + " NO_AUTH $ABCDEF~relay1 descid REASON=UPLOAD_REJECTED");
        assertEquals("FAILED", failed.action());
        assertEquals("UPLOAD_REJECTED", failed.reason());
        assertNull(ControlReplies.hsDesc("UPLOADED"));
        assertNull(ControlReplies.hsDesc("FAILED \"oops"));
    }

    @Test
    void socksListeners() {
        assertEquals(List.of(HostPort.loopback(41234), new HostPort("::1", 9050)),
                ControlReplies.listeners("\"127.0.0.1:41234\" \"[::1]:9050\""));
        assertEquals(List.of(new UnixSocketPath(java.nio.file.Path.of("/run/tor/socks")), HostPort.loopback(9050)),
                ControlReplies.listeners("\"unix:/run/tor/socks\" \"127.0.0.1:9050\""));
        assertThrows(IllegalArgumentException.class, () -> ControlReplies.listeners("\"unix:relative\""));
        assertTrue(ControlReplies.listeners("").isEmpty());
        assertTrue(ControlReplies.listeners(null).isEmpty());
    }

    @Test
    void controlPortFile() {
        assertEquals(HostPort.loopback(40123), ControlReplies.controlPortFile("PORT=127.0.0.1:40123\n"));
        assertThrows(IllegalArgumentException.class, () -> ControlReplies.controlPortFile("nothing\n"));
        assertEquals(new UnixSocketPath(java.nio.file.Path.of("/p/tor/sockets/control")),
                ControlReplies.controlPortFile("UNIX_PORT=/p/tor/sockets/control\n"));
        assertThrows(IllegalArgumentException.class, () -> ControlReplies.controlPortFile("PORT=127.0.0.1:99999\n"));
    }

    @Test
    void versionComparison() {
        int[] pow = AlliumControlConnection.POW_MIN_VERSION;
        assertTrue(ControlReplies.versionAtLeast("0.4.9.11 (git-abc)", pow));
        assertTrue(ControlReplies.versionAtLeast("0.4.9.2", pow));
        assertTrue(ControlReplies.versionAtLeast("0.4.10.1-alpha", pow));
        assertTrue(ControlReplies.versionAtLeast("0.5.0.1", pow));
        assertFalse(ControlReplies.versionAtLeast("0.4.9.1-alpha", pow));
        assertFalse(ControlReplies.versionAtLeast("0.4.8.16", pow));
        assertFalse(ControlReplies.versionAtLeast("garbage", pow));
        assertFalse(ControlReplies.versionAtLeast(null, pow));
    }

    @Test
    void scrubRemovesOnionAddresses() {
        String s = Scrub.onions("Uploaded to " + ID + ".onion and " + ID.toUpperCase() + " ok");
        assertFalse(s.toLowerCase().contains(ID), s);
        assertTrue(s.contains("ok"));
    }
}
