package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;

import java.util.Locale;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class in the dark theme ({@code @ExtendWith(DarkTheme.class)}, with its
 * {@code theme()} saying so): before its tests the app is warmed up, the dark look and feel
 * installed and every screen painted once in it — heavy one-off event-thread work, done
 * outside the watched tests ({@link EdtWatchdog}); after them the light theme is back.
 */
public final class DarkTheme implements BeforeAllCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        UiTestSupport.warmUp();
        edt(() -> Theme.install(ThemeChoice.DARK));
        new ScreenGallery(Locale.ENGLISH).each(shot -> UiTestSupport.onEdt(() -> UiTestSupport.paint(shot.window())));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        edt(() -> Theme.install(ThemeChoice.LIGHT));
    }
}
