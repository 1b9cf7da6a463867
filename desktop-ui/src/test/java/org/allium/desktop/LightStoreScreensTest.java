package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;

import org.junit.jupiter.api.BeforeAll;

/** Issue 12's desktop screens (disk full, back up, repair) in the light theme. */
class LightStoreScreensTest extends StoreScreensCheck {
    @BeforeAll
    static void light() {
        UiTestSupport.warmUp();
        edt(() -> Theme.install(ThemeChoice.LIGHT));
    }

    @Override
    ThemeChoice theme() {
        return ThemeChoice.LIGHT;
    }
}
