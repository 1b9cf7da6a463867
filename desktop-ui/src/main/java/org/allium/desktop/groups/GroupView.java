package org.allium.desktop.groups;

import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.FlowLayout;
import java.awt.Window;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollBar;
import javax.swing.JScrollPane;
import javax.swing.JToggleButton;
import javax.swing.SwingUtilities;
import org.allium.core.api.Contact;
import org.allium.core.api.MessengerException;
import org.allium.core.groups.Group;
import org.allium.core.groups.GroupId;
import org.allium.core.groups.GroupMember;
import org.allium.core.groups.GroupPost;
import org.allium.core.groups.Groups;
import org.allium.desktop.Composer;
import org.allium.desktop.DialogWindow;
import org.allium.desktop.PlainText;
import org.allium.desktop.ScrollablePanel;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * The right side of the main window while a group is selected. An invitation shows who
 * invited the user and the members, with Accept / Decline. A group shows its history (posts
 * with author names and colours, membership changes as lines, ours with "Delivered to n of
 * m"), the member list beside it, the composer, and what the user may do: invite, rename
 * (admins), connect with the members they do not know, leave (confirmed; not the creator).
 * After leaving or being removed the history stays readable and the composer says why it is
 * closed. Every core call runs on the background executor. Event thread only.
 */
final class GroupView extends JPanel {
    /** How many entries are loaded when a group opens. */
    static final int PAGE = 200;

    /** What the view needs of the rest of the app. */
    interface Host {
        /** A group's state changed here (after accept, leave…): update the list. */
        void changed(Group g);

        /** The accepted contacts, for the invitation picker. */
        List<Contact> contacts();

        /** The name shown for a contact. */
        String contactName(Contact c);

        Window window();

        /** The user's own address (a membership line about the user, who may no longer be a member). */
        String myAddress();
    }

    private final UiContext ctx;
    private final Groups groups;
    private final GroupNames names;
    private final Host host;
    private final CardLayout cards = new CardLayout();
    private Group group;
    /** Members of the shown group by address (names of subjects of membership lines). */
    private final Map<String, GroupMember> members = new HashMap<>();
    private final Map<String, PostItem> items = new LinkedHashMap<>();
    private LocalDate lastDay;

    // Invitation card
    final JLabel invitationTitle = Ui.title(" ");
    final JLabel invitedBy = Ui.subtitle(" ");
    final MemberPanel invitationMembers;
    final JButton accept;
    final JButton decline;
    final JLabel invitationError = Ui.colored("Allium.error.foreground");

    // Conversation card
    final JLabel name = Ui.subtitle(" ");
    final JLabel detail = Ui.small(" ");
    final JToggleButton membersToggle;
    final JButton invite;
    final JButton rename;
    final JButton connect;
    final JButton leave;
    final ScrollablePanel posts = new ScrollablePanel(null);
    final JScrollPane scroll;
    final MemberPanel memberPanel;
    final Composer composer;
    /** Why the composer is closed (left, removed), or a result (introductions asked). */
    final JLabel notice = Ui.small(" ");
    final JLabel error = Ui.colored("Allium.error.foreground");
    /** The open name or invite dialog, if any (tests drive it). */
    JDialog dialog;

    GroupView(UiContext ctx, Groups groups, GroupNames names, Host host) {
        setLayout(cards);
        this.ctx = ctx;
        this.groups = groups;
        this.names = names;
        this.host = host;
        setName("groupView");

        // ---- invitation ----
        JPanel inv = new JPanel(new BorderLayout(0, Ui.gap()));
        inv.setName("groupInvitation");
        Ui.pad(inv);
        JPanel top = new JPanel();
        top.setOpaque(false);
        top.setLayout(new BoxLayout(top, BoxLayout.Y_AXIS));
        invitationTitle.setAlignmentX(LEFT_ALIGNMENT);
        invitedBy.setAlignmentX(LEFT_ALIGNMENT);
        top.add(invitationTitle);
        top.add(javax.swing.Box.createVerticalStrut(Ui.gap()));
        top.add(invitedBy);
        JLabel plain = Ui.wrapped(ctx.text("group.invitation.hint"), 460);
        plain.setAlignmentX(LEFT_ALIGNMENT);
        top.add(javax.swing.Box.createVerticalStrut(Ui.gap()));
        top.add(plain);
        inv.add(top, BorderLayout.NORTH);
        invitationMembers = new MemberPanel(ctx, names, null, null);
        inv.add(invitationMembers, BorderLayout.CENTER);
        accept = Ui.button(ctx.text("group.invitation.accept"), e -> answer(true));
        decline = Ui.button(ctx.text("group.invitation.decline"), e -> answer(false));
        JPanel south = new JPanel(new BorderLayout());
        south.setOpaque(false);
        south.add(invitationError, BorderLayout.NORTH);
        JPanel ib = new JPanel(new FlowLayout(FlowLayout.LEADING, Ui.gap(), 0));
        ib.setOpaque(false);
        ib.add(accept);
        ib.add(decline);
        south.add(ib, BorderLayout.SOUTH);
        inv.add(south, BorderLayout.SOUTH);
        add(inv, "invitation");

        // ---- conversation ----
        JPanel main = new JPanel(new BorderLayout());
        main.setName("groupConversation");
        JPanel header = new JPanel(new BorderLayout(Ui.gap(), 0));
        header.setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createMatteBorder(0, 0, 1, 0, javax.swing.UIManager.getColor("Component.borderColor")),
                BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap() * 2, Ui.gap(), Ui.gap())));
        JPanel who = new JPanel();
        who.setOpaque(false);
        who.setLayout(new BoxLayout(who, BoxLayout.Y_AXIS));
        name.setAlignmentX(LEFT_ALIGNMENT);
        detail.setAlignmentX(LEFT_ALIGNMENT);
        who.add(name);
        who.add(detail);
        header.add(who, BorderLayout.CENTER);
        membersToggle = Ui.mnemonic(new JToggleButton(), ctx.text("group.members.toggle"));
        membersToggle.setSelected(true);
        invite = Ui.button(ctx.text("group.invite"), e -> openInvite());
        rename = Ui.button(ctx.text("group.rename"), e -> openRename());
        connect = Ui.button(ctx.text("group.connect"), e -> connect());
        connect.setToolTipText(ctx.text("group.connect.tip"));
        leave = Ui.button(ctx.text("group.leave"), e -> confirmLeave());
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        buttons.setOpaque(false);
        buttons.add(membersToggle);
        buttons.add(invite);
        buttons.add(rename);
        buttons.add(connect);
        buttons.add(leave);
        header.add(buttons, BorderLayout.SOUTH);
        main.add(header, BorderLayout.NORTH);

        posts.setLayout(new BoxLayout(posts, BoxLayout.Y_AXIS));
        posts.setBorder(BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap(), Ui.gap(), Ui.gap()));
        posts.setFocusable(true);
        posts.getAccessibleContext().setAccessibleName(ctx.text("group.posts.name"));
        scroll = Ui.scroll(posts);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        scroll.getAccessibleContext().setAccessibleName(ctx.text("group.posts.name"));
        memberPanel = new MemberPanel(ctx, names, this::confirmRemove, this::appoint);
        memberPanel.setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createMatteBorder(0, 1, 0, 0, javax.swing.UIManager.getColor("Component.borderColor")),
                BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap(), Ui.gap(), Ui.gap())));
        membersToggle.addActionListener(e -> {
            memberPanel.setVisible(membersToggle.isSelected());
            revalidate();
        });
        JPanel center = new JPanel(new BorderLayout());
        center.setOpaque(false);
        center.add(scroll, BorderLayout.CENTER);
        center.add(memberPanel, BorderLayout.EAST);
        main.add(center, BorderLayout.CENTER);
        composer = new Composer(ctx, this::send);
        JPanel bottom = new JPanel(new BorderLayout());
        JPanel lines = new JPanel();
        lines.setOpaque(false);
        lines.setLayout(new BoxLayout(lines, BoxLayout.Y_AXIS));
        notice.setBorder(BorderFactory.createEmptyBorder(0, Ui.gap(), 0, Ui.gap()));
        error.setBorder(BorderFactory.createEmptyBorder(0, Ui.gap(), 0, Ui.gap()));
        lines.add(notice);
        lines.add(error);
        bottom.add(lines, BorderLayout.NORTH);
        bottom.add(composer, BorderLayout.CENTER);
        main.add(bottom, BorderLayout.SOUTH);
        add(main, "conversation");
    }

    Group group() {
        return group;
    }

    /** Shows {@code g} (or its fresh state, when it is the one shown); loads history and members. */
    void show(Group g) {
        boolean same = group != null && group.id().equals(g.id());
        Group before = group;
        group = g;
        if (!same) {
            items.clear();
            members.clear();
            lastDay = null;
            posts.removeAll();
            posts.revalidate();
            posts.repaint();
            error.setText("");
            invitationError.setText("");
            notice.setText(" ");
            composer.area.setText("");
            memberPanel.setMembers(g, List.of());
            invitationMembers.setMembers(g, List.of());
        }
        String shownName = PlainText.name(g.name(), ctx.text("group.noName"));
        if (g.status() == Group.Status.INVITED) {
            invitationTitle.setText(shownName);
            invitedBy.setText(g.invitedBy() == null ? ctx.text("group.invitation.someone")
                    : PlainText.inert(ctx.format("group.invitation.by",
                            PlainText.name(g.invitedBy(), ctx.text("group.member.unknown")))));
            cards.show(this, "invitation");
        } else {
            name.setText(shownName);
            detail.setText(detailLine(g));
            boolean joined = g.status() == Group.Status.JOINED;
            invite.setVisible(joined && g.admin());
            rename.setVisible(joined && g.admin());
            connect.setVisible(joined);
            leave.setVisible(joined && !g.creator());
            composer.setEnabled(joined);
            if (g.status() == Group.Status.LEFT) {
                notice.setText(ctx.text("group.notice.left"));
            } else if (g.status() == Group.Status.REMOVED) {
                notice.setText(ctx.text("group.notice.removed"));
            } else if (before != null && before.status() != Group.Status.JOINED) {
                notice.setText(" ");
            }
            cards.show(this, "conversation");
        }
        if (!same) {
            loadHistory();
        } else if (before.members() != g.members() || before.status() != g.status() || before.admin() != g.admin()) {
            loadMembers();
        }
    }

    private String detailLine(Group g) {
        String n = ctx.format("group.detail.members", g.members());
        if (g.creator()) {
            return n + " · " + ctx.text("group.detail.creator");
        } else if (g.admin()) {
            return n + " · " + ctx.text("group.detail.admin");
        }
        return n;
    }

    void loadMembers() {
        GroupId id = group.id();
        ctx.background().run(() -> groups.members(id), list -> {
            if (group != null && group.id().equals(id)) {
                setMembers(list);
            }
        }, e -> showError(e));
    }

    private void setMembers(List<GroupMember> list) {
        members.clear();
        for (GroupMember m : list) {
            members.put(m.address(), m);
        }
        memberPanel.setMembers(group, list);
        invitationMembers.setMembers(group, list);
    }

    /**
     * Reloads the members and the newest entries together (membership lines name their
     * subjects by the members): new entries are added, shown ones get their delivery count.
     */
    void loadHistory() {
        GroupId id = group.id();
        boolean unread = group.unread() > 0;
        ctx.background().run(() -> {
            List<GroupMember> ms = groups.members(id);
            List<GroupPost> page = groups.history(id, PAGE);
            if (unread) {
                groups.markRead(id);
            }
            return new Object[] {ms, page};
        }, r -> {
            if (group != null && group.id().equals(id)) {
                @SuppressWarnings("unchecked")
                List<GroupMember> ms = (List<GroupMember>) r[0];
                @SuppressWarnings("unchecked")
                List<GroupPost> page = (List<GroupPost>) r[1];
                setMembers(ms);
                page.forEach(this::add);
            }
        }, e -> showError(e));
    }

    /** A new entry of any group (ours or received); ignored unless it is the shown group's. */
    void add(GroupPost p) {
        if (group == null || !group.id().equals(p.group())) {
            return;
        }
        PostItem shown = items.get(p.id());
        if (shown != null) {
            shown.setPost(p);
            return;
        }
        String author = names.of(p.author(), p.authorName(), p.mine());
        String subject = "";
        if (p.subject() != null) {
            GroupMember m = members.get(p.subject());
            subject = names.of(p.subject(), m == null ? "" : m.name(), p.subject().equals(host.myAddress()));
        }
        PostItem item = new PostItem(ctx, p, author, subject);
        item.setAlignmentX(LEFT_ALIGNMENT);
        LocalDate day = item.day();
        if (!day.equals(lastDay)) {
            posts.add(daySeparator(day));
            lastDay = day;
        }
        items.put(p.id(), item);
        posts.add(item);
        posts.revalidate();
        posts.repaint();
        scrollToEnd();
    }

    /** The shown entries in order, as "author: text" or the membership line (for tests). */
    List<String> shownItems() {
        List<String> out = new ArrayList<>();
        for (PostItem i : items.values()) {
            out.add(i.text == null ? i.meta.getText().replaceAll(" · [^·]*$", "")
                    : (i.author == null ? ctx.text("group.member.you") : i.author.getText()) + ": " + i.text.getText());
        }
        return out;
    }

    PostItem item(String postId) {
        return items.get(postId);
    }

    List<PostItem> items() {
        return List.copyOf(items.values());
    }

    private boolean send(String text) {
        if (group == null) {
            return false;
        }
        error.setText("");
        GroupId id = group.id();
        ctx.background().run(() -> groups.send(id, text), this::add, e -> {
            showError(e);
            if (composer.area.getText().isEmpty()) {
                composer.area.setText(text);
            }
        });
        return true;
    }

    private void answer(boolean join) {
        GroupId id = group.id();
        accept.setEnabled(false);
        decline.setEnabled(false);
        ctx.background().run(() -> {
            if (join) {
                groups.accept(id);
            } else {
                groups.decline(id);
            }
            return groups.get(id);
        }, g -> {
            accept.setEnabled(true);
            decline.setEnabled(true);
            host.changed(g);
            if (group != null && group.id().equals(id)) {
                show(g);
                loadHistory();
            }
        }, e -> {
            accept.setEnabled(true);
            decline.setEnabled(true);
            invitationError.setText(errorText(e));
        });
    }

    void openInvite() {
        if (group == null) {
            return;
        }
        List<Contact> candidates = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (Contact c : host.contacts()) {
            if (!members.containsKey(c.serviceId())) {
                candidates.add(c);
                shown.add(host.contactName(c));
            }
        }
        GroupId id = group.id();
        InvitePanel[] panel = new InvitePanel[1];
        panel[0] = new InvitePanel(ctx, PlainText.name(group.name(), ctx.text("group.noName")), candidates, shown,
                chosen -> {
                    panel[0].invite.setEnabled(false);
                    ctx.background().run(() -> {
                        for (Contact c : chosen) {
                            groups.invite(id, c.id());
                        }
                        return groups.get(id);
                    }, g -> {
                        closeDialog();
                        host.changed(g);
                        if (group != null && group.id().equals(id)) {
                            show(g);
                            loadMembers();
                        }
                    }, e -> {
                        panel[0].invite.setEnabled(true);
                        panel[0].error.setText(errorText(e));
                        loadMembers(); // some may have been invited before the failure
                    });
                }, this::closeDialog);
        openDialog(ctx.text("group.invite.title"), panel[0], panel[0].invite);
    }

    void openRename() {
        if (group == null) {
            return;
        }
        GroupId id = group.id();
        GroupNamePanel[] panel = new GroupNamePanel[1];
        panel[0] = new GroupNamePanel(ctx, ctx.text("group.rename.intro"), org.allium.core.api.DisplayText.name(group.name()),
                ctx.text("group.rename.ok"), n -> ctx.background().run(() -> {
                    groups.rename(id, n);
                    return groups.get(id);
                }, g -> {
                    closeDialog();
                    host.changed(g);
                    if (group != null && group.id().equals(id)) {
                        show(g);
                    }
                }, e -> panel[0].showError(errorText(e))), this::closeDialog);
        openDialog(ctx.text("group.rename.title"), panel[0], panel[0].ok);
    }

    private void openDialog(String title, JPanel content, JButton defaultButton) {
        closeDialog();
        dialog = DialogWindow.show(host.window(), title, content, defaultButton);
    }

    void closeDialog() {
        if (dialog != null) {
            dialog.dispose();
            dialog = null;
        }
    }

    private void connect() {
        GroupId id = group.id();
        connect.setEnabled(false);
        ctx.background().run(() -> groups.introduce(id), n -> {
            connect.setEnabled(true);
            notice.setText(n == 0 ? ctx.text("group.connect.none") : ctx.format("group.connect.done", n));
        }, e -> {
            connect.setEnabled(true);
            showError(e);
        });
    }

    private void confirmLeave() {
        String shownName = PlainText.name(group.name(), ctx.text("group.noName"));
        if (confirm("group.leave.confirm", shownName)) {
            GroupId id = group.id();
            ctx.background().run(() -> {
                groups.leave(id);
                return groups.get(id);
            }, g -> {
                host.changed(g);
                if (group != null && group.id().equals(id)) {
                    show(g);
                }
            }, e -> showError(e));
        }
    }

    private void confirmRemove(GroupMember m) {
        if (confirm("group.remove.confirm", memberPanel.shown(m))) {
            GroupId id = group.id();
            ctx.background().run(() -> {
                groups.remove(id, m.address());
                return groups.get(id);
            }, g -> {
                host.changed(g);
                if (group != null && group.id().equals(id)) {
                    show(g);
                    loadMembers();
                }
            }, e -> showError(e));
        }
    }

    private void appoint(GroupMember m) {
        GroupId id = group.id();
        ctx.background().run(() -> groups.appoint(id, m.address()), this::loadMembers, e -> showError(e));
    }

    /** Asks {@code key}.title / .text (naming {@code who}) / .yes; true when confirmed. */
    private boolean confirm(String key, String who) {
        Object[] options = {Ui.plain(ctx.text(key + ".yes")), Ui.plain(ctx.text("common.cancel"))};
        // The question names a group or member: a label of escaped text, never a string Swing may read as HTML.
        int choice = JOptionPane.showOptionDialog(this, Ui.wrapped(ctx.format(key + ".text", who), 360),
                Ui.plain(ctx.text(key + ".title")), JOptionPane.DEFAULT_OPTION, JOptionPane.WARNING_MESSAGE,
                null, options, options[1]);
        return choice == 0;
    }

    private void showError(Exception e) {
        if (group != null && group.status() == Group.Status.INVITED) {
            invitationError.setText(errorText(e));
        } else {
            error.setText(errorText(e));
        }
    }

    String errorText(Exception e) {
        if (e instanceof MessengerException) {
            return PlainText.inert(ctx.format("error.core", e.getMessage()));
        }
        return ctx.text("error.unexpected");
    }

    private JPanel daySeparator(LocalDate day) {
        LocalDate today = LocalDate.now(ctx.clock());
        String text = day.equals(today) ? ctx.text("conversation.today")
                : day.equals(today.minusDays(1)) ? ctx.text("conversation.yesterday")
                : DateTimeFormatter.ofLocalizedDate(FormatStyle.FULL).withLocale(ctx.messages().locale()).format(day);
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

    private void scrollToEnd() {
        SwingUtilities.invokeLater(() -> {
            JScrollBar bar = scroll.getVerticalScrollBar();
            bar.setValue(bar.getMaximum());
        });
    }
}
