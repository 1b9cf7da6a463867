package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import org.allium.core.api.Direction;
import org.allium.core.api.Message;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.Messenger;

/**
 * One message: its text, time and (for ours) delivery status; a failed one has a Retry
 * button. Outgoing messages sit on the right. Event thread only.
 */
public final class MessageBubble extends JPanel {
    private static final int MAX_WIDTH = 460;
    private final UiContext ctx;
    private Message message;
    /** The message's words: plain text (never HTML), selectable with the mouse. */
    final MessageText text = new MessageText();
    final JLabel meta = Ui.small(" ");
    final JButton retry;
    private final JPanel bubble;

    MessageBubble(UiContext ctx, Message message, Consumer<MessageId> onRetry) {
        this(ctx, message, onRetry, m -> { });
    }

    /** {@code onDelete}: "Delete for me" chosen in the message's menu. */
    MessageBubble(UiContext ctx, Message message, Consumer<MessageId> onRetry, Consumer<Message> onDelete) {
        super(new FlowLayout(message.direction() == Direction.OUTGOING ? FlowLayout.TRAILING : FlowLayout.LEADING,
                Ui.gap(), Ui.gap() / 2));
        this.ctx = ctx;
        setOpaque(false);
        setName("message");
        String bgKey = message.direction() == Direction.OUTGOING
                ? "Allium.bubble.outgoing.background" : "Allium.bubble.incoming.background";
        bubble = new JPanel(new BorderLayout(0, 2)) {
            @Override
            protected void paintComponent(Graphics g) {
                Graphics2D g2 = (Graphics2D) g.create();
                g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g2.setColor(Theme.color(bgKey, Color.LIGHT_GRAY));
                g2.fillRoundRect(0, 0, getWidth(), getHeight(), 14, 14);
                g2.dispose();
            }
        };
        bubble.setOpaque(false);
        bubble.setBorder(BorderFactory.createEmptyBorder(6, 10, 6, 10));
        bubble.add(text, BorderLayout.CENTER);
        JPanel south = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        south.setOpaque(false);
        south.add(meta);
        retry = Ui.button(ctx.text("conversation.retry"), e -> onRetry.accept(this.message.id()));
        retry.putClientProperty("JButton.buttonType", "borderless");
        south.add(retry);
        bubble.add(south, BorderLayout.SOUTH);
        add(bubble);
        // Right-click (or the menu key): copy the text (the selection, else all of it), retry a failed one.
        javax.swing.JPopupMenu menu = new javax.swing.JPopupMenu();
        copy = Ui.mnemonic(new javax.swing.JMenuItem(), ctx.text("message.copy"));
        copy.addActionListener(e -> java.awt.Toolkit.getDefaultToolkit().getSystemClipboard()
                .setContents(new java.awt.datatransfer.StringSelection(text.selectedOrAll()), null));
        retryItem = Ui.mnemonic(new javax.swing.JMenuItem(), ctx.text("conversation.retry"));
        retryItem.addActionListener(e -> onRetry.accept(this.message.id()));
        deleteItem = Ui.mnemonic(new javax.swing.JMenuItem(), ctx.text("message.delete"));
        deleteItem.addActionListener(e -> onDelete.accept(this.message));
        menu.add(copy);
        menu.add(retryItem);
        menu.add(deleteItem);
        menu.addPopupMenuListener(new javax.swing.event.PopupMenuListener() {
            @Override
            public void popupMenuWillBecomeVisible(javax.swing.event.PopupMenuEvent e) {
                retryItem.setVisible(retry.isVisible());
                deleteItem.setVisible(deletable());
            }

            @Override
            public void popupMenuWillBecomeInvisible(javax.swing.event.PopupMenuEvent e) {
            }

            @Override
            public void popupMenuCanceled(javax.swing.event.PopupMenuEvent e) {
            }
        });
        bubble.setComponentPopupMenu(menu);
        text.setComponentPopupMenu(menu);
        setComponentPopupMenu(menu);
        setMessage(message);
    }

    final javax.swing.JMenuItem copy;
    final javax.swing.JMenuItem retryItem;
    /** "Delete for me": this computer only; not while ours is still being sent, not a file card. */
    final javax.swing.JMenuItem deleteItem;

    /** Whether "Delete for me" applies: not ours while queued or sent, not another package's card. */
    boolean deletable() {
        boolean sending = message.direction() == Direction.OUTGOING
                && (message.status() == MessageStatus.QUEUED || message.status() == MessageStatus.SENT);
        return !sending && body == null;
    }
    /** Shown in place of the text (a file transfer's card), or null. */
    private javax.swing.JComponent body;

