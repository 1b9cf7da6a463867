package org.allium.desktop.groups;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JLabel;
import javax.swing.JPanel;
import org.allium.core.api.Contact;
import org.allium.desktop.PlainText;
import org.allium.desktop.ScrollablePanel;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * Picks contacts to invite into a group: one box per accepted contact that is not a member
 * yet, under the name the user knows them by. Each invitee gets an invitation naming who
 * invited them and the members. Event thread only.
 */
final class InvitePanel extends JPanel {
    final List<JCheckBox> boxes = new ArrayList<>();
    private final List<Contact> contacts;
    final JButton invite;
    final JButton cancel;
    final JLabel error = Ui.colored("Allium.error.foreground");

    /**
     * @param candidates accepted contacts not in the group yet, with the names shown for them
     * @param done       called with the chosen contacts
     */
    InvitePanel(UiContext ctx, String groupName, List<Contact> candidates, List<String> shownNames,
                Consumer<List<Contact>> done, Runnable cancel) {
        super(new BorderLayout(0, Ui.gap()));
        setName("groupInvite");
        Ui.pad(this);
        this.contacts = List.copyOf(candidates);
        add(Ui.wrapped(ctx.format("group.invite.intro", groupName), 380), BorderLayout.NORTH);
        ScrollablePanel list = new ScrollablePanel(null);
        list.setLayout(new BoxLayout(list, BoxLayout.Y_AXIS));
        for (int i = 0; i < candidates.size(); i++) {
            JCheckBox b = PlainText.guard(new JCheckBox(shownNames.get(i)));
            b.setOpaque(false);
            b.addActionListener(e -> update());
            boxes.add(b);
            list.add(b);
        }
        if (candidates.isEmpty()) {
            list.add(Ui.wrapped(ctx.text("group.invite.none"), 360));
        }
        javax.swing.JScrollPane scroll = Ui.scroll(list);
        scroll.setPreferredSize(new java.awt.Dimension(380, Math.min(260, 40 + 30 * Math.max(1, candidates.size()))));
        add(scroll, BorderLayout.CENTER);
        invite = Ui.button(ctx.text("group.invite.send"), e -> done.accept(chosen()));
        this.cancel = Ui.button(ctx.text("common.cancel"), e -> cancel.run());
        JPanel south = new JPanel(new BorderLayout());
        south.setOpaque(false);
        south.add(error, BorderLayout.NORTH);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        buttons.setOpaque(false);
        buttons.add(this.cancel);
        buttons.add(invite);
        south.add(buttons, BorderLayout.SOUTH);
        add(south, BorderLayout.SOUTH);
        update();
    }

    List<Contact> chosen() {
        List<Contact> out = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            if (boxes.get(i).isSelected()) {
                out.add(contacts.get(i));
            }
        }
        return out;
    }

    private void update() {
        invite.setEnabled(!chosen().isEmpty());
    }
}
