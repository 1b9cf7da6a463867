package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Issue 12's desktop screens (disk full, back up, repair) in the dark theme. */
class DarkStoreScreensTest extends StoreScreensCheck {
    @BeforeAll
    static void dark() {
        UiTestSupport.warmUp();
        edt(() -> Theme.install(ThemeChoice.DARK));
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
