package org.allium.desktop;

import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Every user-visible string of the app, looked up by key in the {@code i18n/Messages}
 * bundles (English, French, Romanian). Immutable and thread-safe.
 */
public final class Messages {
    static final String BUNDLE = "org.allium.desktop.i18n.Messages";

    private final ResourceBundle bundle;
    private final Locale locale;

    public Messages(Locale locale) {
        this.locale = locale;
        // Fall back to the root (English) bundle, never to the JVM's default locale.
        this.bundle = ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public Locale locale() {
        return locale;
    }

    /** The text for {@code key}; a missing key shows as {@code !key!} rather than failing. */
    public String text(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            return '!' + key + '!';
        }
    }

    /**
     * The text for {@code key} with {@code {0}}, {@code {1}}… replaced by the arguments.
     * Deliberately not {@link java.text.MessageFormat}: its quoting rules would eat the
     * apostrophes French and Romanian texts are full of.
     */
    public String format(String key, Object... args) {
        String t = text(key);
        for (int i = 0; i < args.length; i++) {
            t = t.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return t;
    }
}
