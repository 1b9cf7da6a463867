package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Screenshots of every main screen and dialog in the light theme. */
class LightScreenshotTest extends ScreenshotCheck {
    @BeforeAll
    static void light() {
        UiTestSupport.warmUp();
        edt(() -> Theme.install(ThemeChoice.LIGHT));
    }

    @Test
    void everyScreen() throws Exception {
        everyScreenInTheme(ThemeChoice.LIGHT);
    }
}
