package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;

import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link Issue13StatesTest} in the dark theme, with its screenshots ({@code *-dark.png}). */
class Issue13StatesDarkTest extends Issue13StatesTest {
    @BeforeAll
    static void dark() throws Exception {
        // The look-and-feel switch and a first paint in it happen outside the watched tests.
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
