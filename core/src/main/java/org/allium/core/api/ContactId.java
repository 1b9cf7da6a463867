package org.allium.core.api;

/**
 * Identifies a contact or contact request within one profile. Stable across restarts;
 * meaningless outside the profile that issued it. Immutable.
 *
 * @param value a positive number
 */
public record ContactId(long value) {
    public ContactId {
        if (value <= 0) {
            throw new IllegalArgumentException("contact id must be positive: " + value);
        }
    }

    /** Parses the decimal form produced by {@link #toString()}. */
    public static ContactId parse(String text) {
        try {
            return new ContactId(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a contact id: " + text, e);
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
