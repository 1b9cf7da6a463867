package org.allium.desktop;

import com.formdev.flatlaf.FlatDarkLaf;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;
import java.awt.Color;
import java.awt.Window;
import java.util.Locale;
import java.util.Map;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;

/**
 * Installs FlatLaf with Allium's own defaults (colours and spacing live in
 * {@code themes/FlatLaf.properties}, {@code FlatLightLaf.properties} and
 * {@code FlatDarkLaf.properties}, not in code). Event thread only.
 */
public final class Theme {
    static final String DEFAULTS_PACKAGE = "org.allium.desktop.themes";
    private static boolean sourceRegistered;

    private Theme() {
    }

    /**
     * Sets the system properties FlatLaf and Java2D read at start-up. Call from {@code main}
     * before any AWT class is touched (FlatLafDemo.main does the same).
     */
    public static void setSystemProperties() {
        System.setProperty("awt.useSystemAAFontSettings", "lcd");
        System.setProperty("swing.aatext", "true");
        System.setProperty("flatlaf.menuBarEmbedded", "false");
    }

    /** Installs the look and feel for {@code choice} and refreshes every open window. */
    public static void install(ThemeChoice choice) {
        if (!SwingUtilities.isEventDispatchThread()) {
            throw new IllegalStateException("install the look and feel on the event thread");
        }
        if (!sourceRegistered) {
            FlatLaf.registerCustomDefaultsSource(DEFAULTS_PACKAGE);
            sourceRegistered = true;
        }
        boolean dark = isDark(choice, System.getenv());
        FlatLaf laf = dark ? new FlatDarkLaf() : new FlatLightLaf();
        boolean first = !(UIManager.getLookAndFeel() instanceof FlatLaf);
        FlatLaf.setup(laf);
        if (!first) {
            // Like FlatLaf.updateUI(), but only for windows still on screen: disposed windows
            // that are not yet garbage collected would only cost event-thread time.
            for (Window w : Window.getWindows()) {
                if (w.isDisplayable()) {
                    SwingUtilities.updateComponentTreeUI(w);
                }
            }
        }
    }

    /** Whether {@code choice} means a dark theme here; SYSTEM follows the desktop's GTK theme name. */
    static boolean isDark(ThemeChoice choice, Map<String, String> env) {
        switch (choice) {
            case DARK:
                return true;
            case LIGHT:
                return false;
            default:
                // No portable "dark mode" query exists on Linux desktops; GTK_THEME is the
                // hint most of them set (e.g. "Adwaita:dark").
                String gtk = env.getOrDefault("GTK_THEME", "").toLowerCase(Locale.ROOT);
                return gtk.contains("dark");
        }
    }

    /** Whether the installed look and feel is dark. */
    public static boolean isDarkInstalled() {
        return FlatLaf.isLafDark();
    }

    /** A colour from Allium's theme properties, or {@code fallback} when a key is missing. */
    public static Color color(String key, Color fallback) {
        Color c = UIManager.getColor(key);
        return c != null ? c : fallback;
    }

    /** An integer (spacing, sizes) from Allium's theme properties. */
    public static int integer(String key, int fallback) {
        Object v = UIManager.get(key);
        return v instanceof Integer ? (Integer) v : fallback;
    }
}
