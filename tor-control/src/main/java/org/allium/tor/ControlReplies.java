package org.allium.tor;

import org.allium.tor.api.BootstrapStatus;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.ListenAddress;
import org.allium.tor.api.UnixSocketPath;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parsers for what tor says on the control port: keyword arguments with quoted strings,
 * bootstrap status, HS_DESC events, listener lists, the control-port file and the version.
 * Pure functions; malformed input gives an {@link IllegalArgumentException} or null as
 * documented, never anything worse.
 */
final class ControlReplies {
    private ControlReplies() {}

    /** A parsed {@code HS_DESC} event: action, service id, and the REASON= if any. */
    record HsDescEvent(String action, String serviceId, String reason) {}

    /**
     * Splits {@code a B=c D="e f"} into positional words (key null) and KEY=VALUE pairs,
     * unescaping quoted strings.
     */
    static List<Map.Entry<String, String>> tokens(String s) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') i++;
            if (i >= n) break;
            int start = i;
            String key = null;
            while (i < n && s.charAt(i) != ' ' && s.charAt(i) != '=' && s.charAt(i) != '"') i++;
            if (i < n && s.charAt(i) == '=') {
                key = s.substring(start, i);
                i++;
                start = i;
            }
            String value;
            if (i < n && s.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < n) {
                        char e = s.charAt(i++);
                        sb.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            default -> e;
                        });
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        sb.append(c);
                    }
                }
                if (!closed) throw new IllegalArgumentException("unterminated quoted string");
                value = sb.toString();
            } else {
                while (i < n && s.charAt(i) != ' ') i++;
                value = s.substring(start, i);
            }
            out.add(new java.util.AbstractMap.SimpleImmutableEntry<>(key, value));
        }
        return out;
    }

    /** KEY=VALUE pairs only, upper-cased keys, later ones win. */
    static Map<String, String> keywords(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : tokens(s)) {
            if (t.getKey() != null) out.put(t.getKey().toUpperCase(Locale.ROOT), t.getValue());
        }
        return out;
    }

    /**
     * Parses {@code [SEVERITY] BOOTSTRAP PROGRESS=n TAG=t SUMMARY="..."} (a STATUS_CLIENT
     * event body or {@code GETINFO status/bootstrap-phase}).
     *
     * @return the status, or null if this is not a bootstrap report
     */
    static BootstrapStatus bootstrap(String s) {
        if (s == null) return null;
        List<Map.Entry<String, String>> tokens;
        try {
            tokens = tokens(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        boolean isBootstrap = false;
        for (Map.Entry<String, String> t : tokens) {
            if (t.getKey() == null && t.getValue().equals("BOOTSTRAP")) isBootstrap = true;
        }
        if (!isBootstrap) return null;
        Map<String, String> kw = keywords(s);
        String progress = kw.get("PROGRESS");
        if (progress == null) return null;
        int percent;
        try {
            percent = Integer.parseInt(progress);
        } catch (NumberFormatException e) {
            return null;
        }
        if (percent < 0 || percent > 100) return null;
        return new BootstrapStatus(percent, kw.getOrDefault("TAG", ""), kw.getOrDefault("SUMMARY", ""));
    }

    /**
     * Parses an {@code HS_DESC} event body:
     * {@code Action HSAddress AuthType HsDir [DescriptorID] [REASON=r] ...}.
     *
     * @return the event, or null if malformed
     */
    static HsDescEvent hsDesc(String s) {
        List<Map.Entry<String, String>> tokens;
        try {
            tokens = tokens(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        List<String> words = new ArrayList<>();
        String reason = null;
        for (Map.Entry<String, String> t : tokens) {
            if (t.getKey() == null) words.add(t.getValue());
            else if (t.getKey().equalsIgnoreCase("REASON")) reason = t.getValue();
        }
        if (words.size() < 2) return null;
        return new HsDescEvent(words.get(0).toUpperCase(Locale.ROOT), words.get(1).toLowerCase(Locale.ROOT), reason);
    }

    /**
     * Parses {@code GETINFO net/listeners/socks}: space-separated quoted {@code host:port}
     * and {@code unix:/path} entries, in tor's order.
     */
    static List<ListenAddress> listeners(String s) {
        List<ListenAddress> out = new ArrayList<>();
        if (s == null) return out;
        for (Map.Entry<String, String> t : tokens(s)) {
            String v = t.getValue();
            if (t.getKey() != null) continue;
            out.add(v.startsWith("unix:") ? unixPath(v.substring(5)) : HostPort.parse(v));
        }
        return out;
    }

    /**
     * Parses tor's {@code ControlPortWriteToFile} content: a {@code PORT=host:port} or
     * {@code UNIX_PORT=/path} line (the first one counts).
     */
    static ListenAddress controlPortFile(String content) {
        for (String line : content.split("\n")) {
            line = line.strip();
            if (line.startsWith("PORT=")) return HostPort.parse(line.substring(5));
            if (line.startsWith("UNIX_PORT=")) return unixPath(line.substring(10));
        }
        throw new IllegalArgumentException("no PORT= line in tor's control port file");
    }

    private static UnixSocketPath unixPath(String s) {
        try {
            return new UnixSocketPath(java.nio.file.Path.of(s));
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("not a socket path", e);
        }
    }

    /**
     * Whether a tor version string ({@code "0.4.9.11 (git-...)"} or {@code "0.4.8.9"}) is
     * at least {@code min}. Unparseable versions count as old.
     */
    static boolean versionAtLeast(String version, int... min) {
        if (version == null) return false;
        String core = version.strip().split("[ \\-]", 2)[0];
        String[] parts = core.split("\\.");
        for (int i = 0; i < min.length; i++) {
            int v;
            try {
                v = i < parts.length ? Integer.parseInt(parts[i]) : 0;
            } catch (NumberFormatException e) {
                return false;
            }
            if (v != min[i]) return v > min[i];
        }
        return true;
    }
}
