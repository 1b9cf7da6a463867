package org.allium.desktop.dropline;

import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Component;
import java.awt.FlowLayout;
import java.awt.Font;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.DefaultListCellRenderer;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JSplitPane;
import javax.swing.JToggleButton;
import javax.swing.ListSelectionModel;
import javax.swing.SwingUtilities;
import org.allium.contacts.api.DropStore;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerException;
import org.allium.core.api.Subscription;
import org.allium.core.api.DropLine;
import org.allium.desktop.PlainText;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * The operators' "Drop line" inbox, apart from contacts (issue 15): one thread per source,
 * named by its case pseudonym (never a codename), with its state — new and unread, read,
 * assigned, answered, closed. Reached by the {@link #toggle} in the main window's toolbar;
 * while the drop line is off it offers to switch it on ({@link DropSettingsPanel}). Every
 * call to the drop line runs on the background executor; a new submission calls the
 * {@link #onNewSubmission} hook (a notification that says only "New submission").
 * Event thread only.
 */
public final class DropInbox {
    private final UiContext ctx;
    private final Messenger messenger;
    private final DropAccess drops;
    private final DropLine line;
    private final Consumer<Boolean> showInbox;
    /** The toolbar button: selected while the inbox is shown; its text counts unread cases. */
    public final JToggleButton toggle;
    /** The inbox, for the main window's centre. */
    public final JComponent panel;
    private final CardLayout cards = new CardLayout();
    final DefaultListModel<DropStore.Case> cases = new DefaultListModel<>();
    final JList<DropStore.Case> caseList = new JList<>(cases);
    final CaseView caseView;
    final DropSettingsPanel settings;
    final JButton settingsButton;
    final JLabel offNote;
    final JLabel error = Ui.colored("Allium.error.foreground");
    private Subscription subscription;
    /** How operators are named; the contacts are loaded with the cases. */
    private OperatorNames names;
    private Runnable newSubmission = () -> { };
    private boolean enabled;
    private String shownCard = "";
    /** The settings card is shown because there was nothing else, not because the user asked. */
    private boolean settingsByItself;

    /** @param showInbox shows the inbox (true) or the contacts (false) in the main window */
    public DropInbox(UiContext ctx, Messenger messenger, DropAccess drops, Consumer<Boolean> showInbox) {
        this.ctx = ctx;
        this.messenger = messenger;
        this.drops = drops;
        this.line = drops.dropLine(messenger);
        this.showInbox = showInbox;
        this.names = OperatorNames.none(ctx);
        toggle = Ui.mnemonic(new JToggleButton(), ctx.text("drop.inbox.toggle"));
        toggle.setName("dropLineToggle");
        toggle.addActionListener(e -> {
            showInbox.accept(toggle.isSelected());
            if (toggle.isSelected()) {
                reload();
            }
        });
        caseView = new CaseView(ctx, line, new CaseView.Host() {
            @Override
            public void changed(DropStore.Case c) {
                upsert(c);
            }

            @Override
            public void deleted(long caseId) {
                remove(caseId);
            }
        });
        settings = new DropSettingsPanel(ctx, line, messenger, this::settingsSaved);
        settingsButton = Ui.button(ctx.text("drop.inbox.settings"), e -> showCard("settings"));
        offNote = Ui.wrapped(ctx.text("drop.inbox.off"), 520);

        JPanel root = new JPanel(cards);
        root.setName("dropInbox");
        root.add(inbox(), "inbox");
        JPanel settingsCard = new JPanel(new BorderLayout(0, Ui.gap()));
        Ui.pad(settingsCard);
        JPanel top = new JPanel(new BorderLayout(0, Ui.gap()));
        top.setOpaque(false);
        top.add(Ui.title(ctx.text("drop.settings.title")), BorderLayout.NORTH);
        top.add(offNote, BorderLayout.CENTER);
        settingsCard.add(top, BorderLayout.NORTH);
        settingsCard.add(settings, BorderLayout.CENTER);
        root.add(settingsCard, "settings");
        panel = root;
        settings.cancel.addActionListener(e -> showCard(enabled ? "inbox" : "settings"));
    }

    private JComponent inbox() {
        caseList.setName("dropCases");
        caseList.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        caseList.getAccessibleContext().setAccessibleName(ctx.text("drop.inbox.cases"));
        caseList.setCellRenderer(new CaseRenderer());
        caseList.addListSelectionListener(e -> {
            if (!e.getValueIsAdjusting()) {
                caseView.show(caseList.getSelectedValue());
            }
        });
        JPanel left = new JPanel(new BorderLayout());
        JPanel head = new JPanel(new BorderLayout(Ui.gap(), 0));
        head.setBorder(BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap(), Ui.gap(), Ui.gap()));
        head.add(Ui.subtitle(ctx.text("drop.inbox.title")), BorderLayout.WEST);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, 0, 0));
        buttons.setOpaque(false);
        buttons.add(settingsButton);
        head.add(buttons, BorderLayout.EAST);
        left.add(head, BorderLayout.NORTH);
        left.add(Ui.scroll(caseList), BorderLayout.CENTER);
        error.setText(" ");
        left.add(error, BorderLayout.SOUTH);
        JSplitPane split = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, left, caseView);
        split.setContinuousLayout(true);
        split.setBorder(BorderFactory.createEmptyBorder());
        split.setDividerLocation(300);
        split.setFocusable(false);
        return split;
    }

    /** Called with nothing when a new submission arrives (the app notifies "New submission"). */
    public void onNewSubmission(Runnable r) {
        newSubmission = r;
    }

    /** Follows the drop line's events and loads its state (background). */
    public void start() {
        subscription = drops.watch(line, new DropAccess.Watcher() {
            @Override
            public void submitted(long caseId) {
                SwingUtilities.invokeLater(() -> {
                    newSubmission.run();
                    refresh(caseId);
                });
            }

            @Override
            public void changed(long caseId) {
                SwingUtilities.invokeLater(() -> refresh(caseId));
            }
        });
        reload();
    }

    /** Stops following events (the profile is closing). */
    public void stop() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    /** Loads the switch and every case (background), then shows them. */
    public void reload() {
        ctx.background().run(() -> {
            boolean on = line.enabled();
            List<DropStore.Case> all = line.cases();
            return new Loaded(on, all, OperatorNames.of(ctx, messenger.myIdentity().serviceId(), messenger.contacts()));
        }, l -> {
            enabled = l.on();
            names = l.names();
            caseView.setNames(names);
            DropStore.Case selected = caseList.getSelectedValue();
            cases.clear();
            for (DropStore.Case c : l.cases()) {
                cases.addElement(c);
            }
            if (selected != null) {
                select(selected.id());
            }
            updateToggle();
            // An operator of a team's drop line holds copies of its cases with its own drop line off.
            boolean inbox = enabled || !cases.isEmpty();
            if (!inbox && !"settings".equals(shownCard)) {
                showCard("settings");
                settingsByItself = true;
            } else if (inbox && (shownCard.isEmpty() || settingsByItself)) {
                showCard("inbox");
            }
        }, e -> error.setText(errorText(ctx, e)));
    }

    private record Loaded(boolean on, List<DropStore.Case> cases, OperatorNames names) {
    }

    private void settingsSaved(boolean on) {
        enabled = on;
        showCard(on ? "inbox" : "settings");
        reload();
    }

    private void showCard(String card) {
        shownCard = card;
        settingsByItself = false;
        if ("settings".equals(card)) {
            settings.load();
            offNote.setVisible(!enabled);
        }
        cards.show(panel, card);
    }

    /** The card shown: inbox or settings. */
    String shownCard() {
        return shownCard;
    }

    private void refresh(long caseId) {
        ctx.background().run(() -> {
            try {
                return line.get(caseId);
            } catch (MessengerException e) {
                return null; // deleted
            }
        }, c -> {
            if (c == null) {
                remove(caseId);
            } else {
                upsert(c);
                caseView.refreshIfShown(c);
            }
        }, e -> error.setText(errorText(ctx, e)));
    }

    /** Updates a listed case in place (no selection event), or lists a new one first. */
    void upsert(DropStore.Case c) {
        int at = indexOf(c.id());
        if (at >= 0) {
            cases.set(at, c);
        } else {
            cases.add(0, c);
        }
        updateToggle();
    }

    private void remove(long caseId) {
        int at = indexOf(caseId);
        if (at >= 0) {
            if (caseList.getSelectedIndex() == at) {
                caseList.clearSelection();
                caseView.show(null);
            }
            cases.remove(at);
        }
        updateToggle();
    }

    void select(long caseId) {
        int at = indexOf(caseId);
        if (at >= 0) {
            caseList.setSelectedIndex(at);
        }
    }

    private int indexOf(long caseId) {
        for (int i = 0; i < cases.size(); i++) {
            if (cases.get(i).id() == caseId) {
                return i;
            }
        }
        return -1;
    }

    int unread() {
        int n = 0;
        for (int i = 0; i < cases.size(); i++) {
            if (cases.get(i).unread()) {
                n++;
            }
        }
        return n;
    }

    private void updateToggle() {
        int n = unread();
        toggle.setText(Ui.plain(n > 0 ? ctx.format("drop.inbox.toggle.unread", n) : ctx.text("drop.inbox.toggle")));
    }

    /** The words for a case's state, e.g. "New", "Answered", "Closed". */
    static String stateText(UiContext ctx, DropStore.Case c) {
        return ctx.text("drop.state." + c.state().name().toLowerCase(Locale.ROOT));
    }

    /**
     * The state, and who has the case: "Read, assigned to Maria", "…, assigned to you" (the name
     * as plain text, see {@link OperatorNames}).
     */
    static String stateWithAssignment(UiContext ctx, OperatorNames names, DropStore.Case c) {
        String state = stateText(ctx, c);
        if (c.assignedTo() != null) {
            return ctx.format("drop.case.assignedTo", state, names.name(c.assignedTo()));
        }
        return c.assignee() != null ? ctx.format("drop.case.stateAssigned", state) : state;
    }

    static String errorText(UiContext ctx, Exception e) {
        return e instanceof MessengerException ? ctx.format("error.core", e.getMessage()) : ctx.text("error.unexpected");
    }

    /** Pseudonym (bold while unread) over the state and assignment; plain text only. */
    private final class CaseRenderer extends DefaultListCellRenderer {
        @Override
        public Component getListCellRendererComponent(JList<?> list, Object value, int index, boolean selected,
                                                      boolean focus) {
            super.getListCellRendererComponent(list, "", index, selected, focus);
            PlainText.guard(this);
            DropStore.Case c = (DropStore.Case) value;
            String name = PlainText.name(c.pseudonym(), ctx.text("drop.case.noName"));
            String state = stateWithAssignment(ctx, names, c);
            setText(c.unread() ? ctx.format("drop.case.unread", name, state) : ctx.format("drop.case.line", name, state));
            setFont(getFont().deriveFont(c.unread() ? Font.BOLD : Font.PLAIN));
            getAccessibleContext().setAccessibleName(getText());
            return this;
        }
    }
}
