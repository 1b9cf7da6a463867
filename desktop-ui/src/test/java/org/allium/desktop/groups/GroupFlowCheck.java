package org.allium.desktop.groups;

import static org.allium.desktop.UiTestSupport.CLOCK;
import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Component;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.swing.AbstractButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.SwingUtilities;
import org.allium.core.api.Contact;
import org.allium.core.groups.Group;
import org.allium.core.groups.GroupId;
import org.allium.core.groups.GroupPost;
import org.allium.desktop.AlliumApp;
import org.allium.desktop.EdtWatchdog;
import org.allium.desktop.FakeCore;
import org.allium.desktop.Theme;
import org.allium.desktop.ThemeChoice;
import org.allium.desktop.UiTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16, the desktop: private groups in a real window against the fake core's groups.
 * New group… → name → invite contacts from a picker; posts with author names and colours,
 * ours with "Delivered to n of m"; the member list with make-admin and remove (confirmed);
 * rename; an invitation naming who invited and every member (members who are not contacts
 * by a readable placeholder, never a piece of their address) with accept; unread counts in
 * the list and the window title; connect with the members I don't know; leave (confirmed);
 * removed by an admin. Screenshots of every state in the subclass's theme.
 */
@ExtendWith(EdtWatchdog.class)
abstract class GroupFlowCheck {
    static final String PASS = "correct horse battery staple";
    private final List<Path> shots = new ArrayList<>();

    abstract ThemeChoice theme();

    static void installTheme(ThemeChoice t) {
        UiTestSupport.warmUp();
        edt(() -> Theme.install(t));
    }

    @AfterEach
    void close() {
        UiTestSupport.disposeAllWindows();
    }

    private void shot(Window w, String state) {
        shots.add(UiTestSupport.screenshot(w, "groups-" + state + "-" + theme().name().toLowerCase(Locale.ROOT)));
    }

