package org.allium.desktop;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Issue13StatesTest} in the dark theme, with its screenshots ({@code *-dark.png}). */
@ExtendWith(DarkTheme.class)
class Issue13StatesDarkTest extends Issue13StatesTest {
    @Override
    ThemeChoice theme() {
        return ThemeChoice.DARK;
    }
}
