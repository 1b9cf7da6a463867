package org.allium.desktop.emoji;

import javax.swing.JTextPane;
import javax.swing.text.AbstractDocument;
import javax.swing.text.BadLocationException;
import javax.swing.text.Document;

/**
 * Plain text with emoji drawn in the bundled {@link EmojiFont} ({@link EmojiDocumentFilter});
 * no markup of any kind is read (the styled kit, never HTML). {@link #setText} puts the text in
 * as it is, in one piece (the kit's reader would cut it into 4 KiB chunks, splitting an emoji's
 * surrogate pair between two runs). Event thread only.
 */
public class EmojiTextPane extends JTextPane {
    public EmojiTextPane() {
        EmojiDocumentFilter.install(this);
    }

    @Override
    public void setText(String t) {
        Document d = getDocument();
        try {
            ((AbstractDocument) d).replace(0, d.getLength(), t == null ? "" : t, null);
        } catch (BadLocationException e) {
            throw new IllegalStateException(e);
        }
    }
}
