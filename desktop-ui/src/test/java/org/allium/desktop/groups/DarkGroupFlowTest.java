package org.allium.desktop.groups;

import org.allium.desktop.ThemeChoice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Private groups with screenshots in the dark theme. */
class DarkGroupFlowTest extends GroupFlowCheck {
    @BeforeAll
    static void themeDark() {
        installTheme(ThemeChoice.DARK);
    }

    @AfterAll
    static void backToLight() {
        installTheme(ThemeChoice.LIGHT);
    }

    @Override
    ThemeChoice theme() {
        return ThemeChoice.DARK;
    }
}
