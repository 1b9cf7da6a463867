package org.allium.desktop;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ContactEditsTest} in the dark theme, with its screenshots ({@code *-dark.png}). */
@ExtendWith(DarkTheme.class)
class ContactEditsDarkTest extends ContactEditsTest {
    @Override
    ThemeChoice theme() {
        return ThemeChoice.DARK;
    }
}
