package org.allium.desktop.dropline;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.FlowLayout;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.ButtonGroup;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JRadioButton;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.SwingUtilities;
import org.allium.contacts.api.DropStore;
import org.allium.core.api.DropLine;
import org.allium.desktop.PlainText;
import org.allium.desktop.Theme;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * One case of the drop line: the source's submissions, our replies and the team's notes in
 * order, as plain text; a box to reply to the source (it gets the reply at its next
 * check-in) or to keep a note (never sent to the source); close / reopen; delete now. Opening
 * a case marks it read. Event thread only; the drop line is called on the background executor.
 */
final class CaseView extends JPanel {
    /** The UTF-8 byte limit of a reply or note (PROTOCOL.md §13 limits). */
    static final int LIMIT_BYTES = 8192;

    interface Host {
        /** The case changed here (state, read, reply): update the list. */
        void changed(DropStore.Case c);

        /** The case was deleted here. */
        void deleted(long caseId);
    }

    private final UiContext ctx;
    private final DropLine line;
    private final Host host;
    private DropStore.Case shown;
    private OperatorNames names;
    private List<DropStore.Item> shownList = List.of();
    private List<DropStore.Attachment> shownFiles = List.of();
    /** The attachments' cards under their submissions. */
    final CaseAttachments attachments;
    final JLabel title = Ui.title(" ");
    final JLabel state = Ui.small(" ");
    final JButton take;
    final JButton closeCase;
    final JButton reopen;
    final JButton delete;
    final JPanel items = new JPanel();
    final JRadioButton replyMode;
    final JRadioButton noteMode;
    final JLabel modeHint = Ui.small(" ");
    final JTextArea text = new JTextArea(4, 40);
    final JLabel counter = Ui.colored("Allium.meta.foreground");
    final JButton send;
    final JLabel error = Ui.colored("Allium.error.foreground");
    final JLabel empty;
    private final JPanel body = new JPanel(new BorderLayout());
    private final JScrollPane scroll;

    CaseView(UiContext ctx, DropLine line, Host host) {
        super(new BorderLayout());
        this.ctx = ctx;
        this.line = line;
        this.host = host;
        this.names = OperatorNames.none(ctx);
        this.attachments = new CaseAttachments(ctx, line, () -> javax.swing.SwingUtilities.getWindowAncestor(this),
                t -> error.setText(t.isEmpty() ? " " : t));
        setName("dropCase");
        take = Ui.button(ctx.text("drop.case.take"), e -> take());
        closeCase = Ui.button(ctx.text("drop.case.close"), e -> setState(DropStore.State.CLOSED));
        reopen = Ui.button(ctx.text("drop.case.reopen"), e -> setState(DropStore.State.READ));
        delete = Ui.button(ctx.text("drop.case.delete"), e -> confirmDelete());
        replyMode = Ui.mnemonic(new JRadioButton(), ctx.text("drop.case.mode.reply"));
        noteMode = Ui.mnemonic(new JRadioButton(), ctx.text("drop.case.mode.note"));
        send = Ui.button(ctx.text("drop.case.send"), e -> send());
        empty = Ui.small(ctx.text("drop.case.none"));

        JPanel head = new JPanel(new BorderLayout(Ui.gap(), Ui.gap() / 2));
        head.setBorder(BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap() * 2, Ui.gap(), Ui.gap()));
        JPanel names = new JPanel(new BorderLayout());
        names.setOpaque(false);
        names.add(title, BorderLayout.NORTH);
        names.add(state, BorderLayout.SOUTH);
        head.add(names, BorderLayout.CENTER);
        JPanel actions = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        actions.setOpaque(false);
        actions.add(take);
        actions.add(closeCase);
        actions.add(reopen);
        actions.add(delete);
        head.add(actions, BorderLayout.EAST);
        head.add(Ui.small(ctx.text("drop.case.plain")), BorderLayout.SOUTH);

