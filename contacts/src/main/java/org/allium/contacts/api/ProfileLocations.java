package org.allium.contacts.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where profiles live by default: {@code $XDG_DATA_HOME/allium/profiles/<name>}, or
 * {@code ~/.local/share/allium/profiles/<name>} when XDG_DATA_HOME is unset or not
 * absolute (XDG Base Directory spec). Any other directory can be used instead.
 */
public final class ProfileLocations {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private ProfileLocations() {
    }

    /** The default directory of the profile called {@code name} for this user. */
    public static Path defaultDirectory(String name) {
        return defaultDirectory(name, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** As {@link #defaultDirectory(String)} with an explicit environment and home (for tests). */
    public static Path defaultDirectory(String name, Map<String, String> env, Path home) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "a profile name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : home.resolve(".local").resolve("share");
        return base.resolve("allium").resolve("profiles").resolve(name);
    }
}
