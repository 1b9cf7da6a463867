package org.allium.desktop.dropline;

import org.allium.desktop.DarkTheme;
import org.allium.desktop.ThemeChoice;
import org.junit.jupiter.api.extension.ExtendWith;

/** The source flow with screenshots in the dark theme. */
@ExtendWith(DarkTheme.class)
class DarkSourceFlowTest extends SourceFlowCheck {
    @Override
    ThemeChoice theme() {
        return ThemeChoice.DARK;
    }
}
