package org.allium.desktop;

import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 12's desktop screens (disk full, back up, repair) in the dark theme. */
@ExtendWith(DarkTheme.class)
class DarkStoreScreensTest extends StoreScreensCheck {
    @Override
    ThemeChoice theme() {
        return ThemeChoice.DARK;
    }
}
