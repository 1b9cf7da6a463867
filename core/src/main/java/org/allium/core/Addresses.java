package org.allium.core;

import org.allium.core.api.InvalidAddressException;
import org.allium.protocol.OnionAddress;

/** Reading addresses typed or pasted by users, with a reason a user can act on. Stateless. */
final class Addresses {
    private Addresses() {
    }

    /**
     * Parses {@code allium:<id>}, {@code <id>.onion} or {@code <id>}, any case. What a paste
     * adds is cleaned, not refused: blanks and line breaks anywhere (a mail client's wrapping),
     * invisible characters, and quotes, brackets or a final full stop around it. Pure.
     */
    static OnionAddress parse(String text) throws InvalidAddressException {
        if (text == null || text.isBlank()) {
            throw new InvalidAddressException(InvalidAddressException.Reason.EMPTY);
        }
        String t = clean(text);
        if (t.isEmpty()) {
            throw new InvalidAddressException(InvalidAddressException.Reason.EMPTY);
        }
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("allium:")) {
            t = t.substring(7);
        } else if (lower.contains(":")) {
            throw new InvalidAddressException(InvalidAddressException.Reason.WRONG_PREFIX);
        }
        if (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.toLowerCase(java.util.Locale.ROOT).endsWith(".onion")) {
            t = t.substring(0, t.length() - 6);
        }
        if (t.length() != OnionAddress.SERVICE_ID_LENGTH) {
            throw new InvalidAddressException(InvalidAddressException.Reason.WRONG_LENGTH);
        }
        if (!t.toLowerCase(java.util.Locale.ROOT).matches("[a-z2-7]+")) {
            throw new InvalidAddressException(InvalidAddressException.Reason.NOT_BASE32);
        }
        try {
            return OnionAddress.parse(t);
        } catch (org.allium.protocol.InvalidAddressException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
            throw new InvalidAddressException(m.contains("version")
                    ? InvalidAddressException.Reason.BAD_VERSION : InvalidAddressException.Reason.BAD_CHECKSUM);
        }
    }

    private static final String WRAPPERS = "<>\"'`()[]{}\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e";

    /** Removes blanks and invisible characters anywhere, and wrappers and final punctuation around. */
    static String clean(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (!Character.isWhitespace(cp) && !Character.isSpaceChar(cp)
                    && Character.getType(cp) != Character.FORMAT) {
                b.appendCodePoint(cp);
            }
        });
        String t = b.toString();
        boolean changed = true;
        while (changed && !t.isEmpty()) {
            changed = false;
            if (WRAPPERS.indexOf(t.charAt(0)) >= 0) {
                t = t.substring(1);
                changed = true;
            }
            if (!t.isEmpty() && (WRAPPERS.indexOf(t.charAt(t.length() - 1)) >= 0
                    || ".,;:!?".indexOf(t.charAt(t.length() - 1)) >= 0)) {
                t = t.substring(0, t.length() - 1);
                changed = true;
            }
        }
        return t;
    }
}
