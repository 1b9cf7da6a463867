package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;

import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Screenshots of every main screen and dialog in the dark theme. */
class DarkScreenshotTest extends ScreenshotCheck {
    @BeforeAll
    static void dark() throws Exception {
        UiTestSupport.warmUp();
        // Switching the look and feel is a one-off heavy task on the event thread; it and a
        // first paint in the new theme happen before the watched test.
        edt(() -> Theme.install(ThemeChoice.DARK));
        new ScreenGallery(Locale.ENGLISH).each(shot -> UiTestSupport.onEdt(() -> UiTestSupport.paint(shot.window())));
    }

    @AfterAll
    static void backToLight() {
        edt(() -> Theme.install(ThemeChoice.LIGHT));
    }

    @Test
    void everyScreen() throws Exception {
        everyScreenInTheme(ThemeChoice.DARK);
    }
}
