package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;

import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Issue 11 §1 in the dark theme: the same hostile corpus through the same screens, with the
 * screenshots ({@code hostile-*-dark.png}) of each hostile state.
 */
class HostileTextDarkTest extends HostileTextTest {
    @BeforeAll
    static void dark() throws Exception {
        // The look-and-feel switch and a first paint in it are heavy, one-off event-thread
        // work: done here, outside the watched tests (as DarkScreenshotTest does).
        edt(() -> Theme.install(ThemeChoice.DARK));
        new ScreenGallery(Locale.ENGLISH).each(shot -> UiTestSupport.onEdt(() -> UiTestSupport.paint(shot.window())));
    }

    @AfterAll
    static void backToLight() {
        edt(() -> Theme.install(ThemeChoice.LIGHT));
    }

    @Override
    ThemeChoice theme() {
        return ThemeChoice.DARK;
    }
}
