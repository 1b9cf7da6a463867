package org.allium.desktop;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 11 §1 in the dark theme: the same hostile corpus through the same screens, with the
 * screenshots ({@code hostile-*-dark.png}) of each hostile state.
 */
@ExtendWith(DarkTheme.class)
class HostileTextDarkTest extends HostileTextTest {
    @Override
    ThemeChoice theme() {
        return ThemeChoice.DARK;
    }
}
