package org.allium.desktop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Screenshots of every main screen and dialog in the dark theme. */
@ExtendWith(DarkTheme.class)
class DarkScreenshotTest extends ScreenshotCheck {
    @Test
    void everyScreen() throws Exception {
        everyScreenInTheme(ThemeChoice.DARK);
    }
}
