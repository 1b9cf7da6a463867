package org.allium.desktop.emoji;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.swing.text.StyleConstants;
import javax.swing.text.StyledDocument;

/**
 * Run by {@link EmojiFontTest} in a JVM that sees no system font but DejaVu (no emoji font):
 * prints "OK", or one line per failure.
 */
public final class EmojiFontCheck {
    private EmojiFontCheck() {
    }

    public static void main(String[] args) {
        List<String> failures = new ArrayList<>();
        // The system here has DejaVu only (it draws a few faces): the emoji it lacks prove the point.
        Font system = new Font(Font.SANS_SERIF, Font.PLAIN, 20);
        List<String> lacking = new ArrayList<>();
        for (String e : EmojiPicker.EMOJI) {
            if (system.canDisplayUpTo(e) != -1) {
                lacking.add(e);
            }
        }
        if (!lacking.contains("🙏") || lacking.size() < 10) {
            failures.add("precondition: the system fonts draw " + (EmojiPicker.EMOJI.size() - lacking.size())
                    + " of the picker's emoji, 🙏 among them? " + !lacking.contains("🙏") + ": fonts were not hidden");
        }
        if (!EmojiFont.load()) {
            failures.add("the bundled font did not load");
        } else {
            Font f = EmojiFont.font(20);
            FontRenderContext frc = new FontRenderContext(null, true, true);
            for (String e : EmojiPicker.EMOJI) {
                if (f.canDisplayUpTo(e) != -1) {
                    failures.add("no glyph for " + EmojiPicker.describe(e));
                    continue;
                }
                GlyphVector gv = f.createGlyphVector(frc, e);
                if (gv.getGlyphCode(0) == f.getMissingGlyphCode() || inkedPixels(f, e) < 20) {
                    failures.add("nothing drawn for " + EmojiPicker.describe(e));
                }
            }
            // The styled text that messages and the composer use names the bundled font for the emoji only.
            EmojiTextPane pane = new EmojiTextPane();
            pane.setText("Hi 🙏 there");
            StyledDocument doc = (StyledDocument) pane.getDocument();
            Font atEmoji = doc.getFont(doc.getCharacterElement(3).getAttributes());
            if (!EmojiFont.family().equals(atEmoji.getFamily(Locale.ROOT)) || !atEmoji.canDisplay("🙏".codePointAt(0))) {
                failures.add("the message's emoji is drawn with " + atEmoji.getFamily(Locale.ROOT));
            }
            if (doc.getCharacterElement(0).getAttributes().isDefined(StyleConstants.FontFamily)) {
                failures.add("the words got the emoji font");
            }
        }
        System.out.println(failures.isEmpty() ? "OK" : String.join("\n", failures));
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /** Pixels drawn for {@code s} in {@code f}, black on white. */
    static int inkedPixels(Font f, String s) {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 64, 64);
        g.setColor(Color.BLACK);
        g.setFont(f.deriveFont(32f));
        g.drawString(s, 8, 48);
        g.dispose();
        int n = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                if ((img.getRGB(x, y) & 0xFF) < 128) {
                    n++;
                }
            }
        }
        return n;
    }
}
