package org.allium.desktop.groups;

import org.allium.desktop.ThemeChoice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Private groups with screenshots in the light theme. */
class LightGroupFlowTest extends GroupFlowCheck {
    @BeforeAll
    static void themeLight() {
        installTheme(ThemeChoice.LIGHT);
    }

    @AfterAll
    static void backToLight() {
        installTheme(ThemeChoice.LIGHT);
    }

    @Override
    ThemeChoice theme() {
        return ThemeChoice.LIGHT;
    }
}
