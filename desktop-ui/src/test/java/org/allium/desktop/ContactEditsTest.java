package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Window;
import java.util.List;
import javax.swing.AbstractButton;
import javax.swing.JDialog;
import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.ContactState;
import org.allium.core.api.Direction;
import org.allium.core.api.Message;
import org.allium.core.api.MessageStatus;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 in a real window (fake core): "Delete for me" in a message's menu, Unblock for a
 * blocked contact, and the request's message as the first item of the conversation once
 * accepted, both ways. Screenshots {@code main-delete-confirm}, {@code main-blocked},
 * {@code main-unblock-confirm} and {@code main-request-first} in the theme of the run.
 */
class ContactEditsTest extends UiTest {
    private FakeCore.FakeMessenger core() {
        return (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
    }

    @Test
    void deleteForMeTakesTheMessageOutHereOnly() throws Exception {
        app = gallery.populatedMain();
        ConversationPanel c = onEdt(() -> app.main.conversation);
        Contact bogdan = onEdt(c::contact);
        MessageBubble first = onEdt(() -> c.bubbles().get(0));
        MessageBubble queued = onEdt(() -> c.bubbles().stream()
                .filter(b -> b.message().status() == MessageStatus.QUEUED).findFirst().orElseThrow());
        // Offered for a received or delivered message, not for one still being sent.
        edt(() -> queued.getComponentPopupMenu().show(queued, 5, 5));
        assertFalse(onEdt(queued.deleteItem::isVisible));
        edt(() -> queued.getComponentPopupMenu().setVisible(false));
        edt(() -> first.getComponentPopupMenu().show(first, 5, 5));
        assertTrue(onEdt(first.deleteItem::isVisible));
        edt(() -> first.getComponentPopupMenu().setVisible(false));

        Message gone = onEdt(first::message);
        SwingUtilities.invokeLater(first.deleteItem::doClick);
        JDialog confirm = awaitConfirmation();
        assertTrue(onEdt(() -> UiTestSupport.showsText(confirm, "deleted from this computer only")));
        UiTestSupport.screenshot(confirm, shot("main-delete-confirm"));
        // Cancel keeps it.
        SwingUtilities.invokeLater(onEdt(() -> UiTestSupport.button(confirm, "Cancel"))::doClick);
        waitFor("closed", () -> optionPane() == null);
        assertEquals(7, (int) onEdt(() -> c.bubbles().size()));

        SwingUtilities.invokeLater(first.deleteItem::doClick);
        JDialog again = awaitConfirmation();
        AbstractButton delete = onEdt(() -> UiTestSupport.button(again, "Delete"));
        assertNotNull(delete);
        SwingUtilities.invokeLater(delete::doClick);
        waitFor("bubble gone", () -> c.bubble(gone.id()) == null && c.bubbles().size() == 6);
        assertFalse(core().conversation(bogdan.id(), 100, null).stream().anyMatch(m -> m.id().equals(gone.id())),
                "gone from the core's conversation too");
        // It was yesterday's only message: yesterday's line went with it.
        assertEquals(List.of("Today"), onEdt(c::dayLines));
    }

    @Test
    void aBlockedContactCanBeUnblocked() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger m = core();
        Contact camille = m.contacts().stream().filter(x -> x.nickname().equals("Camille")).findFirst().orElseThrow();
        m.block(camille.id());
        m.drain();
        edt(() -> app.main.contactList.select(camille.id()));
        ConversationPanel c = onEdt(() -> app.main.conversation);
        waitFor("blocked shown", () -> c.contact() != null && c.contact().id().equals(camille.id())
                && c.contact().state() == ContactState.BLOCKED);
        assertTrue(onEdt(c.unblock::isVisible));
        assertFalse(onEdt(c.block::isVisible));
        UiTestSupport.screenshot(app.frame(), shot("main-blocked"));

        SwingUtilities.invokeLater(c.unblock::doClick);
        JDialog confirm = awaitConfirmation();
        assertTrue(onEdt(() -> UiTestSupport.showsText(confirm, "can send you a contact request again")));
        UiTestSupport.screenshot(confirm, shot("main-unblock-confirm"));
        SwingUtilities.invokeLater(onEdt(() -> UiTestSupport.button(confirm, "Unblock"))::doClick);
        waitFor("forgotten", () -> app.main.contactList.find(camille.id()) == null && c.contact() == null);
        assertFalse(m.contacts().stream().anyMatch(x -> x.id().equals(camille.id())));
    }

