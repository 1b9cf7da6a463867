package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.util.Locale;
import javax.swing.SwingUtilities;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.Direction;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 states in the theme of the run, with screenshots: Add contact refuses our own
 * address, an existing contact and a malformed address as they are typed and cleans a wrapped
 * one ({@code add-refused-own}, {@code add-refused-existing}, {@code add-refused-malformed},
 * {@code add-cleaned}); incoming bubbles stand out from the conversation and their text is
 * readable (pixels of the painted window); an outgoing request listed under the name we gave it
 * ({@code main-outgoing-renamed}); verification undone ({@code main-verification-undone}).
 */
class Issue13StatesTest extends UiTest {
    @Test
    void addContactRefusesWhileTypingAndCleansAWrappedAddress() throws Exception {
        app = gallery.populatedMain();
        Contact bogdan = onEdt(() -> app.main.contactList.contacts.get(0));
        String own = onEdt(() -> app.session().messenger().myIdentity().serviceId());
        ScreenGallery.openDialog(app, "add");
        AddContactPanel p = onEdt(() -> (AddContactPanel) app.openDialog("add").getContentPane());
        java.awt.Window dialog = onEdt(() -> app.openDialog("add"));

        edt(() -> p.address.setText("allium:" + own));
        assertEquals("This is your own address.", onEdt(p.addressStatus::getText), "refused as typed, not at Send");
        assertFalse(onEdt(p.send::isEnabled));
        UiTestSupport.screenshot(dialog, shot("add-refused-own"));
        edt(() -> p.address.setText(own + ".onion"));
        assertEquals("This is your own address.", onEdt(p.addressStatus::getText));

        edt(() -> p.address.setText(bogdan.link()));
        assertEquals("This person is already in your contacts or requests.", onEdt(p.addressStatus::getText));
        assertFalse(onEdt(p.send::isEnabled));
        UiTestSupport.screenshot(dialog, shot("add-refused-existing"));

        edt(() -> p.address.setText("allium:" + own.substring(0, 40)));
        assertEquals("An address has exactly 56 characters after \"allium:\".", onEdt(p.addressStatus::getText));
        assertFalse(onEdt(p.send::isEnabled));
        UiTestSupport.screenshot(dialog, shot("add-refused-malformed"));

        // A new address pasted with a line break around it and the .onion wrapper: taken.
        String fresh = FakeCore.serviceId(java.util.Arrays.copyOf(new byte[] {9, 9}, 32));
        edt(() -> p.address.setText("\n  " + fresh.toUpperCase(Locale.ROOT) + ".onion \n"));
        assertEquals("This is a valid address.", onEdt(p.addressStatus::getText));
        assertTrue(onEdt(p.send::isEnabled));
        UiTestSupport.screenshot(dialog, shot("add-cleaned"));
    }

    @Test
    void incomingBubblesStandOutAndTheirTextIsReadable() throws Exception {
        app = gallery.populatedMain();
        MessageBubble incoming = onEdt(() -> app.main.conversation.bubbles().stream()
                .filter(b -> b.message().direction() == Direction.INCOMING).findFirst().orElseThrow());
        BufferedImage img = onEdt(() -> UiTestSupport.paint(app.frame()));
        // Inside the bubble (left padding, mid height) and the conversation just right of it.
        Point inside = onEdt(() -> SwingUtilities.convertPoint(incoming.text, -4, incoming.text.getHeight() / 2,
                app.frame().getRootPane()));
        Point outside = onEdt(() -> SwingUtilities.convertPoint(incoming.text.getParent(),
                incoming.text.getParent().getWidth() + 12, incoming.text.getParent().getHeight() / 2,
                app.frame().getRootPane()));
        Color bubble = new Color(img.getRGB(inside.x, inside.y));
        Color around = new Color(img.getRGB(outside.x, outside.y));
        double edge = ContactEditsTest.contrast(bubble, around);
        // Dark: grey on darker grey (issue 13: they were invisible); light: white on light grey.
        double least = theme() == ThemeChoice.DARK ? 1.25 : 1.1;
        assertTrue(edge >= least, "incoming bubble " + bubble + " against " + around + ": " + edge + " in " + theme());
        Color text = onEdt(incoming.text::getForeground);
        double readable = ContactEditsTest.contrast(bubble, text);
        assertTrue(readable >= 4.5, "text " + text + " on " + bubble + ": " + readable + " in " + theme());
    }

    @Test
    void anOutgoingRequestIsListedUnderTheNameWeGaveIt() throws Exception {
        app = gallery.populatedMain();
        ContactRequest ours = onEdt(() -> {
            for (int i = 0; i < app.main.contactList.requests.size(); i++) {
                if (app.main.contactList.requests.get(i).direction() == Direction.OUTGOING) {
                    return app.main.contactList.requests.get(i);
                }
            }
            return null;
        });
        // Unnamed: the start of their address, never the name we offered them (our own, "Ana").
        assertEquals(ContactListPanel.shortLink(ours.link()), onEdt(() -> app.main.contactList.requestName(ours)));
        edt(() -> app.request(ours));
        waitFor("request dialog", () -> app.openDialog("request") != null);
        RequestPanel rp = onEdt(() -> (RequestPanel) app.openDialog("request").getContentPane());
        edt(() -> rp.rename.doClick());
        waitFor("rename dialog", () -> app.openDialog("rename") != null);
        RenamePanel p = onEdt(() -> (RenamePanel) app.openDialog("rename").getContentPane());
        assertEquals("", onEdt(p.name::getText), "not our own name");
        edt(() -> {
            p.name.setText("Port authority clerk");
            p.save.doClick();
        });
        waitFor("listed under our name", () -> app.openDialog("rename") == null
                && app.main.contactList.requests.size() == 3 && named(ours).equals("Port authority clerk"));
        UiTestSupport.screenshot(app.frame(), shot("main-outgoing-renamed"));
        // The core keeps it as our name for them; the name we offered stays ours.
        assertEquals("Port authority clerk", onEdt(() -> find(ours).localName()));
        assertEquals(ours.nickname(), onEdt(() -> find(ours).nickname()));
    }

    private ContactRequest find(ContactRequest r) {
        for (int i = 0; i < app.main.contactList.requests.size(); i++) {
            if (app.main.contactList.requests.get(i).id().equals(r.id())) {
                return app.main.contactList.requests.get(i);
            }
        }
        return null;
    }

    private String named(ContactRequest r) {
        ContactRequest now = find(r);
        return now == null ? "" : app.main.contactList.requestName(now);
    }

    @Test
    void undoingAVerificationIsShown() throws Exception {
        app = gallery.populatedMain();
        assertTrue(onEdt(app.main.conversation.unverify::isShowing));
        edt(() -> app.main.conversation.unverify.doClick());
        waitFor("unverified", () -> app.main.conversation.verify.isShowing()
                && app.main.conversation.verified.getText().equals("Not verified"));
        UiTestSupport.screenshot(app.frame(), shot("main-verification-undone"));
    }
}
