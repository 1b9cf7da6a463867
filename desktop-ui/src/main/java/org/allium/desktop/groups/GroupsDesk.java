package org.allium.desktop.groups;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Window;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.ListSelectionModel;
import javax.swing.SwingUtilities;
import org.allium.core.api.Contact;
import org.allium.core.api.Messenger;
import org.allium.core.api.Subscription;
import org.allium.core.groups.Group;
import org.allium.core.groups.GroupEvent;
import org.allium.core.groups.GroupId;
import org.allium.core.groups.Groups;
import org.allium.desktop.DialogWindow;
import org.allium.desktop.ListRow;
import org.allium.desktop.PlainText;
import org.allium.desktop.Theme;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * Private groups on the desktop (issue 16): the "Groups" section of the contact list — "New
 * group…", invitations (who invited the user), groups with their unread count — and the
 * {@link GroupView} shown in place of the contact conversation while a group is selected.
 * Plugs into the main window through {@link #section}, {@link #view} and a small
 * {@link Host}; follows core's group events (re-posted to the event thread). Every call to
 * core runs on the background executor. Event thread only.
 */
public final class GroupsDesk {
    /** What the groups need of the main window. */
    public interface Host {
        /** Shows the group view (true) or the contact conversation (false) on the right. */
        void showGroup(boolean shown);

        /** Accepted contacts (the invitation picker). */
        List<Contact> contacts();

        /** The shown name of the contact {@code serviceId}, or null when it is not a contact. */
        String contactName(String serviceId);

        Window window();
    }

    private final UiContext ctx;
    private final Groups groups;
    private final Host host;
    /** The contact list's "Groups" section. */
    public final JComponent section;
    /** The right side while a group is selected. */
    public final JComponent view;
    final GroupView groupView;
    final DefaultListModel<Group> model = new DefaultListModel<>();
    final JList<Group> list = new JList<>(model);
    final JButton newGroup;
    final JLabel error = Ui.colored("Allium.error.foreground");
    /** The open "New group" dialog, if any. */
    JDialog dialog;
    private Subscription subscription;
    /** Groups whose list entry is being re-read (coalesces bursts of posts). */
    private final Set<GroupId> refreshing = new HashSet<>();
    private Runnable unreadChanged = () -> { };
    private java.util.function.Consumer<GroupAlert> alerts = a -> { };
    /** Per group, the last post of a burst not yet notified (one notification per burst, not per post). */
    private final java.util.Map<GroupId, org.allium.core.groups.GroupPost> unnotified = new java.util.LinkedHashMap<>();
    /** Notifies the burst's posts once the burst is over (a catch-up brings hundreds at once). */
    private final javax.swing.Timer alertTimer;
    private final GroupNames names;

    /** @return null when the messenger has no groups */
    public static GroupsDesk create(UiContext ctx, Messenger messenger, Host host) {
        Groups g;
        try {
            g = messenger.groups();
        } catch (UnsupportedOperationException e) {
            return null;
        }
        String me = messenger.myIdentity().serviceId();
        return new GroupsDesk(ctx, g, host, me);
    }

    GroupsDesk(UiContext ctx, Groups groups, Host host, String myAddress) {
        this.ctx = ctx;
        this.groups = groups;
        this.host = host;
        GroupNames names = new GroupNames(ctx, host::contactName);
        this.names = names;
        alertTimer = new javax.swing.Timer(ALERT_DELAY_MS, e -> alertBurst());
        alertTimer.setRepeats(false);
        groupView = new GroupView(ctx, groups, names, new GroupView.Host() {
            @Override
            public void changed(Group g) {
                upsert(g);
            }

            @Override
            public List<Contact> contacts() {
                return host.contacts();
            }

            @Override
            public String contactName(Contact c) {
                String n = host.contactName(c.serviceId());
                return n != null ? n : PlainText.name(c.nickname(), ctx.text("contacts.noName"));
            }

            @Override
            public Window window() {
                return host.window();
            }

            @Override
            public String myAddress() {
                return myAddress;
            }
        });
        view = groupView;

        JPanel s = new JPanel(new BorderLayout());
        s.setName("groupsSection");
        s.setOpaque(false);
        JPanel head = new JPanel(new BorderLayout(Ui.gap(), 0));
        head.setOpaque(false);
        head.setBorder(BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap(), Ui.gap() / 2, Ui.gap()));
        head.add(Ui.labelFor(ctx.text("groups.title"), list), BorderLayout.WEST);
        newGroup = Ui.button(ctx.text("groups.new"), e -> openNewGroup());
        newGroup.putClientProperty("JButton.buttonType", "borderless");
        head.add(newGroup, BorderLayout.EAST);
        s.add(head, BorderLayout.NORTH);
        list.setName("groups");
        list.setCellRenderer(new Renderer());
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        list.getAccessibleContext().setAccessibleName(Ui.plain(ctx.text("groups.title")));
        list.setVisibleRowCount(4);
        list.addListSelectionListener(e -> {
            if (!e.getValueIsAdjusting()) {
                Group g = list.getSelectedValue();
                if (g != null) {
                    host.showGroup(true);
                    groupView.show(g);
                }
            }
        });
        JScrollPane scroll = Ui.scroll(list);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        scroll.setHorizontalScrollBarPolicy(JScrollPane.HORIZONTAL_SCROLLBAR_NEVER);
        JPanel body = new JPanel();
        body.setOpaque(false);
        body.setLayout(new BoxLayout(body, BoxLayout.Y_AXIS));
        body.add(scroll);
        error.setBorder(BorderFactory.createEmptyBorder(0, Ui.gap(), 0, Ui.gap()));
        body.add(error);
        s.add(body, BorderLayout.CENTER);
        s.putClientProperty(GroupsDesk.class, this); // tests reach the desk from the window
        section = s;
        refreshVisibility();
    }

    /** How long a burst of posts is gathered into one notification. */
    static final int ALERT_DELAY_MS = 250;

    /**
     * Calls {@code l} on the event thread for what deserves a notification: others' posts in a
     * group that is not in front of the user (one per burst and group), and the user's removal.
     */
    public void onAlert(java.util.function.Consumer<GroupAlert> l) {
        this.alerts = l;
    }

    /** Whether the user sees group {@code id} now: shown in a window that has the focus. */
    private boolean inFront(GroupId id) {
        Group shown = groupView.group();
        Window w = host.window();
        return shown != null && shown.id().equals(id) && showing() && w != null && w.isActive();
    }

    private void alertBurst() {
        List<org.allium.core.groups.GroupPost> last = new ArrayList<>(unnotified.values());
        unnotified.clear();
        for (org.allium.core.groups.GroupPost p : last) {
            if (!inFront(p.group())) {
                alerts.accept(new GroupAlert(GroupAlert.Kind.POST, groupName(p.group()),
                        names.of(p.author(), p.authorName(), false), PlainText.line(p.text(), 120)));
            }
        }
    }

    private String groupName(GroupId id) {
        Group g = find(id);
        return PlainText.name(g == null ? "" : g.name(), ctx.text("group.noName"));
    }

    /** Calls {@code r} on the event thread whenever a group's unread count may have changed (window title). */
    public void onUnreadChanged(Runnable r) {
        this.unreadChanged = r;
    }

    /** Follows core's group events and loads the groups. */
    public void start() {
        subscription = groups.subscribe(e -> SwingUtilities.invokeLater(() -> onEvent(e)));
        load();
    }

    public void stop() {
        alertTimer.stop();
        unnotified.clear();
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        groupView.closeDialog();
    }

    /** Reads every group (background) and lists them. */
    public void load() {
        ctx.background().run(groups::list, gs -> {
            GroupId keep = selectedId();
            model.clear();
            sorted(gs).forEach(model::addElement);
            select(keep);
            refreshVisibility();
            unreadChanged.run();
        }, e -> error.setText(groupView.errorText(e)));
    }

    /** Unselects the group (a contact was chosen). */
    public void clearSelection() {
        list.clearSelection();
    }

    /** Whether a group is shown on the right. */
    public boolean showing() {
        return list.getSelectedValue() != null;
    }

    /** Unread posts over all groups. */
    public int totalUnread() {
        int n = 0;
        for (int i = 0; i < model.size(); i++) {
            n += model.get(i).unread();
        }
        return n;
    }

    void onEvent(GroupEvent e) {
        if (e instanceof GroupEvent.Invited i) {
            upsert(i.group());
        } else if (e instanceof GroupEvent.Changed c) {
            upsert(c.group());
        } else if (e instanceof GroupEvent.Removed r) {
            upsert(r.group());
            if (!inFront(r.group().id())) {
                alerts.accept(new GroupAlert(GroupAlert.Kind.REMOVED,
                        PlainText.name(r.group().name(), ctx.text("group.noName")), "", ""));
            }
        } else if (e instanceof GroupEvent.Posted p) {
            if (!p.post().mine() && p.post().kind() == org.allium.core.groups.GroupPost.Kind.POST
                    && !inFront(p.post().group())) {
                unnotified.remove(p.post().group());
                unnotified.put(p.post().group(), p.post());
                alertTimer.restart();
            }
            Group shown = groupView.group();
            if (shown != null && shown.id().equals(p.post().group()) && showing()) {
                groupView.add(p.post());
                if (p.post().kind() != org.allium.core.groups.GroupPost.Kind.POST) {
                    groupView.loadMembers(); // joined, appointed…: the member list follows
                }
                if (!p.post().mine()) {
                    markRead(shown.id());
                }
            } else if (!p.post().mine()) {
                refresh(p.post().group());
            }
        } else if (e instanceof GroupEvent.Delivery d) {
            Group shown = groupView.group();
            if (shown != null && shown.id().equals(d.group())) {
                groupView.loadHistory();
            }
        }
    }

    private void markRead(GroupId id) {
        ctx.background().run(() -> groups.markRead(id), () -> { }, x -> { });
    }

    /** Re-reads one group's entry (its unread count), at most one read per group at a time. */
    private void refresh(GroupId id) {
        if (!refreshing.add(id)) {
            return;
        }
        ctx.background().run(() -> groups.get(id), g -> {
            refreshing.remove(id);
            upsert(g);
        }, x -> refreshing.remove(id));
    }

    /** Adds or replaces a group (by id); the shown group's view follows. */
    void upsert(Group g) {
        Group shown = groupView.group();
        boolean isShown = shown != null && shown.id().equals(g.id()) && showing();
        if (isShown && g.unread() > 0) {
            markRead(g.id());
            g = new Group(g.id(), g.name(), g.status(), g.invitedBy(), g.members(), 0, g.admin(), g.creator());
        }
        List<Group> all = new ArrayList<>();
        boolean found = false;
        for (int i = 0; i < model.size(); i++) {
            if (model.get(i).id().equals(g.id())) {
                model.set(i, g);
                found = true;
            }
            all.add(model.get(i));
        }
        if (!found) {
            all.add(g);
            GroupId keep = selectedId();
            model.clear();
            sorted(all).forEach(model::addElement);
            select(keep);
        }
        if (isShown) {
            groupView.show(g);
        }
        refreshVisibility();
        unreadChanged.run();
    }

    Group find(GroupId id) {
        for (int i = 0; i < model.size(); i++) {
            if (model.get(i).id().equals(id)) {
                return model.get(i);
            }
        }
        return null;
    }

    void select(GroupId id) {
        if (id == null) {
            return;
        }
        for (int i = 0; i < model.size(); i++) {
            if (model.get(i).id().equals(id)) {
                list.setSelectedIndex(i);
                return;
            }
        }
    }

    private GroupId selectedId() {
        Group g = list.getSelectedValue();
        return g == null ? null : g.id();
    }

    /** Invitations first, then the groups the user is in, then those left; by name within each. */
    private List<Group> sorted(List<Group> gs) {
        List<Group> out = new ArrayList<>(gs);
        out.sort(Comparator.comparingInt((Group g) -> switch (g.status()) {
            case INVITED -> 0;
            case JOINED -> 1;
            default -> 2;
        }).thenComparing(g -> org.allium.core.api.DisplayText.name(g.name()).toLowerCase(ctx.messages().locale())));
        return out;
    }

    private void refreshVisibility() {
        list.setVisible(!model.isEmpty());
        section.revalidate();
        section.repaint();
    }

    void openNewGroup() {
        GroupNamePanel[] panel = new GroupNamePanel[1];
        panel[0] = new GroupNamePanel(ctx, ctx.text("groups.new.intro"), "", ctx.text("groups.new.ok"),
                n -> {
                    panel[0].ok.setEnabled(false);
                    ctx.background().run(() -> groups.get(groups.create(n)), g -> {
                        closeDialog();
                        upsert(g);
                        select(g.id());
                        // A group of one is of little use: ask whom to invite straight away.
                        groupView.openInvite();
                    }, e -> {
                        panel[0].ok.setEnabled(true);
                        panel[0].showError(groupView.errorText(e));
                    });
                }, this::closeDialog);
        closeDialog();
        dialog = DialogWindow.show(host.window(), Ui.plain(ctx.text("groups.new.title")), panel[0], panel[0].ok);
    }

    private void closeDialog() {
        if (dialog != null) {
            dialog.dispose();
            dialog = null;
        }
    }

    private final class Renderer extends ListRow<Group> {
        @Override
        public Component getListCellRendererComponent(JList<? extends Group> l, Group g, int index,
                                                      boolean selected, boolean focus) {
            selection(l, selected);
            name.setText(PlainText.name(g.name(), ctx.text("group.noName")));
            String d = detailOf(g);
            detail.setText(d);
            detail.setForeground(selected ? l.getSelectionForeground()
                    : Theme.color(g.status() == Group.Status.INVITED ? "Allium.warning.foreground"
                            : "Allium.meta.foreground", Color.GRAY));
            unread(g.unread());
            String unread = g.unread() > 0 ? ", " + ctx.format("contacts.unread", g.unread()) : "";
            getAccessibleContext().setAccessibleName(name.getText() + ", " + d + unread);
            return this;
        }

        @Override
        public Dimension getPreferredSize() {
            Dimension d = super.getPreferredSize();
            return new Dimension(Math.min(d.width, 240), d.height);
        }
    }

    /** The line under a group's name in the list. */
    String detailOf(Group g) {
        return switch (g.status()) {
            case INVITED -> g.invitedBy() == null ? ctx.text("groups.invited")
                    : PlainText.inert(ctx.format("groups.invitedBy",
                            PlainText.name(g.invitedBy(), ctx.text("group.member.unknown"))));
            case JOINED -> ctx.format("group.detail.members", g.members());
            case LEFT -> ctx.text("groups.left");
            case REMOVED -> ctx.text("groups.removed");
        };
    }

    /** For tests: the list's entries as shown (name — detail [unread]). */
    List<String> shownGroups() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < model.size(); i++) {
            Group g = model.get(i);
            out.add(PlainText.name(g.name(), ctx.text("group.noName")) + " — " + detailOf(g)
                    + (g.unread() > 0 ? " [" + g.unread() + "]" : ""));
        }
        return out;
    }
}
