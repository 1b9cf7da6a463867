package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.allium.core.api.MessengerState;
import org.allium.core.api.Profile;
import org.junit.jupiter.api.Test;

/** Issue 13: lock without quitting; the main window shows when new contacts are not accepted. */
class LockAndIndicatorsTest extends UiTest {
    @Test
    void notAcceptingNewContactsIsShownInTheMainWindow() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
        assertFalse(onEdt(app.main.notAccepting::isShowing));
        m.setAcceptingContacts(false);
        waitFor("indicator shown", () -> app.main.notAccepting.isShowing());
        assertEquals("Not accepting new contacts", onEdt(app.main.notAccepting::getText));
        m.setAcceptingContacts(true);
        waitFor("indicator gone", () -> !app.main.notAccepting.isShowing());
    }

    @Test
    void unreadCountIsInTheWindowTitle() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
        waitFor("3 unread (Camille)", () -> app.frame().getTitle().equals("(3) Allium"));
        org.allium.core.api.Contact elena = onEdt(() -> {
            for (int i = 0; i < app.main.contactList.contacts.size(); i++) {
                if (app.main.contactList.contacts.get(i).nickname().equals("Elena")) {
                    return app.main.contactList.contacts.get(i);
                }
            }
            return null;
        });
        m.receive(elena.id(), "are you there?");
        waitFor("4 unread", () -> app.frame().getTitle().equals("(4) Allium"));
        edt(() -> app.main.contactList.select(elena.id()));
        waitFor("read", () -> app.frame().getTitle().equals("(3) Allium"));
        edt(app::lock);
        assertEquals("Allium", onEdt(app.frame()::getTitle), "nothing about messages while locked");
    }

    @Test
    void lockClosesTheProfileAndTheRightPassphraseOpensItAgain() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
        Profile profile = onEdt(() -> app.session().profile());
        edt(app::lock);
        assertEquals("unlock", onEdt(app::shownScreen));
        assertNull(onEdt(app::session));
        waitFor("profile closed", () -> !profile.isOpen() && m.state() == MessengerState.STOPPED
                && app.unlock.unlockButton.isEnabled());
        assertNull(onEdt(() -> app.frame().getJMenuBar()), "no menu while locked");
        ScreenGallery.unlock(app);
        waitFor("main again", () -> "main".equals(app.shownScreen()) && app.session() != null);
    }
}
