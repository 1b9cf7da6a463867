package org.allium.core.groups;

import java.util.HexFormat;
import java.util.Locale;

/**
 * Identifies a private group: 16 bytes, shown as 32 lowercase hex digits. The same for every
 * member (derived from the creator's key and a salt). Immutable.
 */
public record GroupId(String hex) {
    public GroupId {
        if (hex == null || !hex.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("a group id is 32 lowercase hex digits");
        }
    }

    /** Parses the form produced by {@link #toString()} (case-insensitive, surrounding space ignored). */
    public static GroupId parse(String text) {
        return new GroupId(text.trim().toLowerCase(Locale.ROOT));
    }

    static GroupId of(byte[] id) {
        return new GroupId(HexFormat.of().formatHex(id));
    }

    byte[] bytes() {
        return HexFormat.of().parseHex(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