    @Test
    void theRequestsMessageOpensTheConversationAfterAccepting() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger m = core();
        ContactRequest incoming = m.requests().stream().filter(r -> r.direction() == Direction.INCOMING
                && r.nickname().equals("Source 7")).findFirst().orElseThrow();
        edt(() -> app.request(incoming));
        RequestPanel p = onEdt(() -> (RequestPanel) app.openDialog("request").getContentPane());
        edt(() -> p.accept.doClick());
        waitFor("contact added", () -> app.main.contactList.find(incoming.id()) != null);
        edt(() -> app.main.contactList.select(incoming.id()));
        ConversationPanel c = onEdt(() -> app.main.conversation);
        waitFor("conversation shown", () -> c.contact() != null && c.contact().id().equals(incoming.id())
                && c.bubbles().size() == 1);
        Message first = onEdt(() -> c.bubbles().get(0).message());
        assertEquals(incoming.message(), first.text());
        assertEquals(Direction.INCOMING, first.direction());
        assertEquals(0, app.main.contactList.find(incoming.id()).unread(), "read: it was read in the request");
        UiTestSupport.screenshot(app.frame(), shot("main-request-first"));

        // Our own request, once they accept: our text is the first, delivered, item.
        ContactRequest outgoing = m.requests().stream().filter(r -> r.direction() == Direction.OUTGOING)
                .findFirst().orElseThrow();
        m.acceptedByThem(outgoing.id());
        m.drain();
        waitFor("they accepted", () -> app.main.contactList.find(outgoing.id()) != null);
        edt(() -> app.main.contactList.select(outgoing.id()));
        waitFor("our conversation", () -> c.contact() != null && c.contact().id().equals(outgoing.id())
                && c.bubbles().size() == 1);
        Message ours = onEdt(() -> c.bubbles().get(0).message());
        assertEquals("Hello from Ana", ours.text());
        assertEquals(Direction.OUTGOING, ours.direction());
        assertEquals(MessageStatus.DELIVERED, ours.status());
    }

    /** Issue 13: the panic wipe's buttons are readable in both themes (danger style, light and dark). */
    @Test
    void theWipeButtonsAreReadable() throws Exception {
        app = gallery.populatedMain();
        SettingsPanel s = onEdt(app::settings);
        edt(() -> s.tabs.setSelectedIndex(4));
        waitFor("security tab", () -> s.wipe.isShowing());
        UiTestSupport.screenshot(onEdt(() -> app.openDialog("settings")), shot("dialog-settings-security"));
        assertReadableDanger(s.wipe);
        SwingUtilities.invokeLater(s.wipe::doClick);
        JDialog confirm = awaitConfirmation();
        UiTestSupport.screenshot(confirm, shot("wipe-confirm"));
        javax.swing.JButton yes = onEdt(() -> UiTestSupport.find(confirm, javax.swing.JButton.class,
                b -> "danger".equals(b.getName())));
        assertNotNull(yes, "the destructive choice is styled as such");
        assertEquals("Delete everything", onEdt(yes::getText));
        assertReadableDanger(yes);
        AbstractButton cancel = onEdt(() -> UiTestSupport.button(confirm, "Cancel"));
        assertTrue(onEdt(() -> confirm.getRootPane().getDefaultButton() == null || !yes.isDefaultButton()),
                "Enter does not wipe");
        SwingUtilities.invokeLater(cancel::doClick);
        waitFor("closed", () -> optionPane() == null);
        assertEquals("main", onEdt(app::shownScreen), "Cancel wipes nothing");
    }

    private void assertReadableDanger(javax.swing.JButton b) {
        java.awt.Color bg = onEdt(b::getBackground);
        java.awt.Color fg = onEdt(b::getForeground);
        double contrast = contrast(bg, fg);
        assertTrue(contrast >= 4.5, "text contrast " + contrast + " on " + bg + " in " + theme());
        // Red, not the theme's ordinary button.
        assertTrue(bg.getRed() > bg.getGreen() + 60 && bg.getRed() > bg.getBlue() + 60, "a danger colour: " + bg);
    }

    /** WCAG 2 contrast ratio. */
    static double contrast(java.awt.Color a, java.awt.Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(java.awt.Color c) {
        double[] v = {c.getRed() / 255.0, c.getGreen() / 255.0, c.getBlue() / 255.0};
        for (int i = 0; i < 3; i++) {
            v[i] = v[i] <= 0.03928 ? v[i] / 12.92 : Math.pow((v[i] + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
    }

    private static JDialog awaitConfirmation() {
        waitFor("confirmation", () -> optionPane() != null);
        JDialog d = onEdt(ContactEditsTest::optionPane);
        UiTestSupport.onEdt(() -> UiTestSupport.paint(d));
        return d;
    }

    static JDialog optionPane() {
        for (Window w : Window.getWindows()) {
            if (w instanceof JDialog d && d.isShowing() && UiTestSupport.find(d, JOptionPane.class, p -> true) != null) {
                return d;
            }
        }
        return null;
    }
}
