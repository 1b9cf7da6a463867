package org.allium.testnet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to start a {@link Testnet}: which binaries, and how long to wait for the network to
 * become usable. Immutable.
 *
 * @param tor             the {@code tor} executable
 * @param torGencert      the {@code tor-gencert} executable (authority keys)
 * @param startTimeout    deadline from launch until every node has bootstrapped; generous,
 *                        because bootstrap sometimes stalls at 95 % until the next consensus
 */
public record TestnetOptions(Path tor, Path torGencert, Duration startTimeout) {

    /** Environment variable naming the tor binary, shared with tor-control. */
    public static final String TOR_ENV = "ALLIUM_TOR";

    public TestnetOptions {
        Objects.requireNonNull(tor, "tor");
        Objects.requireNonNull(torGencert, "torGencert");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
        }
    }

    /**
     * Finds {@code tor} ({@value #TOR_ENV}, else {@code PATH}) and {@code tor-gencert} (beside
     * tor, else {@code PATH}), with a 5-minute start deadline.
     *
     * @throws TestnetException when a binary is missing; the message says how to install it
     */
    public static TestnetOptions defaults() throws TestnetException {
        return find(System.getenv());
    }

    /** {@link #defaults()} with the given environment (for tests). */
    static TestnetOptions find(java.util.Map<String, String> environment) throws TestnetException {
        String path = environment.get("PATH");
        String env = environment.get(TOR_ENV);
        Path tor = env != null && !env.isBlank() ? Path.of(env) : onPath(path, "tor");
        if (tor == null || !Files.isExecutable(tor)) {
            throw new TestnetException("tor is not installed (no executable 'tor' on PATH"
                    + (env != null ? " and " + TOR_ENV + " is not executable" : "")
                    + "). The private Tor network needs it: on Debian/Ubuntu run"
                    + " 'sudo apt-get install tor', or run ./run-tests which installs it.");
        }
        Path gencert = tor.resolveSibling("tor-gencert");
        if (!Files.isExecutable(gencert)) {
            gencert = onPath(path, "tor-gencert");
        }
        if (gencert == null) {
            throw new TestnetException("tor-gencert is not installed (it creates the keys of the"
                    + " test directory authorities). On Debian/Ubuntu it comes with the 'tor'"
                    + " package: 'sudo apt-get install tor'.");
        }
        return new TestnetOptions(tor, gencert, Duration.ofMinutes(5));
    }

    /** A copy with another start deadline. */
    public TestnetOptions withStartTimeout(Duration timeout) {
        return new TestnetOptions(tor, torGencert, timeout);
    }

    static Path onPath(String path, String name) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }
}
