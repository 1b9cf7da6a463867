package org.allium.tor;

import org.allium.tor.api.TransportMissingException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorrcTest {
    private static final Path DIR = Path.of("/p/tor");
    private static final String OBFS4 = "obfs4 192.0.2.1:443 0123456789ABCDEF0123456789ABCDEF01234567 cert=abc iat-mode=0";
    private static final String SNOWFLAKE = "snowflake 192.0.2.3:80 2B280B23E1107BB62ABFC40DDCC8824814F80A72 fingerprint=2B280B23E1107BB62ABFC40DDCC8824814F80A72 url=https://snowflake-broker.torproject.net/";

    private static Transports transports(Set<Path> executables) {
        return new Transports(new HostEnvironment(Map.of("PATH", "/usr/local/bin:/usr/bin"), "Linux",
                Path.of("/home/u"), executables::contains));
    }

    @Test
    void ownTorrcListensOnUnixSocketsOnly() {
        List<String> lines = Torrc.generate(DIR, Path.of("/p/tor/sockets"), List.of());
        assertTrue(lines.contains("ControlPort 0"), lines.toString());
        assertTrue(lines.contains("ControlSocket /p/tor/sockets/control"));
        assertTrue(lines.contains("ControlSocketsGroupWritable 0"));
        assertTrue(lines.contains("SocksPort unix:/p/tor/sockets/socks ExtendedErrors IsolateSOCKSAuth"));
        assertTrue(lines.contains("UnixSocksGroupWritable 0"));
        assertTrue(lines.contains("ControlPortWriteToFile /p/tor/control-port.txt"));
        assertTrue(lines.contains("CookieAuthentication 1"));
        assertFalse(lines.stream().anyMatch(l -> l.matches("(SocksPort|ControlPort) (auto|\\d+).*") && !l.equals("ControlPort 0")));
    }

    @Test
    void ownTorrcHasEverySafetyLine() {
        List<String> lines = Torrc.generate(DIR, null, List.of());
        assertTrue(lines.contains("DataDirectory /p/tor/data"));
        assertTrue(lines.contains("ControlPort auto"));
        assertTrue(lines.contains("ControlPortWriteToFile /p/tor/control-port.txt"));
        assertTrue(lines.contains("CookieAuthentication 1"));
        assertTrue(lines.contains("CookieAuthFile /p/tor/data/control_auth_cookie"));
        assertTrue(lines.contains("SocksPort auto ExtendedErrors IsolateSOCKSAuth"));
        assertTrue(lines.contains("DisableNetwork 1"));
        assertTrue(lines.contains("Log notice stdout"));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("UseBridges") || l.startsWith("Bridge")));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("GeoIP")), "real network keeps tor's GeoIP defaults");
    }

    private static List<String> conf(List<Map.Entry<String, String>> c) {
        return c.stream().map(e -> e.getKey() + " " + e.getValue()).toList();
    }

    @Test
    void extraLinesComeLastSoTheyCanOverride() {
        List<String> extra = List.of("TestingTorNetwork 1", "DirAuthority a orport=1 no-v2 v3ident=X 127.0.0.1:2 Y");
        List<String> lines = Torrc.generate(DIR, Path.of("/p/s"), extra);
        assertEquals(extra, lines.subList(lines.size() - 2, lines.size()));
    }

    @Test
    void pathsThatTorrcWouldCutAreQuoted() {
        assertEquals("/plain/path with space", Torrc.quoteIfNeeded("/plain/path with space"));
        assertEquals("\"/a#b\"", Torrc.quoteIfNeeded("/a#b"));
        assertEquals("\"C:\\\\tor\"", Torrc.quoteIfNeeded("C:\\tor"));
    }

    @Test
    void vanillaBridgesNeedNoTransport() throws Exception {
        List<String> bridges = List.of(Transports.normalise("Bridge 192.0.2.9:9001 0123456789ABCDEF0123456789ABCDEF01234567"));
        Map<String, Path> plugins = transports(Set.of()).resolve(bridges, Path.of("/usr/bin/tor"));
        assertTrue(plugins.isEmpty());
        List<String> lines = conf(Torrc.bridgeConf(plugins, bridges));
        assertEquals(List.of("UseBridges 1", "Bridge 192.0.2.9:9001 0123456789ABCDEF0123456789ABCDEF01234567"), lines);
        assertFalse(Torrc.generate(DIR, null, List.of()).stream().anyMatch(l -> l.contains("Bridge")),
                "bridges never go into torrc");
    }

    @Test
    void obfs4UsesDebiansObfs4proxy() throws Exception {
        List<String> bridges = List.of(Transports.normalise(OBFS4));
        Map<String, Path> plugins = transports(Set.of(Path.of("/usr/bin/obfs4proxy"))).resolve(bridges, Path.of("/usr/bin/tor"));
        List<String> lines = conf(Torrc.bridgeConf(plugins, bridges));
        assertTrue(lines.contains("UseBridges 1"));
        assertTrue(lines.contains("ClientTransportPlugin obfs4 exec /usr/bin/obfs4proxy"), lines.toString());
        assertTrue(lines.contains("Bridge " + OBFS4));
        assertTrue(lines.indexOf("ClientTransportPlugin obfs4 exec /usr/bin/obfs4proxy") < lines.indexOf("Bridge " + OBFS4));
    }

    @Test
    void aChosenTransportBinaryServesTheBridgesInsteadOfOneOnThePath() throws Exception {
        Path chosen = Path.of("/opt/pt/lyrebird");
        List<String> bridges = List.of(Transports.normalise(OBFS4));
        Map<String, Path> plugins = transports(Set.of(Path.of("/usr/bin/obfs4proxy"), chosen))
                .resolve(bridges, Path.of("/usr/bin/tor"), chosen);
        assertEquals(Map.of("obfs4", chosen), plugins);
        assertTrue(conf(Torrc.bridgeConf(plugins, bridges)).contains("ClientTransportPlugin obfs4 exec /opt/pt/lyrebird"));
        assertThrows(TransportMissingException.class, () -> transports(Set.of(Path.of("/usr/bin/obfs4proxy")))
                .resolve(bridges, Path.of("/usr/bin/tor"), Path.of("/opt/pt/missing")), "a chosen binary that is not there");
        assertTrue(transports(Set.of()).resolve(List.of(Transports.normalise(
                "192.0.2.9:9001 0123456789ABCDEF0123456789ABCDEF01234567")), null, chosen).isEmpty(),
                "vanilla bridges need none");
    }

    @Test
    void lyrebirdIsPreferredAndTorBrowsersTransportsAreFound() throws Exception {
        Path tbTor = Path.of("/home/u/tor-browser/Browser/TorBrowser/Tor/tor");
        Path lyrebird = tbTor.getParent().resolve("PluggableTransports/lyrebird");
        Map<String, Path> plugins = transports(Set.of(Path.of("/usr/bin/obfs4proxy"), lyrebird))
                .resolve(List.of(Transports.normalise(OBFS4)), tbTor);
        // Preference is by binary first (lyrebird, then obfs4proxy), then by place (PATH, then beside tor).
        assertEquals(lyrebird, plugins.get("obfs4"));
    }

    @Test
    void snowflakeWhenPresent() throws Exception {
        List<String> bridges = List.of(Transports.normalise(SNOWFLAKE), Transports.normalise(OBFS4));
        Map<String, Path> plugins = transports(Set.of(Path.of("/usr/bin/snowflake-client"), Path.of("/usr/bin/obfs4proxy")))
                .resolve(bridges, Path.of("/usr/bin/tor"));
        assertEquals(new LinkedHashMap<>(Map.of("snowflake", Path.of("/usr/bin/snowflake-client"),
                "obfs4", Path.of("/usr/bin/obfs4proxy"))), plugins);
        List<String> lines = conf(Torrc.bridgeConf(plugins, bridges));
        assertTrue(lines.contains("ClientTransportPlugin snowflake exec /usr/bin/snowflake-client"));
        assertTrue(lines.contains("ClientTransportPlugin obfs4 exec /usr/bin/obfs4proxy"));
        assertEquals(List.of("snowflake", "obfs4"), List.copyOf(plugins.keySet()), "first-use order");
    }

    @Test
    void missingObfs4BinaryIsATypedErrorWithInstallHint() {
        TransportMissingException e = assertThrows(TransportMissingException.class,
                () -> transports(Set.of()).resolve(List.of(Transports.normalise("Bridge " + OBFS4)), Path.of("/usr/bin/tor")));
        assertEquals("obfs4", e.transport());
        assertTrue(e.getMessage().contains("lyrebird or obfs4proxy"), e.getMessage());
        assertTrue(e.getMessage().contains("sudo apt-get install obfs4proxy"), e.getMessage());
        assertTrue(e.searched().contains("/usr/bin/obfs4proxy"));
        assertTrue(e.searched().contains("/usr/bin/PluggableTransports/obfs4proxy"));
    }

    @Test
    void missingSnowflakeBinaryIsATypedError() {
        TransportMissingException e = assertThrows(TransportMissingException.class,
                () -> transports(Set.of(Path.of("/usr/bin/obfs4proxy"))).resolve(List.of(SNOWFLAKE), null));
        assertEquals("snowflake", e.transport());
        assertTrue(e.getMessage().contains("snowflake-client"), e.getMessage());
    }

    @Test
    void unknownTransportIsATypedError() {
        TransportMissingException e = assertThrows(TransportMissingException.class,
                () -> transports(Set.of()).resolve(List.of("fte 192.0.2.1:1 ABC"), null));
        assertEquals("fte", e.transport());
    }

    @Test
    void bridgeLineShapes() {
        assertEquals("obfs4 1.2.3.4:5 X", Transports.normalise("  Bridge   obfs4  1.2.3.4:5 X "));
        assertEquals("obfs4 1.2.3.4:5 X", Transports.normalise("bridge obfs4 1.2.3.4:5 X"));
        assertNull(Transports.transportOf("1.2.3.4:5 X"));
        assertNull(Transports.transportOf("[2001:db8::1]:443 X"));
        assertEquals("obfs4", Transports.transportOf("obfs4 1.2.3.4:5 X"));
        assertThrows(IllegalArgumentException.class, () -> Transports.normalise("Bridge "));
        assertThrows(IllegalArgumentException.class, () -> Transports.transportOf("ob$fs 1.2.3.4:5"));
    }
}
