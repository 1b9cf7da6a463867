package org.allium.desktop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bridge lines as data, never as torrc: the built-in obfs4 list (Tor Browser's, shipped as the
 * resource {@code bridges/obfs4.txt}) and the check of one line. A line is a {@code Bridge}
 * value only (core hands each to tor as one SETCONF value); whatever else a file or a paste
 * holds is refused, not interpreted. Thread-safe (immutable).
 */
final class BridgeLines {
    /** {@code obfs4 ADDRESS:PORT FINGERPRINT cert=CERT iat-mode=0|1|2}, as Tor Browser lists them. */
    private static final Pattern OBFS4 = Pattern.compile(
            "obfs4 (\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]{2,45}\\]):(\\d{1,5}) ([0-9A-F]{40})"
                    + " cert=([A-Za-z0-9+/]{70}) iat-mode=([012])");
    /** A transport name, or nothing (a plain bridge), then ADDRESS:PORT, then tokens with no blanks. */
    private static final Pattern ANY = Pattern.compile(
            "(?:([a-z][a-z0-9_]{0,31}) )?(\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]{2,45}\\]):(\\d{1,5})"
                    + "(?: [!-~]{1,1024}){0,16}");
    /** Longest line accepted (the snowflake lines are ~450 characters). */
    static final int MAX_LENGTH = 2048;
    private static final String RESOURCE = "/org/allium/desktop/bridges/obfs4.txt";
    private static volatile List<String> obfs4;

    private BridgeLines() {
    }

    /** Tor Browser's built-in obfs4 bridges; every line checked by {@link #isObfs4}. */
    static List<String> builtInObfs4() {
        List<String> l = obfs4;
        if (l == null) {
            try (InputStream in = BridgeLines.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                l = read(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            obfs4 = l;
        }
        return l;
    }

    /**
     * The bridge lines of a list file: blank lines and {@code #} comments skipped, every other
     * line must be a well-formed obfs4 line.
     *
     * @throws IllegalArgumentException naming the line number of the first line that is not
     */
    static List<String> read(InputStream in) throws IOException {
        List<String> out = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int n = 0;
        for (String line; (line = r.readLine()) != null; ) {
            n++;
            if (n > 1000) {
                throw new IllegalArgumentException("more than 1000 lines");
            }
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (!isObfs4(l)) {
                throw new IllegalArgumentException("line " + n + " is not an obfs4 bridge line");
            }
            out.add(l);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no bridge lines");
        }
        return List.copyOf(out);
    }

    /** A well-formed obfs4 line: address (IPv4 octets ≤ 255, or [IPv6]), port 1–65535, fingerprint, cert, iat-mode. */
    static boolean isObfs4(String line) {
        if (line == null || line.length() > MAX_LENGTH) {
            return false;
        }
        Matcher m = OBFS4.matcher(line);
        return m.matches() && address(m.group(1)) && port(m.group(2));
    }

    /**
     * Whether a pasted line (without the {@code Bridge} keyword, blanks collapsed) is a bridge
     * line: an optional transport name, ADDRESS:PORT, then at most 16 printable tokens
     * (fingerprint, key=value). No control characters, nothing that could be another torrc
     * option.
     */
    static boolean isBridgeLine(String line) {
        if (line == null || line.length() > MAX_LENGTH) {
            return false;
        }
        Matcher m = ANY.matcher(line);
        if (!m.matches() || !address(m.group(2)) || !port(m.group(3))) {
            return false;
        }
        return !"obfs4".equals(m.group(1)) || isObfs4(line);
    }

    private static boolean address(String a) {
        if (a.startsWith("[")) {
            return true;
        }
        for (String octet : a.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean port(String p) {
        int port = Integer.parseInt(p);
        return port >= 1 && port <= 65535;
    }
}
