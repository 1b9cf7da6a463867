package org.allium.tor;

import org.allium.tor.api.TransportMissingException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Bridge lines and the pluggable-transport binaries they need. obfs4 (and meek_lite,
 * webtunnel) run through lyrebird or Debian's {@code obfs4proxy}; snowflake through
 * {@code snowflake-client}. Looks on the PATH and in Tor Browser's
 * {@code PluggableTransports} directory beside its tor. Thread-safe (immutable).
 */
final class Transports {
    private static final Pattern TRANSPORT_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** Binaries that serve a transport, in order of preference. */
    private static final Map<String, List<String>> BINARIES = Map.of(
            "obfs4", List.of("lyrebird", "obfs4proxy"),
            "meek_lite", List.of("lyrebird", "obfs4proxy"),
            "webtunnel", List.of("lyrebird"),
            "snowflake", List.of("snowflake-client"));

    private static final Map<String, String> PACKAGES = Map.of(
            "obfs4", "obfs4proxy",
            "meek_lite", "obfs4proxy",
            "webtunnel", "lyrebird (from Tor Browser)",
            "snowflake", "snowflake-client");

    private final HostEnvironment host;

    Transports(HostEnvironment host) {
        this.host = host;
    }

    /** A bridge line without the optional {@code Bridge } keyword, whitespace-normalised. */
    static String normalise(String line) {
        String s = line.strip().replaceAll("\\s+", " ");
        if (s.equalsIgnoreCase("Bridge")) s = "";
        if (s.regionMatches(true, 0, "Bridge ", 0, 7)) s = s.substring(7).strip();
        if (s.isEmpty()) throw new IllegalArgumentException("empty bridge line");
        return s;
    }

    /** The transport a bridge line uses, or null for a plain (vanilla) bridge. */
    static String transportOf(String normalisedLine) {
        String first = normalisedLine.split(" ", 2)[0];
        // A vanilla bridge starts with addr:port; a transport name has no ':' or '.'.
        if (first.indexOf(':') >= 0 || first.indexOf('.') >= 0 || first.startsWith("[")) return null;
        if (!TRANSPORT_NAME.matcher(first).matches()) {
            throw new IllegalArgumentException("bridge line does not start with a transport or an address");
        }
        return first.toLowerCase(Locale.ROOT);
    }

    /**
     * Finds one binary per transport used by {@code bridgeLines}.
     *
     * @param torBinary the tor in use, whose directory may hold Tor Browser's transports
     * @return transport name → binary, in first-use order
     * @throws TransportMissingException naming the transport and how to install it
     */
    Map<String, Path> resolve(List<String> bridgeLines, Path torBinary) throws TransportMissingException {
        return resolve(bridgeLines, torBinary, null);
    }

    /**
     * As {@link #resolve(List, Path)}, with the binary the user chose ({@code chosen}, may be
     * null) serving every transport the lines use instead of one found on the PATH.
     *
     * @throws TransportMissingException if {@code chosen} is not an executable file
     */
    Map<String, Path> resolve(List<String> bridgeLines, Path torBinary, Path chosen) throws TransportMissingException {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String line : bridgeLines) {
            String transport = transportOf(normalise(line));
            if (transport == null || out.containsKey(transport)) continue;
            List<String> names = BINARIES.get(transport);
            if (names == null) {
                throw new TransportMissingException(transport, "Bridge lines use the '" + transport
                        + "' transport, which Allium does not know how to run (known: obfs4, meek_lite, "
                        + "webtunnel, snowflake).", List.of());
            }
            if (chosen != null) {
                if (!host.isExecutable().test(chosen)) {
                    throw new TransportMissingException(transport, "The transport binary " + chosen
                            + " chosen for the bridges is not an executable file.", List.of(chosen.toString()));
                }
                out.put(transport, chosen);
                continue;
            }
            out.put(transport, find(transport, names, torBinary));
        }
        return out;
    }

    private Path find(String transport, List<String> names, Path torBinary) throws TransportMissingException {
        List<Path> dirs = new ArrayList<>(host.pathDirectories());
        Path torDir = torBinary == null ? null : torBinary.toAbsolutePath().getParent();
        if (torDir != null) dirs.add(torDir.resolve("PluggableTransports"));
        List<String> searched = new ArrayList<>();
        for (String name : names) {
            for (Path dir : dirs) {
                Path p = dir.resolve(host.executableName(name));
                searched.add(p.toString());
                if (host.isExecutable().test(p)) return p;
            }
        }
        throw new TransportMissingException(transport, "Bridge lines use the '" + transport
                + "' transport, but " + String.join(" or ", names) + " was not found on the PATH or beside tor. "
                + "Install it (on Debian/Ubuntu: sudo apt-get install " + PACKAGES.get(transport)
                + "), use Tor Browser's, or remove those bridges.", searched);
    }
}
