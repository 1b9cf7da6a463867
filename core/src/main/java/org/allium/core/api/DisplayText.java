package org.allium.core.api;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The one sanitiser for text that other people chose and we show: nicknames, request and
 * message texts, file and group names. Every front end (desktop and command line) passes such
 * text through here before showing it, so a name cannot hide behind invisible characters,
 * reverse itself with bidi overrides, paint over other lines with stacked combining marks,
 * drive a terminal with control codes or run for pages. It makes text <em>safe to read</em>;
 * it does not make it safe for any markup: a front end must still show the result as plain
 * text (the desktop never lets Swing read it as HTML; see its {@code PlainText}).
 *
 * <ul>
 *   <li>C0/C1 control characters and DEL become U+FFFD (visible: something was there);
 *       in {@link #text} line breaks of any kind become {@code \n}, elsewhere a space.</li>
 *   <li>Bidi embeddings, overrides, isolates and marks, zero-width and other invisible
 *       format characters (Unicode category Cf, the combining grapheme joiner, Hangul
 *       fillers) are removed.</li>
 *   <li>Every kind of space becomes an ordinary space; in a {@link #line} runs collapse to
 *       one and the ends are trimmed; in a {@link #text} more than two empty lines in a row
 *       collapse.</li>
 *   <li>At most {@value #MAX_MARKS} combining marks follow one character.</li>
 *   <li>The text is composed (NFC); unpaired surrogates become U+FFFD; the length is
 *       bounded in code points, with "…" marking a cut.</li>
 * </ul>
 *
 * <p>{@link #skeleton} and {@link #looksAlike} compare names the way a reader would: after
 * sanitising, compatibility normalisation (NFKC), case folding, without accents, with common
 * homoglyphs (Cyrillic and Greek letters that look Latin, 0/O, 1/l/I, "rn"/"m") mapped to one
 * form, ignoring spaces and punctuation. Pure functions; thread-safe.
 */
public final class DisplayText {
    /** Longest name shown, in code points (the wire limit is 64 UTF-16 chars). */
    public static final int MAX_NAME = 64;
    /** Combining marks kept after one base character. */
    public static final int MAX_MARKS = 4;
    private static final char REPLACEMENT = '\uFFFD';
    private static final String ELLIPSIS = "…";

    private DisplayText() {
    }

    /** A name (one line, at most {@value #MAX_NAME} code points); {@code null} gives "". */
    public static String name(String raw) {
        return line(raw, MAX_NAME);
    }

    /** One line of at most {@code maxCodePoints} code points; {@code null} gives "". */
    public static String line(String raw, int maxCodePoints) {
        return clean(raw, false, maxCodePoints);
    }

    /** Text that may span lines (messages, request texts), at most {@code maxCodePoints}. */
    public static String text(String raw, int maxCodePoints) {
        return clean(raw, true, maxCodePoints);
    }

    private static String clean(String raw, boolean multiline, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max < 1");
        }
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        boolean truncated = raw.length() > max * 8 + 64;
        if (truncated) {
            raw = raw.substring(0, max * 8 + 64); // bounds the work; plenty for max code points
        }
        raw = Normalizer.normalize(raw, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(Math.min(raw.length(), max * 2 + 8));
        int marks = 0;
        int newlines = 0;
        int count = 0;
        boolean cut = truncated;
        for (int i = 0; i < raw.length(); ) {
            int cp = raw.codePointAt(i);
            int width = Character.charCount(cp);
            if (Character.isSurrogate((char) cp)) {
                cp = REPLACEMENT; // unpaired
            }
            if (cp == '\r' && i + 1 < raw.length() && raw.charAt(i + 1) == '\n') {
                width = 2;
            }
            i += width;
            if (isLineBreak(cp)) {
                if (!multiline) {
                    cp = ' ';
                } else {
                    trimTrailingSpaces(out);
                    if (out.length() == 0 || ++newlines > 3) {
                        continue; // no leading blank lines, at most two empty lines in a row
                    }
                    out.append('\n');
                    count++;
                    marks = 0;
                    if (count >= max) {
                        cut = i < raw.length();
                        break;
                    }
                    continue;
                }
            }
            if (isSpace(cp)) {
                cp = ' ';
            } else if (Character.isISOControl(cp)) {
                cp = REPLACEMENT;
            } else if (isInvisible(cp)) {
                continue;
            }
            if (cp == ' ') {
                // No leading blanks; in a line, runs collapse (in a text, indentation stays).
                if (out.length() == 0 || (!multiline && out.charAt(out.length() - 1) == ' ')) {
                    continue;
                }
                marks = 0;
            } else if (isMark(cp)) {
                if (out.length() == 0 || ++marks > MAX_MARKS) {
                    continue;
                }
            } else {
                marks = 0;
            }
            newlines = 0;
            if (count >= max) {
                cut = true;
                break;
            }
            out.appendCodePoint(cp);
            count++;
        }
        // Ends: no trailing blanks or line breaks.
        int end = out.length();
        while (end > 0 && (out.charAt(end - 1) == ' ' || out.charAt(end - 1) == '\n')) {
            end--;
        }
        out.setLength(end);
        if (cut) {
            if (out.codePointCount(0, out.length()) >= max) {
                out.setLength(out.offsetByCodePoints(0, max - 1));
            }
            out.append(ELLIPSIS);
        }
        return out.toString();
    }

    private static void trimTrailingSpaces(StringBuilder out) {
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
    }

    private static boolean isLineBreak(int cp) {
        return cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
    }

    private static boolean isSpace(int cp) {
        return cp == '\t' || cp == ' ' || Character.getType(cp) == Character.SPACE_SEPARATOR
                || cp == 0x2800; // braille blank: looks like a space
    }

    private static boolean isMark(int cp) {
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.ENCLOSING_MARK
                || t == Character.COMBINING_SPACING_MARK;
    }

    /** Invisible characters: bidi controls, zero-widths, tags, fillers, other format characters. */
    static boolean isInvisible(int cp) {
        return Character.getType(cp) == Character.FORMAT // bidi controls, ZWSP/ZWJ/ZWNJ, BOM, tags, SHY…
                || cp == 0x034F // combining grapheme joiner
                || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 // Hangul fillers
                || (cp >= 0xFE00 && cp <= 0xFE0E) // variation selectors other than emoji style
                || (cp >= 0xE0100 && cp <= 0xE01EF)
                || (cp >= 0xFFF9 && cp <= 0xFFFB); // interlinear annotation
    }

    /**
     * The form two names are compared in: equal skeletons look alike to a reader.
     * An empty skeleton (a name of only punctuation or spaces) looks like nothing.
     */
    public static String skeleton(String raw) {
        String s = Normalizer.normalize(name(raw), Normalizer.Form.NFKC);
        s = s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        s = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (isMark(cp)) {
                return;
            }
            int m = homoglyph(cp);
            if (Character.isLetterOrDigit(m)) {
                out.appendCodePoint(m);
            }
        });
        String k = out.toString();
        // Pairs of letters that read as one.
        return k.replace("rn", "m").replace("vv", "w").replace("cl", "d");
    }

    /** Whether two names are the same or look the same (see {@link #skeleton}). */
    public static boolean looksAlike(String a, String b) {
        String ka = skeleton(a);
        return !ka.isEmpty() && ka.equals(skeleton(b));
    }

    /** Letters of other scripts (and digits) that read as a Latin letter, in pairs: from, to. */
    private static final String HOMOGLYPHS =
            // Cyrillic
            "аaвbсcԁdеeёeһhіiїiјjкkӏlмmнhоoԛqрpѕsтtуyѵvԝwхxүyьbпnгr"
            // Greek
            + "αaβbγyεeηnιiκkμuνvοoρpτtυuχxωwϲcϳj"
            // Armenian, Latin extras, digits and punctuation
            + "օoսuհhոnզqɑaɡgıi|l0o1l";

    private static int homoglyph(int cp) {
        int m = cp;
        for (int i = 0; i < HOMOGLYPHS.length(); i += 2) {
            if (HOMOGLYPHS.charAt(i) == cp) {
                m = HOMOGLYPHS.charAt(i + 1);
                break;
            }
        }
        // i, l, 1, | and I read alike in most sans-serif fonts.
        return m == 'i' ? 'l' : m;
    }
}
