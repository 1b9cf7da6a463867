package org.allium.desktop.emoji;

import javax.swing.JTextPane;
import javax.swing.text.AbstractDocument;
import javax.swing.text.AttributeSet;
import javax.swing.text.BadLocationException;
import javax.swing.text.DocumentFilter;
import javax.swing.text.SimpleAttributeSet;
import javax.swing.text.StyleConstants;

/**
 * Draws emoji with the bundled {@link EmojiFont} in a styled text component: every inserted
 * text is split into runs, emoji runs get the emoji font's family, the others none (the
 * component's font), so typing after an emoji does not carry the emoji font on. Only the
 * font family changes; the text itself is never altered. Event thread (as the document).
 */
public final class EmojiDocumentFilter extends DocumentFilter {
    private EmojiDocumentFilter() {
    }

    /** Installs the filter on {@code pane}'s document (plain text only: no HTML kit). */
    public static void install(JTextPane pane) {
        ((AbstractDocument) pane.getDocument()).setDocumentFilter(new EmojiDocumentFilter());
    }

    @Override
    public void insertString(FilterBypass fb, int offset, String text, AttributeSet attrs) throws BadLocationException {
        insertRuns(fb, offset, text, attrs);
    }

    @Override
    public void replace(FilterBypass fb, int offset, int length, String text, AttributeSet attrs)
            throws BadLocationException {
        if (length > 0) {
            fb.remove(offset, length);
        }
        if (text != null && !text.isEmpty()) {
            insertRuns(fb, offset, text, attrs);
        }
    }

    private static void insertRuns(FilterBypass fb, int offset, String text, AttributeSet attrs)
            throws BadLocationException {
        String family = EmojiFont.family();
        int start = 0;
        while (start < text.length()) {
            boolean emoji = EmojiFont.draws(text, start);
            int end = start;
            while (end < text.length() && EmojiFont.draws(text, end) == emoji) {
                end += Character.charCount(text.codePointAt(end));
            }
            SimpleAttributeSet a = attrs == null ? new SimpleAttributeSet() : new SimpleAttributeSet(attrs);
            a.removeAttribute(StyleConstants.FontFamily);
            if (emoji && family != null) {
                StyleConstants.setFontFamily(a, family);
            }
            fb.insertString(offset + start, text.substring(start, end), a);
            start = end;
        }
    }
}
