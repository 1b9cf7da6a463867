package org.allium.desktop.dropline;

import org.allium.desktop.ThemeChoice;
import org.junit.jupiter.api.BeforeAll;

/** The source flow with screenshots in the light theme. */
class LightSourceFlowTest extends SourceFlowCheck {
    @BeforeAll
    static void light() {
        installTheme(ThemeChoice.LIGHT);
    }

    @Override
    ThemeChoice theme() {
        return ThemeChoice.LIGHT;
    }
}
