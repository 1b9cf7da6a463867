package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.FlowLayout;
import java.awt.GridBagLayout;
import java.awt.event.KeyEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollBar;
import javax.swing.JScrollPane;
import javax.swing.KeyStroke;
import javax.swing.SwingUtilities;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactState;
import org.allium.core.api.Message;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;

/**
 * The right side of the main window: the selected contact's name, presence and
 * verification, the messages, and the composer. Event thread only.
 */
final class ConversationPanel extends JPanel {
    interface Actions {
        boolean send(Contact contact, String text);

        void retry(MessageId message);

        void verify(Contact contact);

        void block(Contact contact);

        void unblock(Contact contact);

        /** "Delete for me" on one message of the shown conversation. */
        void deleteMessage(Contact contact, Message message);

        void remove(Contact contact);

        void rename(Contact contact);

        void unverify(Contact contact);
    }

    private final UiContext ctx;
    private final Actions actions;
    private final CardLayout cards = new CardLayout();
    final JLabel name = Ui.subtitle(" ");
    final JLabel presence = Ui.small(" ");
    final JLabel verified = Ui.colored("Allium.verified.foreground");
    final JButton verify;
    final JButton unverify;
    final JButton rename;
    final JButton block;
    final JButton unblock;
    final JButton remove;
    final ScrollablePanel messages = new ScrollablePanel(null);
    final JScrollPane scroll;
    final Composer composer;
    private final Map<MessageId, MessageBubble> bubbles = new LinkedHashMap<>();
    /** Statuses that arrived before the message itself was shown (sending races its events). */
    private final Map<MessageId, MessageStatus> early = new LinkedHashMap<>();
    final JLabel error = Ui.colored("Allium.error.foreground");
    /** Filters the open conversation to the messages containing its text. */
    final javax.swing.JTextField search = new javax.swing.JTextField(12);
    final JLabel searchNone = Ui.small(" ");
    /** The date lines between the messages of different days. */
    private final List<JPanel> separators = new java.util.ArrayList<>();
    private java.time.LocalDate lastDay;
    private Contact contact;
    /** Another package's view of an item in place of its text (file transfers), or null for the text. */
    private java.util.function.Function<Message, javax.swing.JComponent> itemCards = m -> null;
    /** Called with each item's text component (file drops on it). */
    private java.util.function.Consumer<javax.swing.JComponent> itemText = c -> { };

