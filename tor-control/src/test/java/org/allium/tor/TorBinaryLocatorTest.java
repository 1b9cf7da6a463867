package org.allium.tor;

import org.allium.tor.api.TorNotFoundException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorBinaryLocatorTest {
    private static final Path HOME = Path.of("/home/u");

    private static TorBinaryLocator locator(String os, Map<String, String> env, Set<Path> executables) {
        return new TorBinaryLocator(new HostEnvironment(env, os, HOME, executables::contains));
    }

    private static Map<String, String> path(String value) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", value);
        return env;
    }

    @Test
    void explicitSettingWinsOverEverything() throws Exception {
        Map<String, String> env = path("/usr/bin");
        env.put("ALLIUM_TOR", "/opt/env/tor");
        Path explicit = Path.of("/opt/explicit/tor");
        TorBinaryLocator l = locator("Linux", env, Set.of(explicit, Path.of("/opt/env/tor"), Path.of("/usr/bin/tor")));
        assertEquals(explicit, l.locate(explicit));
    }

    @Test
    void explicitSettingThatIsNotExecutableIsAnErrorNotAFallThrough() {
        TorBinaryLocator l = locator("Linux", path("/usr/bin"), Set.of(Path.of("/usr/bin/tor")));
        TorNotFoundException e = assertThrows(TorNotFoundException.class, () -> l.locate(Path.of("/nope/tor")));
        assertTrue(e.getMessage().contains("/nope/tor"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install tor"), e.getMessage());
    }

    @Test
    void environmentVariableBeatsPath() throws Exception {
        Map<String, String> env = path("/usr/bin");
        env.put("ALLIUM_TOR", "/opt/env/tor");
        TorBinaryLocator l = locator("Linux", env, Set.of(Path.of("/opt/env/tor"), Path.of("/usr/bin/tor")));
        assertEquals(Path.of("/opt/env/tor"), l.locate(null));
    }

    @Test
    void environmentVariablePointingNowhereIsAnError() {
        Map<String, String> env = path("/usr/bin");
        env.put("ALLIUM_TOR", "/opt/missing/tor");
        TorBinaryLocator l = locator("Linux", env, Set.of(Path.of("/usr/bin/tor")));
        TorNotFoundException e = assertThrows(TorNotFoundException.class, () -> l.locate(null));
        assertTrue(e.getMessage().contains("ALLIUM_TOR"), e.getMessage());
        assertEquals(1, e.searched().size());
    }

    @Test
    void blankEnvironmentVariableIsIgnored() throws Exception {
        Map<String, String> env = path("/usr/bin");
        env.put("ALLIUM_TOR", "  ");
        TorBinaryLocator l = locator("Linux", env, Set.of(Path.of("/usr/bin/tor")));
        assertEquals(Path.of("/usr/bin/tor"), l.locate(null));
    }

    @Test
    void firstPathEntryWithTorWins() throws Exception {
        TorBinaryLocator l = locator("Linux", path("/a::/b:/c"), Set.of(Path.of("/b/tor"), Path.of("/c/tor")));
        assertEquals(Path.of("/b/tor"), l.locate(null));
    }

    @Test
    void pathBeatsTorBrowser() throws Exception {
        Path tb = HOME.resolve("tor-browser/Browser/TorBrowser/Tor/tor");
        TorBinaryLocator l = locator("Linux", path("/usr/sbin"), Set.of(Path.of("/usr/sbin/tor"), tb));
        assertEquals(Path.of("/usr/sbin/tor"), l.locate(null));
    }

    @Test
    void torBrowserInHomeOnLinux() throws Exception {
        Path tb = HOME.resolve("tor-browser/Browser/TorBrowser/Tor/tor");
        assertEquals(tb, locator("Linux", path("/usr/bin"), Set.of(tb)).locate(null));
    }

    @Test
    void torBrowserLauncherLocationOnLinux() throws Exception {
        Path tb = HOME.resolve(".local/share/torbrowser/tbb/x86_64/tor-browser/Browser/TorBrowser/Tor/tor");
        assertEquals(tb, locator("Linux", Map.of(), Set.of(tb)).locate(null));
    }

    @Test
    void torBrowserOnMac() throws Exception {
        Path tb = Path.of("/Applications/Tor Browser.app/Contents/MacOS/Tor/tor");
        assertEquals(tb, locator("Mac OS X", path("/usr/local/bin"), Set.of(tb)).locate(null));
    }

    @Test
    void windowsUsesExeAndSemicolons() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("Path", "C:\\a;C:\\b");
        Path exe = Path.of("C:\\b").resolve("tor.exe");
        assertEquals(exe, locator("Windows 11", env, Set.of(exe)).locate(null));
    }

    @Test
    void missingBinarySaysHowToInstallOnLinux() {
        TorBinaryLocator l = locator("Linux", path("/usr/bin:/bin"), Set.of());
        TorNotFoundException e = assertThrows(TorNotFoundException.class, () -> l.locate(null));
        assertTrue(e.getMessage().startsWith("No tor binary found."), e.getMessage());
        assertTrue(e.getMessage().contains("sudo apt-get install tor"), e.getMessage());
        assertTrue(e.getMessage().contains("Tor Browser"), e.getMessage());
        assertTrue(e.getMessage().contains("ALLIUM_TOR"), e.getMessage());
        assertEquals("/usr/bin/tor", e.searched().get(0));
        assertEquals("/bin/tor", e.searched().get(1));
        assertTrue(e.searched().contains(HOME.resolve("tor-browser/Browser/TorBrowser/Tor/tor").toString()));
    }

    @Test
    void missingBinaryOnMacPointsAtTorBrowserAndHomebrew() {
        TorNotFoundException e = assertThrows(TorNotFoundException.class,
                () -> locator("Mac OS X", Map.of(), Set.of()).locate(null));
        assertTrue(e.getMessage().contains("brew install tor"), e.getMessage());
        assertTrue(e.getMessage().contains("torproject.org/download"), e.getMessage());
    }

    @Test
    void realMachineHasTor() throws Exception {
        // The build machine must have tor (./run-tests installs it); this is what own() uses.
        Path tor = Tors.findTorBinary(null);
        assertTrue(tor.getFileName().toString().startsWith("tor"), tor.toString());
    }
}
