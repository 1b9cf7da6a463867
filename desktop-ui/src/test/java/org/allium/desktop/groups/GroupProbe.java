package org.allium.desktop.groups;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.waitFor;

import java.util.List;
import javax.swing.AbstractButton;
import javax.swing.JComponent;
import org.allium.core.groups.Group;
import org.allium.core.groups.GroupId;
import org.allium.desktop.UiTestSupport;

/**
 * Drives and reads the group screens of a window for tests of other packages (the
 * hostile-text corpus, the end-to-end test): select a group, accept, read what is shown.
 * Calls come from a test thread; each runs its Swing part on the event thread.
 */
public final class GroupProbe {
    private final GroupsDesk desk;

    private GroupProbe(GroupsDesk desk) {
        this.desk = desk;
    }

    /** Runs {@code c} on the event thread, or right here when already on it (inside a waitFor condition). */
    private static <T> T read(java.util.concurrent.Callable<T> c) {
        if (javax.swing.SwingUtilities.isEventDispatchThread()) {
            try {
                return c.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return org.allium.desktop.UiTestSupport.onEdt(c);
    }

    /** The groups of the main window shown in {@code root}. */
    public static GroupProbe of(java.awt.Container root) {
        GroupsDesk d = read(() -> {
            JComponent s = UiTestSupport.find(root, JComponent.class, c -> "groupsSection".equals(c.getName()));
            return s == null ? null : (GroupsDesk) s.getClientProperty(GroupsDesk.class);
        });
        if (d == null) {
            throw new IllegalStateException("no groups section in this window");
        }
        return new GroupProbe(d);
    }

    /** The groups listed, in order. */
    public List<Group> listed() {
        return read(() -> java.util.Collections.list(desk.model.elements()));
    }

    /** The list's rows as shown ("name — detail [unread]"). */
    public List<String> rows() {
        return read(desk::shownGroups);
    }

    /** Selects group {@code id} (it must be listed) and waits until its view shows it. */
    public void select(GroupId id) {
        waitFor("group listed", () -> desk.find(id) != null);
        edt(() -> desk.select(id));
        waitFor("group shown", () -> desk.groupView.group() != null && desk.groupView.group().id().equals(id)
                && desk.groupView.isShowing());
    }

    /** Accepts the shown invitation and waits until the group can be written to. */
    public void accept() {
        edt(desk.groupView.accept::doClick);
        waitFor("joined", () -> desk.groupView.composer.isShowing() && desk.groupView.composer.area.isEnabled());
    }

    /** The shown group's name (header or invitation title). */
    public String shownName() {
        return read(() -> desk.groupView.group().status() == Group.Status.INVITED
                ? desk.groupView.invitationTitle.getText() : desk.groupView.name.getText());
    }

    /** The invitation's "X invited you" line. */
    public String invitedBy() {
        return read(desk.groupView.invitedBy::getText);
    }

    /** The members as named in the shown group's member list. */
    public List<String> members() {
        return read(() -> desk.groupView.group().status() == Group.Status.INVITED
                ? desk.groupView.invitationMembers.shownNames() : desk.groupView.memberPanel.shownNames());
    }

    /** The shown entries: "author: text" for posts, the sentence for membership changes. */
    public List<String> items() {
        return read(desk.groupView::shownItems);
    }

    /** Writes {@code text} into the shown group with the composer. */
    public void write(String text) {
        edt(() -> desk.groupView.composer.area.setText(text));
        edt(desk.groupView.composer.send::doClick);
    }

    /** The delivery line of the user's last post ("… · Delivered to n of m"). */
    public String lastOwnMeta() {
        return read(() -> {
            List<PostItem> all = desk.groupView.items();
            for (int i = all.size() - 1; i >= 0; i--) {
                if (all.get(i).post().mine() && all.get(i).text != null) {
                    return all.get(i).meta.getText();
                }
            }
            return null;
        });
    }

    /** The shown group view's Leave button (it opens a modal question). */
    public AbstractButton leaveButton() {
        return desk.groupView.leave;
    }

    /** Creates a group through "New group…" and invites {@code invitees} (names as the picker shows them). */
    public GroupId create(String name, List<String> invitees) {
        edt(desk.newGroup::doClick);
        waitFor("name dialog", () -> desk.dialog != null && desk.dialog.isShowing());
        GroupNamePanel p = (GroupNamePanel) read(() -> desk.dialog.getContentPane());
        edt(() -> p.name.setText(name));
        edt(p.ok::doClick);
        waitFor("invite dialog", () -> desk.groupView.dialog != null && desk.groupView.dialog.isShowing());
        InvitePanel inv = (InvitePanel) read(() -> desk.groupView.dialog.getContentPane());
        edt(() -> {
            for (AbstractButton b : inv.boxes) {
                if (invitees.contains(b.getText())) {
                    b.doClick();
                }
            }
        });
        edt(inv.invite::doClick);
        waitFor("invited", () -> desk.groupView.dialog == null
                && desk.groupView.memberPanel.model.size() == 1 + invitees.size());
        return read(() -> desk.groupView.group().id());
    }
}
