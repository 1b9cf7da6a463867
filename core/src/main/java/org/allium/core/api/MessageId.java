package org.allium.core.api;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The random 128-bit id of one message, as 32 lower-case hex digits. The same id is used by
 * both sides of a conversation. Immutable.
 *
 * @param hex 32 hex digits (upper case is accepted and normalised)
 */
public record MessageId(String hex) {
    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");

    public MessageId {
        if (hex == null) {
            throw new IllegalArgumentException("message id is null");
        }
        hex = hex.toLowerCase(Locale.ROOT);
        if (!HEX32.matcher(hex).matches()) {
            throw new IllegalArgumentException("message id must be 32 hex digits");
        }
    }

    @Override
    public String toString() {
        return hex;
    }
}
