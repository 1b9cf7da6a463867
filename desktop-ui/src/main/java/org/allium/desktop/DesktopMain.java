package org.allium.desktop;

import java.awt.GraphicsEnvironment;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.swing.SwingUtilities;

/**
 * Entry point of the desktop app ({@code ./allium} with no arguments on a machine with a
 * display). Sets the system properties first, then installs FlatLaf and builds the window on
 * the event thread, as FlatLafDemo.main does.
 */
public final class DesktopMain {
    private DesktopMain() {
    }

    public static void main(String[] args) {
        if (GraphicsEnvironment.isHeadless()) {
            System.err.println("allium: no display; use the command line (allium --help)");
            System.exit(2);
        }
        Theme.setSystemProperties();
        UiPreferences prefs = UiPreferences.load(UiPreferences.defaultFile());
        String lang = System.getProperty("allium.locale");
        Locale locale = lang != null && !lang.isBlank() ? Locale.forLanguageTag(lang) : Locale.getDefault();
        ExecutorService background = backgroundExecutor();
        CoreAccess core = CoreAccess.production();
        UiContext ctx = new UiContext(new Messages(locale), new Background(background), prefs, core,
                Clock.systemDefaultZone());
        SwingUtilities.invokeLater(() -> {
            Theme.install(prefs.theme());
            AlliumApp app = new AlliumApp(ctx, () -> {
                background.shutdown();
                System.exit(0);
            });
            app.start();
        });
    }

    /**
     * "allium-ui-background": the pool for slow UI work (store I/O, key derivation, tor
     * start/stop). May block; unordered; daemon threads so a stuck core call cannot keep the
     * JVM alive after quit.
     */
    public static ExecutorService backgroundExecutor() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "allium-ui-background-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
