package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.allium.core.api.Contact;
import org.allium.desktop.notify.DesktopNotifications;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: notifications without a tray, through org.freedesktop.Notifications on a real
 * session bus (dbus-daemon started by the test, a fake notification service registered on
 * it). The Notify call hides the content by default, names the sender only when the user
 * asked for it, and is urgent while the window is hidden or minimised.
 */
class DesktopNotificationsTest extends BusUiTest {
    @Test
    void aNewMessageReachesTheNotificationServiceWithItsContentHidden() throws Exception {
        openWithNotificationService();
        assertTrue(onEdt(app.notifier::reachesUserInBackground));
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
        Contact camille = onEdt(() -> app.main.contactList.contacts.get(1));
        assertEquals("Camille", camille.nickname());

        m.receive(camille.id(), "The documents are in the blue folder");
        SessionBus.Call c = bus.next(20);
        assertEquals("Allium", c.appName());
        assertEquals("Allium", c.summary());
        assertEquals("New message", c.body());
        assertFalse((c.summary() + c.body()).contains("Camille"), "the sender is hidden by default");
        assertFalse((c.summary() + c.body()).contains("blue folder"), "the text is hidden by default");
        assertEquals((byte) 1, c.hints().get("urgency"), "normal urgency while the window is open");
        assertEquals("im.received", c.hints().get("category"));

        // A contact request: said as such, nothing of the stranger.
        m.receiveRequest("Stranger Danger", "please accept me");
        m.drain();
        SessionBus.Call r = bus.next(20);
        assertEquals("New contact request", r.body());
        assertFalse((r.summary() + r.body()).contains("Stranger"));
        assertEquals(1, r.replacesId(), "one notification replaced, not a pile");

        // Window hidden (closed to the background) or minimised: urgent, so it stays until seen.
        edt(() -> app.frame().setVisible(false));
        m.receive(camille.id(), "second");
        SessionBus.Call hidden = bus.next(20);
        assertEquals((byte) 2, hidden.hints().get("urgency"), "urgent while the window is hidden");
        assertEquals("New message", hidden.body());

        // Details only when the user asked for them.
        edt(() -> app.context().preferences().setNotificationDetails(true));
        m.receive(camille.id(), "Meet at noon");
        SessionBus.Call detailed = bus.next(20);
        assertEquals("Message from Camille", detailed.summary());
        assertEquals("Meet at noon", detailed.body());

        // Notifications off: nothing at all on the bus.
        edt(() -> app.context().preferences().setNotificationsEnabled(false));
        m.receive(camille.id(), "quiet");
        assertNull(bus.calls.poll(2, TimeUnit.SECONDS), "notifications are off");
    }

    @Test
    void aBusWithoutANotificationServiceIsNotUsed() throws Exception {
        bus = new SessionBus();
        assertTrue(DesktopNotifications.connect(bus.address, "Allium").isEmpty());
        app = gallery.populatedMain();
        edt(() -> app.notifier.connectBus(bus.address));
        waitFor("the bus answered", () -> app.notifier.busLookupDone());
        assertFalse(onEdt(app.notifier::hasNotificationService));
        // No bus at all: no crash, no service.
        assertTrue(DesktopNotifications.connect("unix:path=/nonexistent/allium-test-bus", "Allium").isEmpty());
    }
}
