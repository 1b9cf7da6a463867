package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.FlowLayout;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.util.function.Predicate;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextPane;
import javax.swing.KeyStroke;
import org.allium.core.api.Messenger;

/**
 * Where a message is written: Enter sends, Shift+Enter starts a new line; the count against
 * the length limit is always shown and Send is disabled beyond it. Event thread only.
 */
public final class Composer extends JPanel {
    static final int LIMIT = Messenger.MAX_MESSAGE_LENGTH;
    private final UiContext ctx;
    /** What is written: plain text, emoji drawn with the bundled emoji font; 3 lines of 40 columns shown. */
    public final JTextPane area = new org.allium.desktop.emoji.EmojiTextPane() {
        @Override
        public java.awt.Dimension getPreferredScrollableViewportSize() {
            java.awt.FontMetrics fm = getFontMetrics(getFont());
            java.awt.Insets in = getInsets();
            return new java.awt.Dimension(40 * fm.charWidth('m') + in.left + in.right,
                    3 * fm.getHeight() + in.top + in.bottom);
        }
    };
    public final JButton send;
    /** The emoji picker beside Send (issue 13). */
    final org.allium.desktop.emoji.EmojiPicker emoji;
    final JLabel counter = Ui.colored("Allium.meta.foreground");
    private final Predicate<String> sender;
    /** Other packages' actions beside Send (attach a file). */
    private final JPanel actions = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap() / 2, 0));

    /** @param sender sends the text; returns false when it could not be taken (kept in the field) */
    public Composer(UiContext ctx, Predicate<String> sender) {
        super(new BorderLayout(Ui.gap(), Ui.gap() / 2));
        this.ctx = ctx;
        this.sender = sender;
        setName("composer");
        setBorder(BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap(), Ui.gap(), Ui.gap()));
        area.getAccessibleContext().setAccessibleName(ctx.text("composer.name"));
        area.getAccessibleContext().setAccessibleDescription(ctx.text("composer.hint"));
        area.putClientProperty("JTextField.placeholderText", ctx.text("composer.placeholder"));
        // Enter sends; Shift+Enter inserts the line break Enter would otherwise insert.
        Object breakAction = area.getInputMap().get(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0));
        area.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, InputEvent.SHIFT_DOWN_MASK), breakAction);
        Ui.bindKey(area, JComponent.WHEN_FOCUSED, KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "allium-send",
                e -> send());
        // Tab moves focus instead of inserting a tab, for keyboard users.
        area.setFocusTraversalKeys(java.awt.KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        area.setFocusTraversalKeys(java.awt.KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
        JScrollPane scroll = Ui.scroll(area);
        add(scroll, BorderLayout.CENTER);
        send = Ui.button(ctx.text("composer.send"), e -> send());
        JPanel right = new JPanel(new BorderLayout(0, Ui.gap() / 2));
        right.setOpaque(false);
        right.add(send, BorderLayout.NORTH);
        actions.setOpaque(false);
        emoji = new org.allium.desktop.emoji.EmojiPicker(area, ctx.text("composer.emoji"),
                ctx.text("composer.emoji.name"), ctx.text("composer.emoji.noFont"));
        actions.add(emoji.button);
        right.add(actions, BorderLayout.CENTER);
        JPanel c = new JPanel(new FlowLayout(FlowLayout.TRAILING, 0, 0));
        c.setOpaque(false);
        c.add(counter);
        right.add(c, BorderLayout.SOUTH);
        add(right, BorderLayout.EAST);
        add(Ui.small(ctx.text("composer.hint")), BorderLayout.SOUTH);
        Ui.onChange(area, this::update);
        update();
    }

    /** Adds an action under Send (e.g. attaching a file). */
    void addAction(JComponent c) {
        actions.add(c);
    }

    private void update() {
        int n = area.getDocument().getLength();
        counter.setText(ctx.format("composer.counter", n, LIMIT));
        counter.setForeground(Theme.color(n > LIMIT ? "Allium.error.foreground" : "Allium.meta.foreground", Color.GRAY));
        counter.getAccessibleContext().setAccessibleName(counter.getText());
        send.setEnabled(isEnabled() && n > 0 && n <= LIMIT && !area.getText().isBlank());
    }

    void send() {
        String t = area.getText();
        if (t.isBlank() || t.length() > LIMIT || !isEnabled()) {
            return;
        }
        if (sender.test(t.strip())) {
            area.setText("");
        }
    }

    @Override
    public void setEnabled(boolean enabled) {
        super.setEnabled(enabled);
        area.setEnabled(enabled);
        emoji.button.setEnabled(enabled);
        update();
    }
}
