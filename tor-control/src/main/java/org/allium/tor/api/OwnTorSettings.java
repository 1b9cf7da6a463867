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
 *     empty means no bridges.</li>
 * </ul>
 */
public record OwnTorSettings(Path directory, Path torBinary, List<String> extraTorrcLines,
                             List<String> bridges, Duration startTimeout) {

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

        public OwnTorSettings build() {
            return new OwnTorSettings(directory, torBinary, extraTorrcLines, bridges, startTimeout);
        }
    }
}
