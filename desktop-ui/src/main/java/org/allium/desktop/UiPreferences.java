package org.allium.desktop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The app's own settings that must be known before a profile is unlocked (theme, where the
 * last profile was, how notifications look). Nothing secret: no address, nickname or text
 * is ever stored here. Thread-safe; {@link #save()} does file I/O and must not run on the
 * event thread.
 */
public final class UiPreferences {
    private static final Logger LOG = Logger.getLogger(UiPreferences.class.getName());
    private static final String THEME = "theme";
    private static final String NOTIFY = "notifications.enabled";
    private static final String NOTIFY_DETAILS = "notifications.details";
    private static final String PROFILE_DIR = "profile.dir";
    private static final String BACKGROUND_NOTICE = "background.noticeShown";
    private static final String LANGUAGE = "language";

    private final Path file;
    private final Properties values = new Properties();

    private UiPreferences(Path file) {
        this.file = file;
    }

    /** Preferences kept only in memory (tests, benchmarks). */
    public static UiPreferences inMemory() {
        return new UiPreferences(null);
    }

    /** Preferences loaded from {@code file} (missing or unreadable → defaults). */
    public static UiPreferences load(Path file) {
        UiPreferences p = new UiPreferences(file);
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.values.load(in);
            } catch (IOException | IllegalArgumentException e) {
                LOG.log(Level.WARNING, "unreadable UI preferences, using defaults: " + e.getClass().getSimpleName());
            }
        }
        return p;
    }

    /** {@code $XDG_CONFIG_HOME/allium/desktop.properties} (or {@code ~/.config/...}). */
    public static Path defaultFile() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("allium").resolve("desktop.properties");
    }

    public synchronized ThemeChoice theme() {
        try {
            return ThemeChoice.valueOf(values.getProperty(THEME, ThemeChoice.SYSTEM.name()));
        } catch (IllegalArgumentException e) {
            return ThemeChoice.SYSTEM;
        }
    }

    public synchronized void setTheme(ThemeChoice theme) {
        values.setProperty(THEME, theme.name());
    }

    /** Whether desktop notifications are shown at all (default: yes). */
    public synchronized boolean notificationsEnabled() {
        return Boolean.parseBoolean(values.getProperty(NOTIFY, "true"));
    }

    public synchronized void setNotificationsEnabled(boolean on) {
        values.setProperty(NOTIFY, Boolean.toString(on));
    }

    /** Whether notifications may name the sender and show the text (default: no, only "New message"). */
    public synchronized boolean notificationDetails() {
        return Boolean.parseBoolean(values.getProperty(NOTIFY_DETAILS, "false"));
    }

    public synchronized void setNotificationDetails(boolean on) {
        values.setProperty(NOTIFY_DETAILS, Boolean.toString(on));
    }

    /** The language chosen in Settings as a tag ("fr"), or "" to follow the system (default). */
    public synchronized String language() {
        String v = values.getProperty(LANGUAGE, "");
        return v.matches("[a-z]{2}") ? v : "";
    }

    public synchronized void setLanguage(String tag) {
        values.setProperty(LANGUAGE, tag == null ? "" : tag);
    }

    /** Whether the user was told once that closing the window keeps Allium running. */
    public synchronized boolean backgroundNoticeShown() {
        return Boolean.parseBoolean(values.getProperty(BACKGROUND_NOTICE, "false"));
    }

    public synchronized void setBackgroundNoticeShown(boolean shown) {
        values.setProperty(BACKGROUND_NOTICE, Boolean.toString(shown));
    }

    /** The profile directory used last, if any. */
    public synchronized Optional<Path> profileDirectory() {
        String v = values.getProperty(PROFILE_DIR);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(Path.of(v));
    }

    public synchronized void setProfileDirectory(Path dir) {
        if (dir == null) {
            values.remove(PROFILE_DIR);
        } else {
            values.setProperty(PROFILE_DIR, dir.toAbsolutePath().toString());
        }
    }

    /** Writes the preferences atomically; blocking file I/O. */
    public void save() throws IOException {
        if (file == null) {
            return;
        }
        Properties copy = new Properties();
        synchronized (this) {
            copy.putAll(values);
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            copy.store(out, "Allium desktop settings");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
