package org.allium.desktop.emoji;

import java.awt.Font;
import java.awt.GridLayout;
import java.util.List;
import java.util.Locale;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JPopupMenu;
import javax.swing.text.JTextComponent;

/**
 * A small emoji picker for the composer: a button that opens a grid of common emoji; a click
 * (or Space/Enter on the focused one) inserts it at the caret. The JDK draws no colour emoji,
 * so they are drawn with the bundled monochrome {@link EmojiFont} (whatever the system has);
 * only if it could not be loaded does the picker fall back to an installed one (Noto Emoji,
 * Symbola) and, without any, say so (emoji then show as boxes). Event thread only.
 */
public final class EmojiPicker {
    /** The offered emoji: faces, hands, hearts, a few objects. Single code points (no sequences). */
    public static final List<String> EMOJI = List.of(
            "😀", "😃", "😄", "😁", "😅", "😂", "🙂", "😉",
            "😊", "😍", "😘", "😎", "🤔", "😐", "😕", "😢",
            "😭", "😮", "😱", "😡", "😴", "🙏", "👍", "👎",
            "👏", "👋", "👌", "💪", "🤝", "❤", "💔", "🔥",
            "🎉", "✅", "❌", "❗", "❓", "⚠", "📎", "📷",
            "📄", "🔒", "🔑", "⏰", "☕", "🌹", "⭐", "🌙");
    /** The toolbar button that opens the grid. */
    public final JButton button;
    /** The grid's popup. */
    public final JPopupMenu popup = new JPopupMenu();
    /** One button per emoji of {@link #EMOJI}, in order. */
    public final List<JButton> choices;
    /** Said in the grid when no installed font draws emoji. */
    public final JLabel noFont = new JLabel();
    private final JTextComponent target;

    /**
     * @param label the button's text with its {@code &} mnemonic marker; {@code name} its
     *        accessible name; {@code noFontText} what the grid says without an emoji font
     */
    public EmojiPicker(JTextComponent target, String label, String name, String noFontText) {
        this.target = target;
        button = new JButton(label.replace("&", ""));
        int amp = label.indexOf('&');
        if (amp >= 0 && amp + 1 < label.length()) {
            button.setMnemonic(java.awt.event.KeyEvent.getExtendedKeyCodeForChar(label.charAt(amp + 1)));
            button.setDisplayedMnemonicIndex(amp);
        }
        button.putClientProperty("html.disable", Boolean.TRUE);
        button.getAccessibleContext().setAccessibleName(name);
        button.setName("emoji");
        JPanel grid = new JPanel(new GridLayout(0, 8, 2, 2));
        grid.setBorder(BorderFactory.createEmptyBorder(4, 4, 4, 4));
        Font f = emojiFont(target.getFont());
        java.util.ArrayList<JButton> all = new java.util.ArrayList<>();
        for (String e : EMOJI) {
            JButton b = new JButton(e);
            b.putClientProperty("html.disable", Boolean.TRUE);
            b.putClientProperty("JButton.buttonType", "toolBarButton");
            b.setFont(f);
            b.setFocusable(true);
            b.setToolTipText(describe(e));
            b.getAccessibleContext().setAccessibleName(describe(e));
            b.addActionListener(ev -> insert(e));
            grid.add(b);
            all.add(b);
        }
        choices = List.copyOf(all);
        popup.setLayout(new java.awt.BorderLayout());
        popup.add(grid, java.awt.BorderLayout.CENTER);
        noFont.setText(noFontText);
        noFont.putClientProperty("html.disable", Boolean.TRUE);
        noFont.setBorder(BorderFactory.createEmptyBorder(0, 6, 6, 6));
        noFont.setVisible(!canDisplay(f));
        popup.add(noFont, java.awt.BorderLayout.SOUTH);
        button.addActionListener(e -> open());
    }

    /**
     * Opens the grid, the first emoji focused, inside the window where it fits: above the button
     * (the composer sits at the window's bottom), else under it; its right edge on the button's
     * when it would pass the window's right edge.
     */
    public void open() {
        java.awt.Dimension size = popup.getPreferredSize();
        java.awt.Component root = javax.swing.SwingUtilities.getRootPane(button);
        java.awt.Point at = root == null ? new java.awt.Point()
                : javax.swing.SwingUtilities.convertPoint(button, 0, 0, root);
        int x = root != null && at.x + size.width > root.getWidth() ? button.getWidth() - size.width : 0;
        popup.show(button, x, at.y >= size.height ? -size.height : button.getHeight());
        choices.get(0).requestFocusInWindow();
    }

    /** Inserts {@code emoji} at the caret (replacing a selection) and closes the grid. */
    void insert(String emoji) {
        popup.setVisible(false);
        if (target.isEditable() && target.isEnabled()) {
            target.replaceSelection(emoji);
        }
        target.requestFocusInWindow();
    }

    /** Whether {@code f} (with the fonts fontconfig falls back to) draws every offered emoji. */
    public static boolean canDisplay(Font f) {
        for (String e : EMOJI) {
            if (f.canDisplayUpTo(e) != -1) {
                return false;
            }
        }
        return true;
    }

    /**
     * The font to draw emoji with, 1.3 times {@code base}'s size: the bundled {@link EmojiFont};
     * if it could not be loaded, {@code base} when it (or its fallbacks) can, else an installed
     * monochrome emoji font by name; else {@code base} (emoji then show as boxes).
     */
    public static Font emojiFont(Font base) {
        float size = base.getSize2D() * 1.3f;
        Font bundled = EmojiFont.font(size);
        if (bundled != null && canDisplay(bundled)) {
            return bundled;
        }
        if (canDisplay(base)) {
            return base.deriveFont(size);
        }
        for (String family : List.of("Noto Emoji", "Symbola", "OpenSymbol")) {
            Font f = new Font(family, Font.PLAIN, Math.round(size));
            if (f.getFamily(Locale.ROOT).equals(family) && canDisplay(f)) {
                return f;
            }
        }
        return base;
    }

    /** "grinning face" for 😀: Unicode's name, lower case (the accessible name and tooltip). */
    static String describe(String emoji) {
        String n = Character.getName(emoji.codePointAt(0));
        return n == null ? emoji : n.toLowerCase(Locale.ROOT);
    }
}
