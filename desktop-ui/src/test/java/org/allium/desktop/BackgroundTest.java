package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.event.WindowEvent;
import javax.swing.JMenuItem;
import org.allium.core.api.Contact;
import org.allium.core.api.MessengerState;
import org.allium.desktop.notify.Notifications;
import org.freedesktop.dbus.types.UInt32;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: closing the window keeps Allium online where a notification service (or a tray)
 * can reach the user — told clearly the first time, with Quit in the menu — and a click on a
 * notification brings the window back; where nothing could reach the user, closing quits.
 */
class BackgroundTest extends BusUiTest {
    private void closeButton() {
        edt(() -> app.frame().dispatchEvent(new WindowEvent(app.frame(), WindowEvent.WINDOW_CLOSING)));
    }

    @Test
    void closingKeepsRunningWithANoticeTheFirstTimeAndANotificationBringsItBack() throws Exception {
        openWithNotificationService();
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());

        // The menu has Close window and Quit.
        assertNotNull(onEdt(() -> UiTestSupport.find(app.frame().getJMenuBar().getMenu(0).getPopupMenu(),
                JMenuItem.class, i -> "Quit".equals(i.getText()))));

        closeButton();
        waitFor("first-time notice", () -> app.openDialog("background") != null);
        BackgroundNoticePanel notice = onEdt(() -> (BackgroundNoticePanel) app.openDialog("background").getContentPane());
        assertTrue(onEdt(() -> UiTestSupport.showsText(notice, "keeps Allium online")));
        assertTrue(onEdt(() -> UiTestSupport.showsText(notice, "click a notification from Allium")));
        assertTrue(onEdt(() -> UiTestSupport.showsText(notice, "Quit (Ctrl+Q)")));
        assertTrue(onEdt(app.frame()::isVisible), "nothing hidden before the user has read the notice");
        edt(notice.keepRunning::doClick);
        waitFor("window hidden", () -> app.inBackground());
        assertEquals(MessengerState.RUNNING, m.state(), "still online");
        assertTrue(onEdt(() -> app.context().preferences().backgroundNoticeShown()));

        // A message while in the background: an urgent notification, hiding the content.
        Contact camille = onEdt(() -> app.main.contactList.contacts.get(1));
        m.receive(camille.id(), "are you there?");
        SessionBus.Call c = bus.next(20);
        assertEquals("New message", c.body());
        assertEquals((byte) 2, c.hints().get("urgency"));
        waitFor("unread counted while hidden", () -> app.frame().getTitle().startsWith("(4)"));

        // The user clicks it: the window is back.
        long id = idOfLastNotification(c);
        // The service recorded the call before its reply reached us: wait for the reply, else
        // the click would be for an id we do not know yet (and rightly ignored).
        waitFor("reply received", () -> app.notifier.busShowed(id));
        bus.signal(new Notifications.ActionInvoked("/org/freedesktop/Notifications", new UInt32(id), "default"));
        waitFor("window back", () -> app.frame().isVisible());

        // Second close: no notice again, straight to the background.
        closeButton();
        waitFor("hidden again", () -> app.inBackground());
        assertEquals(null, onEdt(() -> app.openDialog("background")));
        // Quit from the (tray/notification-less) menu path: everything stops.
        edt(app::quit);
        waitFor("stopped", () -> m.state() != MessengerState.RUNNING);
    }

    private long idOfLastNotification(SessionBus.Call c) {
        return c.id();
    }

    @Test
    void withoutTrayOrNotificationServiceClosingQuits() throws Exception {
        bus = new SessionBus(); // a bus, but nobody showing notifications
        app = gallery.populatedMain();
        edt(() -> app.notifier.connectBus(bus.address));
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
        waitFor("the bus answered", () -> app.notifier.busLookupDone());
        assertFalse(onEdt(app.notifier::reachesUserInBackground));
        closeButton();
        waitFor("quit", () -> m.state() != MessengerState.RUNNING);
        // The window goes on the event thread after the messenger stopped: wait for it, don't race it.
        waitFor("the window disposed", () -> !app.frame().isDisplayable());
    }
}
