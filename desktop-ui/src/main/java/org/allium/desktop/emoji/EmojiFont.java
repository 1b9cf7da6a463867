package org.allium.desktop.emoji;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The monochrome emoji font bundled with the app: Google's Noto Emoji (Regular), SIL Open Font
 * License 1.1 ({@code OFL.txt} beside it in the jar). The JDK draws no colour emoji and which
 * emoji font fontconfig falls back to differs per machine — with only a colour one (Noto Color
 * Emoji, CBDT) Java draws nothing at all — so emoji in messages, the composer and the picker
 * are always drawn with this font, whatever is installed. Loaded once (about 0.9 MB, parsed on
 * first use) and registered under its family name so styled text can name it. Thread-safe.
 */
public final class EmojiFont {
    private static final Logger LOG = Logger.getLogger(EmojiFont.class.getName());
    /** The font file in the jar. */
    static final String RESOURCE = "/org/allium/desktop/emoji/NotoEmoji-Regular.ttf";

    private EmojiFont() {
    }

    private static final class Holder {
        static final Font FONT = read();
    }

    private static Font read() {
        try (InputStream in = EmojiFont.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                LOG.warning("the bundled emoji font is missing from the jar");
                return null;
            }
            Font f = Font.createFont(Font.TRUETYPE_FONT, in);
            // Registered so StyleContext (styled text) finds it by family; false if one of that name is installed.
            GraphicsEnvironment.getLocalGraphicsEnvironment().registerFont(f);
            return f;
        } catch (IOException | FontFormatException e) {
            LOG.log(Level.WARNING, "the bundled emoji font could not be read ({0})", e.getClass().getSimpleName());
            return null;
        }
    }

    /** Loads the font now (call it early on a background thread to keep the event thread quick). */
    public static boolean load() {
        return Holder.FONT != null;
    }

    /** The bundled font at {@code size} points, or null if it could not be loaded. */
    public static Font font(float size) {
        Font f = Holder.FONT;
        return f == null ? null : f.deriveFont(Font.PLAIN, size);
    }

    /** Its family name as styled text names it ("Noto Emoji"), or null if it could not be loaded. */
    public static String family() {
        Font f = Holder.FONT;
        return f == null ? null : f.getFamily(Locale.ROOT);
    }

    /**
     * Whether the code point at {@code i} of {@code s} is drawn with the emoji font: a
     * pictograph or symbol the font has (U+2100 and above, ‼ and ⁉), a joiner, variation
     * selector, skin tone or keycap mark inside an emoji, and a digit, # or * that starts a
     * keycap (1️⃣). Letters, digits, punctuation and every script stay in the text font.
     */
    public static boolean draws(CharSequence s, int i) {
        Font f = Holder.FONT;
        if (f == null) {
            return false;
        }
        int c = Character.codePointAt(s, i);
        if ((c >= '0' && c <= '9') || c == '#' || c == '*') {
            int next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            return next == 0xFE0F || next == 0x20E3;
        }
        boolean candidate = c >= 0x2100 || c == 0x203C || c == 0x2049 || c == 0x200D;
        return candidate && f.canDisplay(c);
    }
}
