package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.waitFor;

import org.junit.jupiter.api.AfterEach;

/**
 * Window tests over a session bus of their own ({@link SessionBus}): the bus a test started
 * ({@link #bus}) is closed after it, once the app's notifier has let go of it and the app is
 * closed.
 */
abstract class BusUiTest extends UiTest {
    /** The bus the test started, closed after it; null if none. */
    SessionBus bus;

    /** Opens the populated main window on a new bus with a notification service; returns once the app found it. */
    void openWithNotificationService() throws Exception {
        bus = new SessionBus().withNotificationService();
        app = gallery.populatedMain();
        edt(() -> app.notifier.connectBus(bus.address));
        waitFor("notification service found", () -> app.notifier.hasNotificationService());
    }

    @AfterEach
    @Override
    void close() throws Exception {
        if (app != null) {
            edt(app.notifier::remove);
            ScreenGallery.close(app);
        }
        if (bus != null) {
            bus.close();
        }
    }
}