    static AlliumApp unlockedApp(FakeCore core) {
        try {
            core.create(core.defaultDirectory(), PASS.toCharArray(), "Ana").close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        AlliumApp a = onEdt(() -> new AlliumApp(UiTestSupport.context(core.access(new org.allium.desktop.dropline
                .FakeDropLines(CLOCK)), Locale.ENGLISH), () -> { }));
        edt(a::start);
        waitFor("unlock screen", () -> "unlock".equals(a.shownScreen()) && a.frame().isShowing());
        edt(() -> a.unlock(PASS.toCharArray()));
        waitFor("main screen", () -> "main".equals(a.shownScreen()));
        edt(() -> a.frame().setSize(1180, 760));
        return a;
    }

    static GroupsDesk desk(AlliumApp app) {
        return onEdt(() -> {
            JComponent s = UiTestSupport.find(app.frame(), JComponent.class, c -> "groupsSection".equals(c.getName()));
            return s == null ? null : (GroupsDesk) s.getClientProperty(GroupsDesk.class);
        });
    }

    static JDialog dialog(String title) {
        for (Window w : Window.getWindows()) {
            if (w instanceof JDialog d && d.isShowing() && title.equals(d.getTitle())) {
                return d;
            }
        }
        return null;
    }

    /** Clicks {@code button} later (it opens a modal question), then answers {@code answer} in the dialog titled {@code title}. */
    static JDialog confirm(AbstractButton button, String title) {
        SwingUtilities.invokeLater(button::doClick);
        waitFor("question " + title, () -> dialog(title) != null);
        return onEdt(() -> dialog(title));
    }

    static void answer(JDialog d, String answer) {
        AbstractButton b = onEdt(() -> UiTestSupport.button(d, answer));
        assertNotNull(b, answer);
        edt(b::doClick);
    }

    /** The contact list once it lists the three contacts. */
    @SuppressWarnings("unchecked")
    static JList<Contact> contactList(AlliumApp app) {
        return UiTestSupport.find(app.frame(), JList.class,
                l -> l.getModel().getSize() == 3 && l.getModel().getElementAt(0) instanceof Contact);
    }

    static int indexOf(GroupsDesk desk, GroupId id) {
        for (int i = 0; i < desk.model.size(); i++) {
            if (desk.model.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void createInviteWriteManageAndBeInvited() throws Exception {
        FakeCore core = new FakeCore(CLOCK);
        AlliumApp app = unlockedApp(core);
        Contact bogdan = core.addContact("Bogdan", true);
        Contact carmen = core.addContact("Carmen", false);
        core.addContact("Dan", true);
        FakeGroups groups = core.lastGroups();
        GroupsDesk desk = desk(app);
        assertNotNull(desk, "the contact list has a Groups section");
        waitFor("contacts listed", () -> contactList(app) != null);

        // New group… → a name → the invitation picker opens by itself.
        AbstractButton newGroup = onEdt(() -> UiTestSupport.button(app.frame(), "New group…"));
        assertNotNull(newGroup);
        edt(newGroup::doClick);
        waitFor("name dialog", () -> desk.dialog != null && desk.dialog.isShowing());
        GroupNamePanel name = (GroupNamePanel) onEdt(() -> desk.dialog.getContentPane());
        assertFalse(onEdt(name.ok::isEnabled), "no name, no group");
        edt(() -> name.name.setText("x".repeat(101)));
        assertFalse(onEdt(name.ok::isEnabled), "101 bytes is too long");
        assertEquals("This name is too long: use fewer letters.", onEdt(name.status::getText));
        edt(() -> name.name.setText("Book club"));
        shot(desk.dialog, "new");
        edt(name.ok::doClick);
        waitFor("invite dialog", () -> desk.groupView.dialog != null && desk.groupView.dialog.isShowing());
        InvitePanel invite = (InvitePanel) onEdt(() -> desk.groupView.dialog.getContentPane());
        List<String> offered = onEdt(() -> invite.boxes.stream().map(AbstractButton::getText).toList());
        assertEquals(List.of("Bogdan", "Carmen", "Dan"), offered);
        assertFalse(onEdt(invite.invite::isEnabled));
        edt(() -> {
            invite.boxes.get(0).doClick();
            invite.boxes.get(1).doClick();
        });
        shot(desk.groupView.dialog, "invite");
        edt(invite.invite::doClick);
        GroupView view = desk.groupView;
        waitFor("invited", () -> desk.groupView.dialog == null && view.memberPanel.model.size() == 3);
        assertEquals(List.of("You", "Bogdan", "Carmen"), onEdt(view.memberPanel::shownNames));
        assertEquals("Book club", onEdt(view.name::getText));
        // The detail line follows the group's event, the member list its own load: either may come first.
        waitFor("the detail line counts 3", () -> "3 members · you created it".equals(view.detail.getText()));
        assertFalse(onEdt(view.leave::isVisible), "the creator cannot leave");
        assertTrue(onEdt(view.rename::isVisible) && onEdt(view.invite::isVisible));
        GroupId club = onEdt(() -> view.group().id());
        waitFor("membership lines", () -> view.shownItems().size() == 3);
        assertEquals(List.of("You created the group “Book club”", "You invited Bogdan", "You invited Carmen"),
                onEdt(view::shownItems));

        // They join and write; ours shows "Delivered to n of m" as receipts come in.
        groups.joins(club, bogdan.serviceId());
        groups.joins(club, carmen.serviceId());
        groups.post(club, bogdan.serviceId(), "Hello all! Next book?");
        waitFor("Bogdan's post", () -> view.shownItems().contains("Bogdan: Hello all! Next book?"));
        edt(() -> view.composer.area.setText("Le Petit Prince, in March."));
        edt(view.composer.send::doClick);
        waitFor("our post", () -> view.shownItems().contains("You: Le Petit Prince, in March."));
        PostItem ours = onEdt(() -> view.items().get(view.items().size() - 1));
        assertTrue(onEdt(ours.meta::getText).endsWith("Delivered to 0 of 2"), onEdt(ours.meta::getText));
        groups.delivered(club, ours.post().id(), 1);
        waitFor("one receipt", () -> view.item(ours.post().id()).meta.getText().endsWith("Delivered to 1 of 2"));
        groups.post(club, carmen.serviceId(), "I have it in French.");
        groups.post(club, bogdan.serviceId(), "Great, see you then.");
        waitFor("Carmen's post", () -> view.shownItems().contains("Bogdan: Great, see you then."));
        // Stable author colours: Bogdan's posts share one, Carmen's is her own (same theme key as her address).
        List<PostItem> byBogdan = onEdt(() -> view.items().stream()
                .filter(i -> i.author != null && "Bogdan".equals(i.author.getText())).toList());
        assertEquals(2, byBogdan.size());
        assertEquals(onEdt(() -> byBogdan.get(0).author.getForeground()), onEdt(() -> byBogdan.get(1).author.getForeground()));
        assertEquals(onEdt(() -> Theme.color(AuthorColors.key(bogdan.serviceId()), null)),
                onEdt(() -> byBogdan.get(0).author.getForeground()));
        shot(app.frame(), "conversation");

        // The member list: the creator makes Carmen an admin, removes Bogdan after a question.
        edt(() -> view.memberPanel.list.setSelectedIndex(view.memberPanel.shownNames().indexOf("Carmen")));
        assertTrue(onEdt(view.memberPanel.appoint::isEnabled));
        edt(view.memberPanel.appoint::doClick);
        waitFor("Carmen admin", () -> view.shownItems().contains("You made Carmen an admin"));
        waitFor("admin shown", () -> java.util.Collections.list(view.memberPanel.model.elements()).stream().anyMatch(m -> m.admin() && !m.me()));
        edt(() -> view.memberPanel.list.setSelectedIndex(view.memberPanel.shownNames().indexOf("Bogdan")));
        JDialog q = confirm(view.memberPanel.remove, "Remove this member?");
        assertTrue(onEdt(() -> UiTestSupport.showsText(q, "Bogdan")));
        shot(q, "remove");
        answer(q, "Remove");
        waitFor("Bogdan removed", () -> view.memberPanel.shownNames().equals(List.of("You", "Carmen")));
        assertTrue(onEdt(view::shownItems).contains("You removed Bogdan"));
        shot(app.frame(), "members");

        // Rename (admins).
        edt(view.rename::doClick);
        waitFor("rename dialog", () -> view.dialog != null && view.dialog.isShowing());
        GroupNamePanel rename = (GroupNamePanel) onEdt(() -> view.dialog.getContentPane());
        assertEquals("Book club", onEdt(rename.name::getText));
        edt(() -> rename.name.setText("Book club 2027"));
        edt(rename.ok::doClick);
        waitFor("renamed", () -> "Book club 2027".equals(view.name.getText()));
        assertEquals("Book club 2027", groups.name(club));

        // An invitation from a contact, with members who are not contacts.
        String eve = core.strangerAddress();
        String nameless = core.strangerAddress();
        Map<String, String> others = new LinkedHashMap<>();
        others.put(eve, "Eve");
        others.put(nameless, "");
        GroupId hiking = groups.invitation(bogdan.serviceId(), "Hiking", others);
        waitFor("invitation listed", () -> indexOf(desk, hiking) >= 0);
        assertEquals("Hiking — Invitation from Bogdan", onEdt(() -> desk.shownGroups().get(0)),
                "invitations come first and say who invited");
        edt(() -> desk.list.setSelectedIndex(indexOf(desk, hiking)));
        waitFor("invitation shown", () -> view.accept.isShowing() && view.invitationMembers.model.size() == 4);
        assertEquals("Bogdan invited you to this group.", onEdt(view.invitedBy::getText));
        List<String> members = onEdt(view.invitationMembers::shownNames);
        assertEquals(List.of("You", "Bogdan", "Eve (not a contact)", "Member not in your contacts"), members);
        for (Component c : onEdt(() -> UiTestSupport.all(app.frame()))) {
            if (c instanceof JLabel l && c.isShowing() && l.getText() != null) {
                assertFalse(l.getText().contains(nameless.substring(0, 8)), "an address fragment shown: " + l.getText());
                assertFalse(l.getText().contains(eve.substring(0, 8)), "an address fragment shown: " + l.getText());
            }
        }
        shot(app.frame(), "invitation");
        edt(view.accept::doClick);
        waitFor("joined", () -> view.composer.isShowing() && view.composer.area.isEnabled());
        groups.post(hiking, eve, "Saturday at 8, the usual place.");
        groups.post(hiking, nameless, "I bring the map.");
        waitFor("strangers' posts", () -> view.shownItems().contains("Member not in your contacts: I bring the map."));
        assertTrue(onEdt(view::shownItems).contains("Eve (not a contact): Saturday at 8, the usual place."));
        assertTrue(onEdt(view.leave::isVisible));

        // Connect me with the members I don't know.
        edt(view.connect::doClick);
        waitFor("introductions asked", () -> view.notice.getText().equals("Asked 2 members to become your contacts."));
        assertEquals(1, groups.introductions);

        // Unread counts in the list and the window title while another conversation is shown.
        edt(() -> desk.list.setSelectedIndex(indexOf(desk, club)));
        waitFor("club shown", () -> "Book club 2027".equals(view.name.getText()));
        groups.post(hiking, eve, "Bring water.");
        groups.post(hiking, nameless, "And a hat.");
        waitFor("unread 2", () -> desk.find(hiking).unread() == 2);
        assertTrue(onEdt(() -> desk.shownGroups().contains("Hiking — 4 members [2]")), String.valueOf(onEdt(desk::shownGroups)));
        waitFor("title counts it", () -> app.frame().getTitle().startsWith("(2)"));
        shot(app.frame(), "list");
        // A notification as for chat, one for the burst: by default nothing of the group, author or text.
        waitFor("group notification", () -> "Allium: New group message".equals(app.lastNotification()));
        edt(() -> UiTestSupport.preferences(app).setNotificationDetails(true));
        groups.post(hiking, eve, "<html><b>Boots</b> too.");
        waitFor("detailed group notification", () -> "Eve (not a contact) in Hiking: <html><b>Boots</b> too."
                .equals(app.lastNotification().replace("\u2060", "")));
        edt(() -> UiTestSupport.preferences(app).setNotificationDetails(false));
        edt(() -> desk.list.setSelectedIndex(indexOf(desk, hiking)));
        waitFor("read", () -> desk.find(hiking).unread() == 0 && view.shownItems().contains(
                "Member not in your contacts: And a hat."));

        // Leave, after a question naming the group; the history stays, the composer closes.
        JDialog leave = confirm(view.leave, "Leave this group?");
        assertTrue(onEdt(() -> UiTestSupport.showsText(leave, "Hiking")));
        answer(leave, "Leave");
        waitFor("left", () -> desk.find(hiking).status() == Group.Status.LEFT && !view.composer.area.isEnabled());
        assertEquals("You left this group. Its history stays here; nothing new arrives.", onEdt(view.notice::getText));
        assertFalse(onEdt(view.leave::isVisible));
        assertTrue(onEdt(() -> desk.shownGroups().contains("Hiking — You left")));
        shot(app.frame(), "left");

        // Removed by an admin elsewhere.
        GroupId work = groups.invitation(carmen.serviceId(), "Work", Map.of());
        waitFor("work listed", () -> indexOf(desk, work) >= 0);
        edt(() -> desk.list.setSelectedIndex(indexOf(desk, work)));
        waitFor("work invitation", () -> view.accept.isShowing());
        edt(view.accept::doClick);
        waitFor("work joined", () -> view.composer.area.isEnabled());
        groups.removesMe(work, carmen.serviceId());
        waitFor("removed", () -> desk.find(work).status() == Group.Status.REMOVED && !view.composer.area.isEnabled());
        assertEquals("An admin removed you from this group. Its history stays here; nothing new arrives.",
                onEdt(view.notice::getText));
        assertTrue(onEdt(view::shownItems).contains("Carmen removed You"), String.valueOf(onEdt(view::shownItems)));
        shot(app.frame(), "removed");

        // Choosing a contact shows the contact's conversation again.
        JList<Contact> contacts = onEdt(() -> contactList(app));
        edt(() -> contacts.setSelectedIndex(0));
        waitFor("contact shown", () -> !view.isShowing() && desk.list.getSelectedValue() == null);
        assertNull(onEdt(desk.list::getSelectedValue));

        // Removed from a group the user is not looking at: a notification, by default without its name.
        GroupId choir = groups.invitation(carmen.serviceId(), "Choir", Map.of());
        groups.accept(choir);
        groups.removesMe(choir, carmen.serviceId());
        waitFor("removal notification", () -> "Allium: You were removed from a group".equals(app.lastNotification()));
        waitFor("choir removed", () -> desk.find(choir) != null && desk.find(choir).status() == Group.Status.REMOVED);
        edt(() -> UiTestSupport.preferences(app).setNotificationDetails(true));
        GroupId band = groups.invitation(carmen.serviceId(), "Band", Map.of());
        groups.accept(band);
        groups.removesMe(band, carmen.serviceId());
        waitFor("detailed removal notification", () -> "Allium: You were removed from Band".equals(app.lastNotification()));
        edt(() -> UiTestSupport.preferences(app).setNotificationDetails(false));
        assertNotEquals(0, shots.size());

        for (Path f : shots) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertNotNull(img, f.toString());
            assertTrue(Files.size(f) > 2_000, f + " looks blank");
        }
        assertTrue(onEdt(() -> groups.all(club)).stream().anyMatch(p -> p.kind() == GroupPost.Kind.RENAMED));
    }
}