    ConversationPanel(UiContext ctx, Actions actions) {
        setLayout(cards);
        this.ctx = ctx;
        this.actions = actions;
        setName("conversation");

        JPanel empty = new JPanel(new GridBagLayout());
        empty.add(Ui.wrapped(ctx.text("conversation.none"), 320));
        add(empty, "empty");

        JPanel main = new JPanel(new BorderLayout());
        JPanel header = new JPanel(new BorderLayout(Ui.gap(), 0));
        header.setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createMatteBorder(0, 0, 1, 0, javax.swing.UIManager.getColor("Component.borderColor")),
                BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap() * 2, Ui.gap(), Ui.gap())));
        JPanel who = new JPanel();
        who.setOpaque(false);
        who.setLayout(new BoxLayout(who, BoxLayout.Y_AXIS));
        name.setAlignmentX(LEFT_ALIGNMENT);
        who.add(name);
        JPanel status = new JPanel(new FlowLayout(FlowLayout.LEADING, 0, 0));
        status.setOpaque(false);
        status.add(presence);
        status.add(Box.createHorizontalStrut(Ui.gap()));
        status.add(verified);
        unverify = Ui.button(ctx.text("conversation.unverify"), e -> actions.unverify(contact));

        status.setAlignmentX(LEFT_ALIGNMENT);
        who.add(status);
        header.add(who, BorderLayout.CENTER);
        verify = Ui.button(ctx.text("conversation.verify"), e -> actions.verify(contact));
        rename = Ui.button(ctx.text("conversation.rename"), e -> actions.rename(contact));
        block = Ui.button(ctx.text("conversation.block"), e -> actions.block(contact));
        unblock = Ui.button(ctx.text("conversation.unblock"), e -> actions.unblock(contact));
        remove = Ui.button(ctx.text("conversation.remove"), e -> actions.remove(contact));
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        buttons.setOpaque(false);
        search.putClientProperty("JTextField.placeholderText", ctx.text("conversation.search.placeholder"));
        search.putClientProperty("JTextField.showClearButton", true);
        search.getAccessibleContext().setAccessibleName(ctx.text("conversation.search.name"));
        Ui.onChange(search, this::applySearch);
        Ui.bindKey(search, WHEN_FOCUSED, KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), "clear-search",
                e -> search.setText(""));
        Ui.bindKey(this, WHEN_ANCESTOR_OF_FOCUSED_COMPONENT,
                KeyStroke.getKeyStroke(KeyEvent.VK_F, java.awt.Toolkit.getDefaultToolkit().getMenuShortcutKeyMaskEx()),
                "find", e -> search.requestFocusInWindow());
        buttons.add(search);
        buttons.add(rename);
        buttons.add(verify);
        buttons.add(unverify);
        buttons.add(block);
        buttons.add(unblock);
        buttons.add(remove);
        header.add(buttons, BorderLayout.EAST);
        main.add(header, BorderLayout.NORTH);

        messages.setLayout(new BoxLayout(messages, BoxLayout.Y_AXIS));
        messages.setBorder(BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap(), Ui.gap(), Ui.gap()));
        scroll = Ui.scroll(messages);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        scroll.getAccessibleContext().setAccessibleName(ctx.text("conversation.messages.name"));
        // The message list takes focus so keyboard users can read back: arrows, Page Up/Down, Home/End.
        messages.setFocusable(true);
        messages.getAccessibleContext().setAccessibleName(ctx.text("conversation.messages.name"));
        messages.getAccessibleContext().setAccessibleDescription(ctx.text("conversation.messages.keys"));
        bindScroll(KeyEvent.VK_UP, -1, false);
        bindScroll(KeyEvent.VK_DOWN, 1, false);
        bindScroll(KeyEvent.VK_PAGE_UP, -1, true);
        bindScroll(KeyEvent.VK_PAGE_DOWN, 1, true);
        Ui.bindKey(messages, WHEN_FOCUSED, KeyStroke.getKeyStroke(KeyEvent.VK_HOME, 0), "scroll-home",
                e -> scroll.getVerticalScrollBar().setValue(0));
        Ui.bindKey(messages, WHEN_FOCUSED, KeyStroke.getKeyStroke(KeyEvent.VK_END, 0), "scroll-end",
                e -> scrollToEnd());
        JPanel center = new JPanel(new BorderLayout());
        center.setOpaque(false);
        searchNone.setText(ctx.text("conversation.search.none"));
        searchNone.setHorizontalAlignment(JLabel.CENTER);
        searchNone.setVisible(false);
        center.add(searchNone, BorderLayout.NORTH);
        center.add(scroll, BorderLayout.CENTER);
        main.add(center, BorderLayout.CENTER);
        Predicate<String> sender = t -> contact != null && actions.send(contact, t);
        composer = new Composer(ctx, sender);
        JPanel bottom = new JPanel(new BorderLayout());
        error.setBorder(BorderFactory.createEmptyBorder(0, Ui.gap(), 0, Ui.gap()));
        bottom.add(error, BorderLayout.NORTH);
        bottom.add(composer, BorderLayout.CENTER);
        main.add(bottom, BorderLayout.SOUTH);
        add(main, "conversation");
        cards.show(this, "empty");
    }

    Contact contact() {
        return contact;
    }

    // ---- hooks for other packages' parts of the conversation (files) ----

    /** {@code cards} gives the view of an item shown in place of its text, or null. */
    void setCards(java.util.function.Function<Message, javax.swing.JComponent> cards,
            java.util.function.Consumer<javax.swing.JComponent> itemText) {
        this.itemCards = cards;
        this.itemText = itemText;
    }

    /** Shows {@code card} in place of item {@code id}'s text; false when that item is not shown. */
    boolean decorate(MessageId id, javax.swing.JComponent card) {
        MessageBubble b = bubbles.get(id);
        if (b == null) {
            return false;
        }
        b.setBody(card);
        return true;
    }

    /** Shows {@code c}'s header; the messages follow with {@link #setMessages}. {@code null} shows the hint. */
    void show(Contact c) {
        boolean same = contact != null && c != null && contact.id().equals(c.id());
        contact = c;
        if (c == null) {
            cards.show(this, "empty");
            return;
        }
        if (!same) {
            error.setText("");
            early.clear();
            bubbles.clear();
            separators.clear();
            lastDay = null;
            search.setText("");
            messages.removeAll();
            messages.revalidate();
            messages.repaint();
        }
        name.setText(PlainText.name(c.nickname(), ctx.text("contacts.noName")));
        name.setIcon(new ContactListPanel.Dot(c.online()));
        presence.setText(c.state() == ContactState.BLOCKED ? ctx.text("contacts.blocked")
                : ctx.text(c.online() ? "presence.online" : "presence.offline"));
        verified.setText(ctx.text(c.verified() ? "conversation.verified" : "conversation.unverified"));
        verified.setForeground(Theme.color(c.verified() ? "Allium.verified.foreground" : "Allium.meta.foreground",
                java.awt.Color.GRAY));
        verify.setVisible(!c.verified());
        unverify.setVisible(c.verified());
        block.setVisible(c.state() != ContactState.BLOCKED);
        unblock.setVisible(c.state() == ContactState.BLOCKED);
        composer.setEnabled(c.state() == ContactState.ACCEPTED);
        cards.show(this, "conversation");
    }

    void setMessages(List<Message> list) {
        bubbles.clear();
        separators.clear();
        lastDay = null;
        messages.removeAll();
        for (Message m : list) {
            addBubble(m);
        }
        applySearch();
        messages.revalidate();
        messages.repaint();
        scrollToEnd();
    }

    /** Adds a message of the shown contact (or updates it if already shown). */
    void add(Message m) {
        if (contact == null || !contact.id().equals(m.contact())) {
            return;
        }
        MessageBubble b = bubbles.get(m.id());
        if (b != null) {
            b.setMessage(m);
            return;
        }
        addBubble(m);
        messages.revalidate();
        messages.repaint();
        scrollToEnd();
    }

    void setStatus(MessageId id, MessageStatus status) {
        MessageBubble b = bubbles.get(id);
        if (b != null) {
            Message m = b.message();
            b.setMessage(new Message(m.id(), m.contact(), m.direction(), m.text(), m.composed(), m.received(),
                    status, m.read()));
        } else if (contact != null) {
            early.put(id, status);
            if (early.size() > 256) {
                early.remove(early.keySet().iterator().next());
            }
        }
    }

    /** Takes a deleted message out of the shown conversation (its day line too when it was the day's last). */
    void removeMessage(MessageId id) {
        if (bubbles.remove(id) == null) {
            return;
        }
        List<MessageBubble> rest = List.copyOf(bubbles.values());
        List<Message> left = new java.util.ArrayList<>();
        for (MessageBubble b : rest) {
            left.add(b.message());
        }
        int at = scroll.getVerticalScrollBar().getValue();
        bubbles.clear();
        separators.clear();
        lastDay = null;
        messages.removeAll();
        for (Message m : left) {
            addBubble(m);
        }
        applySearch();
        messages.revalidate();
        messages.repaint();
        SwingUtilities.invokeLater(() -> scroll.getVerticalScrollBar().setValue(at));
    }

    void showError(String text) {
        error.setText(text == null ? "" : text);
    }

    MessageBubble bubble(MessageId id) {
        return bubbles.get(id);
    }

    List<MessageBubble> bubbles() {
        return List.copyOf(bubbles.values());
    }

    private void addBubble(Message m) {
        MessageStatus later = early.remove(m.id());
        if (later != null) {
            m = new Message(m.id(), m.contact(), m.direction(), m.text(), m.composed(), m.received(), later, m.read());
        }
        MessageBubble b = new MessageBubble(ctx, m, actions::retry, gone -> {
            if (contact != null) {
                actions.deleteMessage(contact, gone);
            }
        });
        b.setAlignmentX(LEFT_ALIGNMENT);
        java.time.LocalDate day = b.day();
        if (!day.equals(lastDay)) {
            JPanel sep = daySeparator(day);
            separators.add(sep);
            messages.add(sep);
            lastDay = day;
        }
        javax.swing.JComponent card = itemCards.apply(m);
        if (card != null) {
            b.setBody(card);
        }
        itemText.accept(b.text);
        bubbles.put(m.id(), b);
        messages.add(b);
        if (!search.getText().isBlank()) {
            applySearch();
        }
    }

    /** A centred line naming the day: Today, Yesterday, or the date. */
    private JPanel daySeparator(java.time.LocalDate day) {
        java.time.LocalDate today = java.time.LocalDate.now(ctx.clock());
        String text = day.equals(today) ? ctx.text("conversation.today")
                : day.equals(today.minusDays(1)) ? ctx.text("conversation.yesterday")
                : java.time.format.DateTimeFormatter.ofLocalizedDate(java.time.format.FormatStyle.FULL)
                        .withLocale(ctx.messages().locale()).format(day);
        JPanel p = new JPanel(new FlowLayout(FlowLayout.CENTER, 0, Ui.gap() / 2)) {
            @Override
            public java.awt.Dimension getMaximumSize() {
                return new java.awt.Dimension(Integer.MAX_VALUE, getPreferredSize().height);
            }
        };
        p.setOpaque(false);
        p.setName("day");
        p.add(Ui.small(text));
        p.setAlignmentX(LEFT_ALIGNMENT);
        return p;
    }

    /** Shows only the messages containing the search text (all when it is empty). */
    void applySearch() {
        String q = search.getText().strip();
        boolean any = false;
        for (MessageBubble b : bubbles.values()) {
            boolean match = b.matches(q);
            b.setVisible(match);
            any |= match;
        }
        for (JPanel sep : separators) {
            sep.setVisible(q.isEmpty());
        }
        searchNone.setVisible(!q.isEmpty() && !any);
        messages.revalidate();
        messages.repaint();
    }

    /** The day lines shown (for tests). */
    List<String> dayLines() {
        List<String> out = new java.util.ArrayList<>();
        for (JPanel p : separators) {
            out.add(((JLabel) p.getComponent(0)).getText());
        }
        return out;
    }

    private void bindScroll(int key, int direction, boolean block) {
        Ui.bindKey(messages, WHEN_FOCUSED, KeyStroke.getKeyStroke(key, 0), "scroll-" + key, e -> {
            JScrollBar bar = scroll.getVerticalScrollBar();
            int step = block ? bar.getBlockIncrement(direction) : bar.getUnitIncrement(direction) * 2;
            bar.setValue(bar.getValue() + direction * step);
        });
    }

    private void scrollToEnd() {
        SwingUtilities.invokeLater(() -> {
            JScrollBar bar = scroll.getVerticalScrollBar();
            bar.setValue(bar.getMaximum());
        });
    }
}
