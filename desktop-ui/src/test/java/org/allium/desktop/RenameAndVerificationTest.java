package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.allium.core.api.Contact;
import org.allium.core.api.ContactRequest;
import org.junit.jupiter.api.Test;

/** Issue 13: contacts and requests have names the user chooses (local only); verification can be undone. */
class RenameAndVerificationTest extends UiTest {
    private Contact named(String nickname) {
        return onEdt(() -> find(nickname));
    }

    /** On the event thread. */
    private Contact find(String nickname) {
        for (int i = 0; i < app.main.contactList.contacts.size(); i++) {
            if (app.main.contactList.contacts.get(i).nickname().equals(nickname)) {
                return app.main.contactList.contacts.get(i);
            }
        }
        return null;
    }

    @Test
    void aContactCanBeRenamedAndANamelessOneGetsAPlaceholder() throws Exception {
        app = gallery.populatedMain();
        Contact camille = named("Camille");
        edt(() -> app.main.contactList.select(camille.id()));
        waitFor("camille shown", () -> app.main.conversation.contact().id().equals(camille.id()));
        edt(() -> app.main.conversation.rename.doClick());
        waitFor("rename dialog", () -> app.openDialog("rename") != null);
        RenamePanel p = onEdt(() -> (RenamePanel) app.openDialog("rename").getContentPane());
        assertEquals("Camille", onEdt(p.name::getText));
        edt(() -> p.name.setText("x".repeat(65)));
        assertFalse(onEdt(p.save::isEnabled));
        edt(() -> {
            p.name.setText("Camille (lawyer)");
            p.save.doClick();
        });
        waitFor("renamed", () -> app.openDialog("rename") == null && find("Camille (lawyer)") != null
                && app.main.conversation.name.getText().equals("Camille (lawyer)"));
        // Empty removes our name: a readable placeholder, never a piece of the address.
        edt(() -> app.rename(camille.id(), "Camille (lawyer)"));
        RenamePanel p2 = onEdt(() -> (RenamePanel) app.openDialog("rename").getContentPane());
        edt(() -> {
            p2.name.setText("");
            p2.save.doClick();
        });
        waitFor("no name", () -> app.main.conversation.name.getText().equals("(no name)"));
        assertFalse(onEdt(() -> app.main.conversation.name.getText()).contains(camille.serviceId().substring(0, 6)));
    }

    @Test
    void aRequestCanBeRenamedFromItsDialog() throws Exception {
        app = gallery.populatedMain();
        ContactRequest source = onEdt(() -> {
            for (int i = 0; i < app.main.contactList.requests.size(); i++) {
                if (app.main.contactList.requests.get(i).nickname().equals("Source 7")) {
                    return app.main.contactList.requests.get(i);
                }
            }
            return null;
        });
        edt(() -> app.request(source));
        waitFor("request dialog", () -> app.openDialog("request") != null);
        RequestPanel rp = onEdt(() -> (RequestPanel) app.openDialog("request").getContentPane());
        edt(() -> rp.rename.doClick());
        waitFor("rename dialog", () -> app.openDialog("rename") != null && app.openDialog("request") == null);
        RenamePanel p = onEdt(() -> (RenamePanel) app.openDialog("rename").getContentPane());
        edt(() -> {
            p.name.setText("Ministry source");
            p.save.doClick();
        });
        waitFor("request renamed", () -> {
            for (int i = 0; i < app.main.contactList.requests.size(); i++) {
                if (app.main.contactList.requests.get(i).id().equals(source.id())) {
                    return app.main.contactList.requests.get(i).nickname().equals("Ministry source");
                }
            }
            return false;
        });
    }

    @Test
    void verificationCanBeUndone() throws Exception {
        app = gallery.populatedMain();
        Contact bogdan = onEdt(app.main.conversation::contact);
        assertTrue(bogdan.verified());
        assertTrue(onEdt(app.main.conversation.unverify::isShowing));
        assertFalse(onEdt(app.main.conversation.verify::isShowing));
        edt(() -> app.main.conversation.unverify.doClick());
        waitFor("unverified", () -> !app.main.contactList.find(bogdan.id()).verified()
                && app.main.conversation.verified.getText().equals("Not verified")
                && app.main.conversation.verify.isShowing() && !app.main.conversation.unverify.isShowing());
    }
}
