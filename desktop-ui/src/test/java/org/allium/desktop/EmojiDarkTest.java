package org.allium.desktop;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link EmojiTest} in the dark theme, with its screenshots ({@code *-dark.png}). */
@ExtendWith(DarkTheme.class)
class EmojiDarkTest extends EmojiTest {
    @Override
    ThemeChoice theme() {
        return ThemeChoice.DARK;
    }
}