    /** Shows {@code c} in place of the message's text (the text stays for search and copy). */
    void setBody(javax.swing.JComponent c) {
        if (body == c) {
            return;
        }
        bubble.remove(body != null ? body : text);
        body = c;
        bubble.add(c, BorderLayout.CENTER);
        revalidate();
        repaint();
    }

    javax.swing.JComponent body() {
        return body;
    }

    /** The day this message belongs to in the conversation (received, else composed), in the user's zone. */
    LocalDate day() {
        return (message.received() != null ? message.received() : message.composed()).atZone(ctx.zone()).toLocalDate();
    }

    /** Whether the message text contains {@code query} (case-insensitive); an empty query matches all. */
    boolean matches(String query) {
        return query.isEmpty() || text.getText().toLowerCase(ctx.messages().locale())
                .contains(query.toLowerCase(ctx.messages().locale()));
    }

    Message message() {
        return message;
    }

    @Override
    public void updateUI() {
        super.updateUI();
        if (message != null) {
            setMessage(message); // colours come from the theme
        }
    }

    void setMessage(Message m) {
        this.message = m;
        text.setForeground(Theme.color("Allium.bubble.foreground", Color.BLACK));
        String shown = PlainText.text(m.text(), Messenger.MAX_MESSAGE_LENGTH);
        if (!shown.equals(text.getText())) {
            text.setText(shown);
            text.setCaretPosition(0);
        }
        String time = formatTime(m);
        String status = m.direction() == Direction.OUTGOING ? ctx.text(statusKey(m.status())) : "";
        meta.setText(status.isEmpty() ? time : time + " · " + status);
        if (m.status() == MessageStatus.FAILED) {
            meta.setForeground(Theme.color("Allium.error.foreground", Color.RED));
        } else {
            meta.setForeground(Theme.color("Allium.meta.foreground", Color.GRAY));
        }
        retry.setVisible(m.direction() == Direction.OUTGOING && m.status() == MessageStatus.FAILED);
        retry.getAccessibleContext().setAccessibleName(ctx.format("conversation.retry.name", time));
        getAccessibleContext().setAccessibleName(meta.getText());
        revalidate();
        repaint();
    }

    static String statusKey(MessageStatus s) {
        return "status." + s.name().toLowerCase(Locale.ROOT);
    }

    private String formatTime(Message m) {
        ZonedDateTime t = (m.received() != null ? m.received() : m.composed()).atZone(ctx.zone());
        Locale locale = ctx.messages().locale();
        if (t.toLocalDate().equals(LocalDate.now(ctx.clock()))) {
            return DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(locale).format(t);
        }
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT).withLocale(locale).format(t);
    }

    /**
     * A message's text: read-only plain text that wraps at {@link #MAX_WIDTH} and is as wide as
     * its longest line below that, emoji drawn with the bundled emoji font. It stays out of the
     * Tab order (a long conversation would be hundreds of stops; the conversation scrolls with
     * the keyboard instead) but selects with the mouse, its selection stays visible, and the
     * bubble's menu copies it.
     */
    public static final class MessageText extends org.allium.desktop.emoji.EmojiTextPane {
        public MessageText() {
            setEditable(false);
            setOpaque(false);
            setFocusable(false);
            setBorder(BorderFactory.createEmptyBorder());
            setCaret(new javax.swing.text.DefaultCaret() {
                @Override
                public void setSelectionVisible(boolean visible) {
                    super.setSelectionVisible(true);
                }
            });
        }

        @Override
        public void updateUI() {
            super.updateUI();
            setFont(javax.swing.UIManager.getFont("Label.font"));
            setOpaque(false);
            setBorder(BorderFactory.createEmptyBorder());
        }

        @Override
        public Dimension getPreferredSize() {
            java.awt.Insets in = getInsets();
            // The root view's preferred width is its widest paragraph unwrapped, whatever our size.
            float widest = getUI().getRootView(this).getPreferredSpan(javax.swing.text.View.X_AXIS);
            int w = Math.min(MAX_WIDTH, (int) Math.ceil(widest) + 2 + in.left + in.right);
            if (getWidth() != w) {
                setSize(w, Short.MAX_VALUE); // the wrapped height follows the width
            }
            return new Dimension(w, super.getPreferredSize().height);
        }

        /** The selected text, or all of it when nothing is selected. */
        public String selectedOrAll() {
            String sel = getSelectedText();
            return sel == null || sel.isEmpty() ? getText() : sel;
        }
    }

    @Override
    public Dimension getMaximumSize() {
        return new Dimension(Integer.MAX_VALUE, getPreferredSize().height);
    }
}
