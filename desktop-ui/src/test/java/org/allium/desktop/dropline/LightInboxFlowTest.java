package org.allium.desktop.dropline;

import org.allium.desktop.ThemeChoice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The operators' inbox with screenshots in the light theme. */
class LightInboxFlowTest extends InboxFlowCheck {
    @BeforeAll
    static void themeLight() {
        SourceFlowCheck.installTheme(ThemeChoice.LIGHT);
    }

    @AfterAll
    static void backToLight() {
        SourceFlowCheck.installTheme(ThemeChoice.LIGHT);
    }

    @Override
    ThemeChoice theme() {
        return ThemeChoice.LIGHT;
    }
}
