package org.allium.desktop.dropline;

import org.allium.desktop.DarkTheme;
import org.allium.desktop.ThemeChoice;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operators' inbox with screenshots in the dark theme. */
@ExtendWith(DarkTheme.class)
class DarkInboxFlowTest extends InboxFlowCheck {
    @Override
    ThemeChoice theme() {
        return ThemeChoice.DARK;
    }
}