        items.setLayout(new BoxLayout(items, BoxLayout.Y_AXIS));
        items.setBorder(BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap() * 2, Ui.gap(), Ui.gap() * 2));
        JPanel top = new JPanel(new BorderLayout());
        top.add(items, BorderLayout.NORTH);
        scroll = Ui.scroll(top);
        scroll.getVerticalScrollBar().setUnitIncrement(16);

        ButtonGroup g = new ButtonGroup();
        g.add(replyMode);
        g.add(noteMode);
        replyMode.setSelected(true);
        replyMode.addActionListener(e -> updateMode());
        noteMode.addActionListener(e -> updateMode());
        text.setLineWrap(true);
        text.setWrapStyleWord(true);
        text.setFocusTraversalKeys(java.awt.KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        text.setFocusTraversalKeys(java.awt.KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
        Ui.onChange(text, this::updateCount);
        JPanel compose = new JPanel(new BorderLayout(Ui.gap(), Ui.gap() / 2));
        compose.setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createMatteBorder(1, 0, 0, 0, Theme.color("Component.borderColor", Color.GRAY)),
                BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap() * 2, Ui.gap(), Ui.gap())));
        JPanel modes = new JPanel(new FlowLayout(FlowLayout.LEADING, Ui.gap(), 0));
        modes.setOpaque(false);
        modes.add(replyMode);
        modes.add(noteMode);
        modes.add(modeHint);
        compose.add(modes, BorderLayout.NORTH);
        compose.add(Ui.scroll(text), BorderLayout.CENTER);
        JPanel right = new JPanel(new BorderLayout(0, Ui.gap() / 2));
        right.setOpaque(false);
        right.add(send, BorderLayout.NORTH);
        right.add(counter, BorderLayout.SOUTH);
        compose.add(right, BorderLayout.EAST);
        error.setText(" ");
        compose.add(error, BorderLayout.SOUTH);

        body.add(head, BorderLayout.NORTH);
        body.add(scroll, BorderLayout.CENTER);
        body.add(compose, BorderLayout.SOUTH);
        updateMode();
        updateCount();
        show(null);
    }

    private void updateMode() {
        boolean reply = replyMode.isSelected();
        modeHint.setText(ctx.text(reply ? "drop.case.mode.reply.hint" : "drop.case.mode.note.hint"));
        text.getAccessibleContext().setAccessibleName(ctx.text(reply ? "drop.case.mode.reply" : "drop.case.mode.note")
                .replace("&", ""));
        send.setText(Ui.plain(ctx.text(reply ? "drop.case.send" : "drop.case.sendNote")));
    }

    private void updateCount() {
        int n = text.getText().getBytes(StandardCharsets.UTF_8).length;
        counter.setText(ctx.format("drop.source.counter", n, LIMIT_BYTES));
        counter.setForeground(Theme.color(n > LIMIT_BYTES ? "Allium.error.foreground" : "Allium.meta.foreground",
                Color.GRAY));
        send.setEnabled(shown != null && n <= LIMIT_BYTES && !text.getText().isBlank());
    }

    /** How operators are named from now on (the contacts were loaded); redraws the case shown. */
    void setNames(OperatorNames n) {
        names = n;
        if (shown != null) {
            header(shown);
            setItems(shownList, shownFiles);
        }
    }

    /** The case shown, or null. */
    DropStore.Case shown() {
        return shown;
    }

    /** Shows {@code c} (null: nothing chosen) and loads its items, marking it read. */
    void show(DropStore.Case c) {
        boolean same = c != null && shown != null && shown.id() == c.id();
        shown = c;
        removeAll();
        if (c == null) {
            JPanel p = new JPanel(new java.awt.GridBagLayout());
            p.add(empty);
            add(p, BorderLayout.CENTER);
        } else {
            add(body, BorderLayout.CENTER);
            attachments.show(c.id());
            header(c);
            if (!same) {
                text.setText("");
                error.setText(" ");
                items.removeAll();
                shownList = List.of();
            }
            load(c.id());
        }
        updateCount();
        revalidate();
        repaint();
    }

    /** Reloads the items when {@code c} is the case shown (an event changed it). */
    void refreshIfShown(DropStore.Case c) {
        if (shown != null && shown.id() == c.id()) {
            header(c);
            load(c.id());
        }
    }

    private void header(DropStore.Case c) {
        title.setText(PlainText.name(c.pseudonym(), ctx.text("drop.case.noName")));
        String s = DropInbox.stateWithAssignment(ctx, names, c);
        state.setText(ctx.format("drop.case.header", s, c.submissions(), c.replies()));
        take.setVisible(c.assignedTo() == null && c.assignee() == null);
        closeCase.setVisible(c.state() != DropStore.State.CLOSED);
        reopen.setVisible(c.state() == DropStore.State.CLOSED);
    }

    private void load(long caseId) {
        ctx.background().run(() -> {
            List<DropStore.Item> list = line.read(caseId);
            return new Loaded(list, line.attachments(caseId), line.get(caseId));
        }, r -> {
            DropStore.Case fresh = r.c();
            if (shown == null || shown.id() != caseId) {
                return;
            }
            shown = fresh;
            header(fresh);
            setItems(r.items(), r.files());
            host.changed(fresh);
        }, e -> error.setText(DropInbox.errorText(ctx, e)));
    }

    private record Loaded(List<DropStore.Item> items, List<DropStore.Attachment> files, DropStore.Case c) {
    }

    private void setItems(List<DropStore.Item> list, List<DropStore.Attachment> files) {
        boolean grew = list.size() != shownList.size();
        shownList = list;
        shownFiles = files;
        items.removeAll();
        DateTimeFormatter f = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM)
                .withLocale(ctx.messages().locale()).withZone(ctx.zone());
        for (DropStore.Item i : list) {
            items.add(item(i, f, files));
        }
        items.revalidate();
        items.repaint();
        if (grew) { // progress of an attachment does not pull the view down
            SwingUtilities.invokeLater(() -> scroll.getVerticalScrollBar().setValue(scroll.getVerticalScrollBar().getMaximum()));
        }
    }

    private JPanel item(DropStore.Item i, DateTimeFormatter f, List<DropStore.Attachment> files) {
        JPanel p = new JPanel(new BorderLayout(0, Ui.gap() / 2));
        p.setAlignmentX(LEFT_ALIGNMENT);
        boolean by = i.by() != null && i.kind() != DropStore.Kind.SUBMISSION;
        String key = switch (i.kind()) {
            case SUBMISSION -> "drop.item.submission";
            case REPLY -> by ? "drop.item.reply.by" : "drop.item.reply";
            case NOTE -> by ? "drop.item.note.by" : "drop.item.note";
        };
        JLabel meta = Ui.small(ctx.format(key, f.format(i.composed()), by ? names.name(i.by()) : ""));
        p.add(meta, BorderLayout.NORTH);
        JTextArea t = new JTextArea();
        t.setEditable(false);
        t.setLineWrap(true);
        t.setWrapStyleWord(true);
        t.setText(PlainText.text(i.text(), 40_000));
        t.getAccessibleContext().setAccessibleName(meta.getText());
        t.setBorder(BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap(), Ui.gap(), Ui.gap()));
        if (i.kind() == DropStore.Kind.NOTE) {
            t.setBackground(Theme.color("Allium.requests.background", Color.YELLOW));
        } else if (i.kind() == DropStore.Kind.REPLY) {
            t.setBackground(Theme.color("Allium.bubble.outgoing.background", Color.LIGHT_GRAY));
        }
        t.putClientProperty("dropItemKind", i.kind());
        p.add(t, BorderLayout.CENTER);
        if (i.kind() == DropStore.Kind.SUBMISSION) {
            javax.swing.JComponent cards = attachments.cardsFor(i.id(), files);
            if (cards != null) {
                p.add(cards, BorderLayout.SOUTH);
            }
        }
        p.setBorder(BorderFactory.createEmptyBorder(0, 0, Ui.gap() * 2, 0));
        return p;
    }

    /** The lines above the items (who and when), for tests. */
    List<String> shownMeta() {
        List<String> out = new ArrayList<>();
        for (java.awt.Component c : items.getComponents()) {
            JPanel p = (JPanel) c;
            out.add(((JLabel) ((BorderLayout) p.getLayout()).getLayoutComponent(BorderLayout.NORTH)).getText());
        }
        return out;
    }

    /** The texts shown, each as "KIND: text" (for tests). */
    List<String> shownItems() {
        List<String> out = new ArrayList<>();
        for (java.awt.Component c : items.getComponents()) {
            JPanel p = (JPanel) c;
            JTextArea t = (JTextArea) ((BorderLayout) p.getLayout()).getLayoutComponent(BorderLayout.CENTER);
            out.add(t.getClientProperty("dropItemKind") + ": " + t.getText());
        }
        return out;
    }

    void send() {
        DropStore.Case c = shown;
        String t = text.getText().strip();
        if (c == null || t.isEmpty() || t.getBytes(StandardCharsets.UTF_8).length > LIMIT_BYTES) {
            return;
        }
        boolean reply = replyMode.isSelected();
        send.setEnabled(false);
        error.setText(" ");
        ctx.background().run(() -> {
            if (reply) {
                line.reply(c.id(), t);
            } else {
                line.note(c.id(), t);
            }
        }, () -> {
            if (shown != null && shown.id() == c.id()) {
                text.setText("");
                load(c.id());
            }
        }, e -> {
            error.setText(DropInbox.errorText(ctx, e));
            updateCount();
        });
    }

    /** "I take this one": the case is assigned to this profile, for the whole team. */
    private void take() {
        DropStore.Case c = shown;
        if (c == null) {
            return;
        }
        ctx.background().run(() -> {
            line.take(c.id());
            return line.get(c.id());
        }, fresh -> {
            if (shown != null && shown.id() == fresh.id()) {
                shown = fresh;
                header(fresh);
            }
            host.changed(fresh);
        }, e -> error.setText(DropInbox.errorText(ctx, e)));
    }

    private void setState(DropStore.State s) {
        DropStore.Case c = shown;
        if (c == null) {
            return;
        }
        ctx.background().run(() -> {
            line.setState(c.id(), s);
            return line.get(c.id());
        }, fresh -> {
            if (shown != null && shown.id() == fresh.id()) {
                shown = fresh;
                header(fresh);
            }
            host.changed(fresh);
        }, e -> error.setText(DropInbox.errorText(ctx, e)));
    }

    private void confirmDelete() {
        DropStore.Case c = shown;
        if (c == null) {
            return;
        }
        Object[] options = {Ui.plain(ctx.text("drop.case.delete.yes")), Ui.plain(ctx.text("common.cancel"))};
        String who = PlainText.name(c.pseudonym(), ctx.text("drop.case.noName"));
        int choice = JOptionPane.showOptionDialog(this, Ui.wrapped(ctx.format("drop.case.delete.text", who), 360),
                Ui.plain(ctx.text("drop.case.delete.title")), JOptionPane.DEFAULT_OPTION, JOptionPane.WARNING_MESSAGE,
                null, options, options[1]);
        if (choice == 0) {
            deleteNow(c.id());
        }
    }

    /** Deletes the case now, without asking (the question was asked). */
    void deleteNow(long caseId) {
        ctx.background().run(() -> line.delete(caseId), () -> host.deleted(caseId),
                e -> error.setText(DropInbox.errorText(ctx, e)));
    }
}
