package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.util.Locale;
import javax.swing.JTextPane;
import javax.swing.text.StyleConstants;
import javax.swing.text.StyledDocument;
import org.allium.desktop.emoji.EmojiFont;
import org.allium.desktop.emoji.EmojiPicker;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, emoji: the picker inserts at the caret, the composer and the sent message draw the
 * emoji with the bundled Noto Emoji (and the words around them with the text font).
 * Screenshots {@code main-emoji-picker} and {@code main-emoji-message} in the theme of the run.
 */
class EmojiTest extends UiTest {
    @Test
    void thePickerInsertsEmojiAndMessagesDrawThemWithTheBundledFont() throws Exception {
        app = gallery.populatedMain();
        Composer c = onEdt(() -> app.main.conversation.composer);
        assertNotNull(EmojiFont.family(), "the bundled font loads");
        edt(() -> {
            c.area.setText("See you tonight ");
            c.area.setCaretPosition(c.area.getDocument().getLength());
            c.emoji.open();
        });
        waitFor("the grid is open", () -> c.emoji.popup.isShowing());
        assertFalse(onEdt(c.emoji.noFont::isVisible), "no 'no emoji font' note: the bundled one draws them");
        for (int i = 0; i < EmojiPicker.EMOJI.size(); i++) {
            int n = i;
            Font f = onEdt(() -> c.emoji.choices.get(n).getFont());
            assertEquals(EmojiFont.family(), f.getFamily(Locale.ROOT));
            assertEquals(-1, f.canDisplayUpTo(EmojiPicker.EMOJI.get(i)), EmojiPicker.EMOJI.get(i));
        }
        screenshotWithPopup(c.emoji.popup, shot("main-emoji-picker"));
        int smile = EmojiPicker.EMOJI.indexOf("🙂");
        assertEquals("slightly smiling face", onEdt(() -> c.emoji.choices.get(smile).getAccessibleContext().getAccessibleName()));
        edt(() -> c.emoji.choices.get(smile).doClick());
        assertFalse(onEdt(c.emoji.popup::isVisible));
        assertEquals("See you tonight 🙂", onEdt(c.area::getText));
        // Typing on after the emoji: the letters are in the text font again.
        edt(() -> c.area.replaceSelection(" ok ❤️"));
        String typed = onEdt(c.area::getText);
        assertEquals("See you tonight 🙂 ok ❤️", typed);
        assertEquals(null, family(c.area, 0));
        assertEquals(EmojiFont.family(), family(c.area, typed.indexOf("🙂")));
        assertEquals(null, family(c.area, typed.indexOf("ok")));
        assertEquals(EmojiFont.family(), family(c.area, typed.indexOf("❤")));
        assertEquals(EmojiFont.family(), family(c.area, typed.indexOf("❤") + 1), "the variation selector too");

        edt(c::send);
        waitFor("sent", () -> app.main.conversation.bubbles().stream().anyMatch(b -> b.message().text().equals(typed)));
        MessageBubble sent = onEdt(() -> app.main.conversation.bubbles().stream()
                .filter(b -> b.message().text().equals(typed)).findFirst().orElseThrow());
        assertEquals(typed, onEdt(sent.text::getText));
        assertEquals(EmojiFont.family(), family(sent.text, typed.indexOf("🙂")));
        assertEquals(null, family(sent.text, typed.indexOf("ok")));
        Font drawn = onEdt(() -> ((StyledDocument) sent.text.getDocument())
                .getFont(((StyledDocument) sent.text.getDocument()).getCharacterElement(typed.indexOf("🙂")).getAttributes()));
        assertEquals(EmojiFont.family(), drawn.getFamily(Locale.ROOT));
        assertTrue(drawn.canDisplay("🙂".codePointAt(0)));
        // An incoming one too.
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
        m.receive(onEdt(() -> app.main.conversation.contact().id()), "Great 👍 see you 🌙");
        m.drain();
        waitFor("received", () -> app.main.conversation.bubbles().stream()
                .anyMatch(b -> b.message().text().startsWith("Great")));
        MessageBubble got = onEdt(() -> app.main.conversation.bubbles().stream()
                .filter(b -> b.message().text().startsWith("Great")).findFirst().orElseThrow());
        assertEquals(EmojiFont.family(), family(got.text, "Great ".length()));
        assertNotEquals(0, onEdt(() -> got.text.getWidth()));
        UiTestSupport.screenshot(app.frame(), shot("main-emoji-message"));
    }

    /** The window and, where it shows, the popup over it (a popup may be a window of its own). */
    private void screenshotWithPopup(javax.swing.JPopupMenu popup, String name) throws Exception {
        java.awt.image.BufferedImage img = onEdt(() -> {
            java.awt.image.BufferedImage i = UiTestSupport.paint(app.frame());
            java.awt.Point root = app.frame().getRootPane().getLocationOnScreen();
            java.awt.Point at = popup.getLocationOnScreen();
            java.awt.Graphics2D g = i.createGraphics();
            g.translate(at.x - root.x, at.y - root.y);
            popup.paint(g);
            g.dispose();
            return i;
        });
        java.nio.file.Files.createDirectories(UiTestSupport.SCREENSHOTS);
        javax.imageio.ImageIO.write(img, "png", UiTestSupport.SCREENSHOTS.resolve(name + ".png").toFile());
    }

    /** The emoji font's family at {@code offset} of {@code pane}, or null for the text font. */
    private static String family(JTextPane pane, int offset) {
        return onEdt(() -> {
            var a = ((StyledDocument) pane.getDocument()).getCharacterElement(offset).getAttributes();
            return a.isDefined(StyleConstants.FontFamily) ? StyleConstants.getFontFamily(a) : null;
        });
    }
}
