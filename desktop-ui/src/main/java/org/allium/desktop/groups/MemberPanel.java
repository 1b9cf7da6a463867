package org.allium.desktop.groups;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.DefaultListModel;
import javax.swing.Icon;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.ListCellRenderer;
import javax.swing.ListSelectionModel;
import org.allium.core.groups.Group;
import org.allium.core.groups.GroupMember;
import org.allium.desktop.PlainText;
import org.allium.desktop.Theme;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * A group's members: each by the name the user knows them by ({@link GroupNames}) in the
 * author's colour, with "you", "creator", "admin", "invited", "not a contact"; for the
 * selected member "Remove…" (admins; only the creator removes an admin; nobody the creator)
 * and "Make admin" (the creator). Read-only on an invitation. Event thread only.
 */
final class MemberPanel extends JPanel {
    private final UiContext ctx;
    private final GroupNames names;
    final DefaultListModel<GroupMember> model = new DefaultListModel<>();
    final JList<GroupMember> list = new JList<>(model);
    final JLabel header = Ui.subtitle(" ");
    final JButton remove;
    final JButton appoint;
    private Group group;

    /** @param remove and @param appoint act on the selected member; null for a read-only list */
    MemberPanel(UiContext ctx, GroupNames names, Consumer<GroupMember> remove, Consumer<GroupMember> appoint) {
        super(new BorderLayout(0, Ui.gap() / 2));
        this.ctx = ctx;
        this.names = names;
        setName("groupMembers");
        setBorder(BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap(), Ui.gap(), Ui.gap()));
        header.setLabelFor(list);
        add(header, BorderLayout.NORTH);
        list.setCellRenderer(new Renderer());
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        list.getAccessibleContext().setAccessibleName(ctx.text("group.members.name"));
        list.setVisibleRowCount(8);
        add(Ui.scroll(list), BorderLayout.CENTER);
        JPanel buttons = new JPanel();
        buttons.setLayout(new BoxLayout(buttons, BoxLayout.Y_AXIS));
        buttons.setOpaque(false);
        this.remove = Ui.button(ctx.text("group.members.remove"), e -> {
            GroupMember m = list.getSelectedValue();
            if (m != null && remove != null) {
                remove.accept(m);
            }
        });
        this.appoint = Ui.button(ctx.text("group.members.appoint"), e -> {
            GroupMember m = list.getSelectedValue();
            if (m != null && appoint != null) {
                appoint.accept(m);
            }
        });
        if (remove != null) {
            JPanel row = new JPanel(new FlowLayout(FlowLayout.LEADING, 0, Ui.gap() / 2));
            row.setOpaque(false);
            row.add(this.remove);
            row.add(javax.swing.Box.createHorizontalStrut(Ui.gap()));
            row.add(this.appoint);
            buttons.add(row);
            add(buttons, BorderLayout.SOUTH);
        }
        list.addListSelectionListener(e -> updateButtons());
        setPreferredSize(new Dimension(260, 300));
        updateButtons();
    }

    void setMembers(Group g, List<GroupMember> members) {
        this.group = g;
        String keep = list.getSelectedValue() == null ? null : list.getSelectedValue().address();
        List<GroupMember> sorted = new ArrayList<>(members);
        // The user first, then admins, then the others by the name shown.
        sorted.sort(java.util.Comparator.comparing((GroupMember m) -> !m.me())
                .thenComparing(m -> !(m.creator() || m.admin()))
                .thenComparing(m -> shown(m).toLowerCase(ctx.messages().locale())));
        model.clear();
        sorted.forEach(model::addElement);
        header.setText(ctx.format("group.members.title", members.size()));
        for (int i = 0; i < model.size(); i++) {
            if (model.get(i).address().equals(keep)) {
                list.setSelectedIndex(i);
            }
        }
        updateButtons();
    }

    /** The names shown, in order (for tests and the invitation). */
    List<String> shownNames() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < model.size(); i++) {
            out.add(shown(model.get(i)));
        }
        return out;
    }

    String shown(GroupMember m) {
        return names.of(m.address(), m.name(), m.me());
    }

    /** Whether the user may remove {@code m} (core's rule: admins remove, only the creator removes an admin). */
    boolean mayRemove(GroupMember m) {
        return group != null && group.status() == Group.Status.JOINED && group.admin() && !m.me() && !m.creator()
                && (!m.admin() || group.creator());
    }

    boolean mayAppoint(GroupMember m) {
        return group != null && group.status() == Group.Status.JOINED && group.creator() && !m.me() && !m.admin();
    }

    private void updateButtons() {
        GroupMember m = list.getSelectedValue();
        boolean admin = group != null && group.admin() && group.status() == Group.Status.JOINED;
        remove.setVisible(admin);
        appoint.setVisible(group != null && group.creator() && group.status() == Group.Status.JOINED);
        remove.setEnabled(m != null && mayRemove(m));
        appoint.setEnabled(m != null && mayAppoint(m));
    }

    private String tags(GroupMember m) {
        List<String> t = new ArrayList<>();
        if (m.creator()) {
            t.add(ctx.text("group.members.creator"));
        } else if (m.admin()) {
            t.add(ctx.text("group.members.admin"));
        }
        if (!m.joined()) {
            t.add(ctx.text("group.members.invited"));
        }
        if (!m.me() && !names.isContact(m.address())) {
            t.add(ctx.text("group.members.notContact"));
        }
        return String.join(" · ", t);
    }

    /** A small square in the member's author colour. */
    private static final class Swatch implements Icon {
        private final String address;

        Swatch(String address) {
            this.address = address;
        }

        @Override
        public void paintIcon(Component c, Graphics g, int x, int y) {
            Graphics2D g2 = (Graphics2D) g.create();
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setColor(AuthorColors.of(address));
            g2.fillRoundRect(x + 1, y + 1, 9, 9, 4, 4);
            g2.dispose();
        }

        @Override
        public int getIconWidth() {
            return 11;
        }

        @Override
        public int getIconHeight() {
            return 11;
        }
    }

    private final class Renderer extends JPanel implements ListCellRenderer<GroupMember> {
        private final JLabel name = PlainText.label();
        private final JLabel detail = Ui.small(" ");

        Renderer() {
            super(new BorderLayout());
            setBorder(BorderFactory.createEmptyBorder(Ui.gap() / 2, Ui.gap() / 2, Ui.gap() / 2, Ui.gap() / 2));
            add(name, BorderLayout.NORTH);
            add(detail, BorderLayout.CENTER);
        }

        @Override
        public Component getListCellRendererComponent(JList<? extends GroupMember> l, GroupMember m, int index,
                                                      boolean selected, boolean focus) {
            setBackground(selected ? l.getSelectionBackground() : l.getBackground());
            name.setForeground(selected ? l.getSelectionForeground() : l.getForeground());
            detail.setForeground(selected ? l.getSelectionForeground()
                    : Theme.color("Allium.meta.foreground", Color.GRAY));
            name.setText(shown(m));
            name.setIcon(new Swatch(m.address()));
            String t = tags(m);
            detail.setText(t.isEmpty() ? " " : t);
            getAccessibleContext().setAccessibleName(t.isEmpty() ? name.getText() : name.getText() + ", " + t);
            return this;
        }
    }
}
