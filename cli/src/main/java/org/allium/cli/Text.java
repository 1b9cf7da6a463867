package org.allium.cli;

/** Making text from other people safe to print on a terminal. */
final class Text {

    private Text() {
    }

    /**
     * Replaces control characters (C0, DEL, C1 — e.g. ANSI escape sequences a stranger put
     * in a nickname or request) with U+FFFD, keeping newlines only if {@code keepNewlines}.
     */
    static String safe(String s, boolean keepNewlines) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' && keepNewlines) {
                sb.append(c);
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                    || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
                // Includes bidi overrides, which can make a link read differently than it is.
                sb.append('\uFFFD');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
