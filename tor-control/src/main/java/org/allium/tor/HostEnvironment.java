package org.allium.tor;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What binary discovery needs from the host: environment variables, the OS, the home
 * directory and a test for "is an executable file". Injected so that tests can cover every
 * branch without touching the real machine. Immutable.
 */
record HostEnvironment(Map<String, String> env, String osName, Path home, Predicate<Path> isExecutable) {

    HostEnvironment {
        env = Map.copyOf(env);
        Objects.requireNonNull(osName, "osName");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(isExecutable, "isExecutable");
    }

    /** The real machine. */
    static HostEnvironment system() {
        return new HostEnvironment(System.getenv(), System.getProperty("os.name", ""),
                Path.of(System.getProperty("user.home", ".")),
                p -> Files.isRegularFile(p) && Files.isExecutable(p));
    }

    boolean isWindows() {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows");
    }

    boolean isMac() {
        String os = osName.toLowerCase(Locale.ROOT);
        return os.startsWith("mac") || os.startsWith("darwin");
    }

    Optional<String> getenv(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /** The PATH directories in order; empty or malformed entries are skipped. */
    List<Path> pathDirectories() {
        List<Path> dirs = new ArrayList<>();
        String path = getenv("PATH").or(() -> getenv("Path")).orElse("");
        String separator = isWindows() ? ";" : ":";
        for (String entry : path.split(java.util.regex.Pattern.quote(separator))) {
            if (entry.isBlank()) continue;
            try {
                dirs.add(Path.of(entry));
            } catch (InvalidPathException e) {
                // A malformed PATH entry cannot hold tor; skip it.
            }
        }
        return dirs;
    }

    /** The file name of an executable on this OS ({@code tor} → {@code tor.exe} on Windows). */
    String executableName(String base) {
        return isWindows() ? base + ".exe" : base;
    }
}
