package org.allium.tor.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * SOCKS5 username/password that tor uses only to keep streams apart
 * ({@code IsolateSOCKSAuth}): streams with different credentials never share a circuit.
 * Use one per peer so that two contacts are never linkable by a shared circuit.
 * Each part is 1–255 bytes of UTF-8 (a SOCKS5 limit).
 */
public record StreamIsolation(String username, String password) {
    public StreamIsolation {
        check(username, "username");
        check(password, "password");
    }

    /** Isolation keyed by one string (e.g. a contact's local id). */
    public static StreamIsolation of(String key) {
        return new StreamIsolation("allium", key);
    }

    private static void check(String s, String what) {
        Objects.requireNonNull(s, what);
        int n = s.getBytes(StandardCharsets.UTF_8).length;
        if (n < 1 || n > 255) throw new IllegalArgumentException(what + " must be 1-255 bytes");
    }

    @Override
    public String toString() {
        return "StreamIsolation[…]";
    }
}
