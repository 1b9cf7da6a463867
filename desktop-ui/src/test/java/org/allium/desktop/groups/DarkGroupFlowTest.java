package org.allium.desktop.groups;

import org.allium.desktop.DarkTheme;
import org.allium.desktop.ThemeChoice;
import org.junit.jupiter.api.extension.ExtendWith;

/** Private groups with screenshots in the dark theme. */
@ExtendWith(DarkTheme.class)
class DarkGroupFlowTest extends GroupFlowCheck {
    @Override
    ThemeChoice theme() {
        return ThemeChoice.DARK;
    }
}
