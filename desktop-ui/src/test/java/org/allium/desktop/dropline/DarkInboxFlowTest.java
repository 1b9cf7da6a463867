package org.allium.desktop.dropline;

import org.allium.desktop.ThemeChoice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The operators' inbox with screenshots in the dark theme. */
class DarkInboxFlowTest extends InboxFlowCheck {
    @BeforeAll
    static void themeDark() {
        SourceFlowCheck.installTheme(ThemeChoice.DARK);
    }

    @AfterAll
    static void backToLight() {
        SourceFlowCheck.installTheme(ThemeChoice.LIGHT);
    }

    @Override
    ThemeChoice theme() {
        return ThemeChoice.DARK;
    }
}
