package org.allium.tor.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to run our own tor process. Immutable; build with {@link #builder(Path)}.
 *
 * <ul>
 * <li>{@code directory}: a private directory (created 0700) holding torrc, tor's data
 *     directory, the cookie and the control-port file.</li>
 * <li>{@code torBinary}: an explicit tor binary; null means discover it
 *     (setting → {@code ALLIUM_TOR} → PATH → Tor Browser).</li>
 * <li>{@code extraTorrcLines}: appended to the generated torrc (e.g. a private network's
 *     {@code DirAuthority} lines); each line must be a single line.</li>
 * <li>{@code bridges}: bridge lines ({@code [Bridge ][transport ]addr:port fingerprint ...});
 *     empty means no bridges. They are given to tor at run time ({@code SETCONF}) and never
 *     written to torrc or anywhere else on disk.</li>
 * <li>{@code socketDirectory}: where tor's control and SOCKS Unix sockets go (0700); null
 *     means {@code directory/sockets}, or a private runtime directory when that path is too
 *     long for a Unix socket (see {@link SocketDirectory}).</li>
 * <li>{@code tcpPorts}: listen on loopback TCP ports instead of Unix sockets, as before —
 *     only for a tor that other processes attach to as an external tor (tests, bench).
 *     Windows always uses TCP.</li>
 * <li>{@code transportBinary}: the pluggable-transport binary (lyrebird/obfs4proxy/
 *     snowflake-client) chosen by the user for the bridges' transports; null means find one
 *     on the PATH or beside tor.</li>
 * </ul>
 */
public record OwnTorSettings(Path directory, Path torBinary, List<String> extraTorrcLines,
                             List<String> bridges, Duration startTimeout, Path socketDirectory, boolean tcpPorts,
                             Path transportBinary) {

    public OwnTorSettings {
        Objects.requireNonNull(directory, "directory");
        extraTorrcLines = List.copyOf(extraTorrcLines);
        bridges = List.copyOf(bridges);
        Objects.requireNonNull(startTimeout, "startTimeout");
        for (String line : extraTorrcLines) checkLine(line);
        for (String line : bridges) checkLine(line);
    }

    private static void checkLine(String line) {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0 || line.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("torrc line must be a single line");
        }
    }

    /** Says how many bridges there are, never which: settings get logged. */
    @Override
    public String toString() {
        return "OwnTorSettings[directory=" + directory + ", torBinary=" + torBinary + ", extraTorrcLines="
                + extraTorrcLines.size() + ", bridges=" + bridges.size() + ", socketDirectory=" + socketDirectory
                + ", tcpPorts=" + tcpPorts + ", transportBinary=" + (transportBinary != null) + "]";
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** Not thread-safe. */
    public static final class Builder {
        private final Path directory;
        private Path torBinary;
        private final List<String> extraTorrcLines = new ArrayList<>();
        private final List<String> bridges = new ArrayList<>();
        private Duration startTimeout = Duration.ofSeconds(60);
        private Path socketDirectory;
        private boolean tcpPorts;
        private Path transportBinary;

        private Builder(Path directory) {
            this.directory = directory;
        }

        public Builder torBinary(Path binary) {
            torBinary = binary;
            return this;
        }

        public Builder extraTorrcLines(List<String> lines) {
            extraTorrcLines.addAll(lines);
            return this;
        }

        public Builder bridges(List<String> lines) {
            bridges.addAll(lines);
            return this;
        }

        /** How long tor may take to open its control port. */
        public Builder startTimeout(Duration timeout) {
            startTimeout = timeout;
            return this;
        }

        /** Where tor's Unix sockets go (0700, created); see {@link SocketDirectory}. */
        public Builder socketDirectory(Path dir) {
            socketDirectory = dir;
            return this;
        }

        /** Loopback TCP control and SOCKS ports instead of Unix sockets (for a tor shared as an external tor). */
        public Builder tcpPorts(boolean tcp) {
            tcpPorts = tcp;
            return this;
        }

        /** The pluggable-transport binary for the bridges' transports; null: found on the PATH or beside tor. */
        public Builder transportBinary(Path binary) {
            transportBinary = binary;
            return this;
        }

        public OwnTorSettings build() {
            return new OwnTorSettings(directory, torBinary, extraTorrcLines, bridges, startTimeout, socketDirectory,
                    tcpPorts, transportBinary);
        }
    }
}
