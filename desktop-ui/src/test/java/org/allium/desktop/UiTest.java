package org.allium.desktop;

import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the tests of the app's windows share: the event-thread watchdog, the app warmed up
 * (once per JVM) before the class, a gallery of apps on a fake core, and the app a test opened
 * ({@link #app}) closed after each test. Used from the test's thread only.
 */
@ExtendWith(EdtWatchdog.class)
abstract class UiTest {
    final ScreenGallery gallery = new ScreenGallery(Locale.ENGLISH);
    /** The app the test opened, closed after it; null if none. */
    AlliumApp app;

    @BeforeAll
    static void warmUp() {
        UiTestSupport.warmUp();
    }

    @AfterEach
    void close() throws Exception {
        if (app != null) {
            ScreenGallery.close(app);
        }
    }

    /** The theme this class runs in (a dark subclass overrides it): screenshots carry its name. */
    ThemeChoice theme() {
        return ThemeChoice.LIGHT;
    }

    /** A screenshot's name in the theme of the run. */
    String shot(String name) {
        return name + "-" + theme().name().toLowerCase(Locale.ROOT);
    }
}
