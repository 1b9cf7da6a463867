package org.allium.tor;

import org.allium.tor.api.TorNotFoundException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the tor binary: an explicit setting, then {@code ALLIUM_TOR}, then {@code tor} on
 * the PATH, then well-known Tor Browser locations. An explicit setting or
 * {@code ALLIUM_TOR} that does not point at an executable is an error, not a reason to
 * fall through: the user asked for that binary. Thread-safe (immutable).
 */
final class TorBinaryLocator {
    static final String ENV_VAR = "ALLIUM_TOR";

    private final HostEnvironment host;

    TorBinaryLocator(HostEnvironment host) {
        this.host = host;
    }

    /**
     * @param explicit the binary from the user's settings, or null
     * @throws TorNotFoundException with install instructions when nothing is found
     */
    Path locate(Path explicit) throws TorNotFoundException {
        List<String> searched = new ArrayList<>();
        if (explicit != null) {
            searched.add("setting: " + explicit);
            if (host.isExecutable().test(explicit)) return explicit;
            throw new TorNotFoundException("The tor binary given in the settings (" + explicit
                    + ") is not an executable file. " + installHint(), searched);
        }
        Optional<String> fromEnv = host.getenv(ENV_VAR);
        if (fromEnv.isPresent()) {
            Path p = Path.of(fromEnv.get());
            searched.add(ENV_VAR + "=" + p);
            if (host.isExecutable().test(p)) return p;
            throw new TorNotFoundException(ENV_VAR + " is set to " + p
                    + ", which is not an executable file. Fix or unset it. " + installHint(), searched);
        }
        String name = host.executableName("tor");
        for (Path dir : host.pathDirectories()) {
            Path p = dir.resolve(name);
            searched.add(p.toString());
            if (host.isExecutable().test(p)) return p;
        }
        for (Path p : torBrowserLocations()) {
            searched.add(p.toString());
            if (host.isExecutable().test(p)) return p;
        }
        throw new TorNotFoundException("No tor binary found. " + installHint(), searched);
    }

    private String installHint() {
        String install;
        if (host.isMac()) {
            install = "Install Tor Browser (https://www.torproject.org/download/) into /Applications, "
                    + "or install tor with Homebrew (brew install tor)";
        } else if (host.isWindows()) {
            install = "Install Tor Browser (https://www.torproject.org/download/) on the Desktop";
        } else {
            install = "Install tor: on Debian/Ubuntu run 'sudo apt-get install tor'; "
                    + "or unpack Tor Browser (https://www.torproject.org/download/) into your home directory";
        }
        return install + ", or set " + ENV_VAR + " to the path of a tor binary.";
    }

    /** Where Tor Browser keeps its tor, per OS; checked in this order. */
    List<Path> torBrowserLocations() {
        Path home = host.home();
        List<Path> out = new ArrayList<>();
        if (host.isMac()) {
            out.add(Path.of("/Applications/Tor Browser.app/Contents/MacOS/Tor/tor"));
            out.add(home.resolve("Applications/Tor Browser.app/Contents/MacOS/Tor/tor"));
        } else if (host.isWindows()) {
            String tail = "Browser\\TorBrowser\\Tor\\tor.exe";
            out.add(home.resolve("Desktop\\Tor Browser").resolve(tail));
            host.getenv("LOCALAPPDATA").ifPresent(d -> out.add(Path.of(d, "Tor Browser").resolve(tail)));
            host.getenv("ProgramFiles").ifPresent(d -> out.add(Path.of(d, "Tor Browser").resolve(tail)));
        } else {
            String tail = "Browser/TorBrowser/Tor/tor";
            out.add(home.resolve("tor-browser").resolve(tail));
            out.add(home.resolve("tor-browser_en-US").resolve(tail));
            out.add(home.resolve("Desktop/tor-browser").resolve(tail));
            // torbrowser-launcher (Debian/Ubuntu package) installs here.
            out.add(home.resolve(".local/share/torbrowser/tbb/x86_64/tor-browser").resolve(tail));
            out.add(Path.of("/opt/tor-browser").resolve(tail));
        }
        return out;
    }
}
