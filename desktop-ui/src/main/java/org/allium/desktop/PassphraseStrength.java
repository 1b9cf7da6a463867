package org.allium.desktop;

/**
 * A rough strength estimate for a new passphrase, to nudge people towards long ones.
 * Pure function, thread-safe. It estimates bits from the character classes used and,
 * for passphrases made of words, from the number of words; repeated characters count once.
 */
public enum PassphraseStrength {
    EMPTY, WEAK, FAIR, GOOD, STRONG;

    /** Fewer characters than this cannot be used at all. */
    public static final int MIN_LENGTH = 8;

    /** The message key of the hint shown under the passphrase field. */
    public String hintKey() {
        return "passphrase.strength." + name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Strength as 0–4 for a meter. */
    public int level() {
        return ordinal();
    }

    public static PassphraseStrength of(char[] p) {
        if (p.length == 0) {
            return EMPTY;
        }
        double bits = Math.max(characterBits(p), wordBits(p));
        if (p.length < MIN_LENGTH || bits < 40) {
            return WEAK;
        }
        if (bits < 60) {
            return FAIR;
        }
        if (bits < 80) {
            return GOOD;
        }
        return STRONG;
    }

    private static double characterBits(char[] p) {
        boolean lower = false, upper = false, digit = false, symbol = false, other = false;
        long distinct = new String(p).chars().distinct().count();
        for (char c : p) {
            if (c >= 'a' && c <= 'z') {
                lower = true;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c < 128) {
                symbol = true;
            } else {
                other = true;
            }
        }
        int pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0);
        // Repetition ("aaaaaaaaaa") adds little: count at most 2 uses of each distinct character.
        long effective = Math.min(p.length, distinct * 2);
        return effective * (Math.log(pool) / Math.log(2));
    }

    private static double wordBits(char[] p) {
        String[] words = new String(p).trim().split("[\\s\\-_.]+");
        int n = 0;
        for (String w : words) {
            if (w.length() >= 3) {
                n++;
            }
        }
        // ~11 bits per word, as for a word list of a few thousand entries.
        return n * 11.0;
    }
}
