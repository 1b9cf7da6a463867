package org.allium.desktop.dropline;

import org.allium.desktop.ThemeChoice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The source flow with screenshots in the dark theme. */
class DarkSourceFlowTest extends SourceFlowCheck {
    @BeforeAll
    static void dark() {
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
