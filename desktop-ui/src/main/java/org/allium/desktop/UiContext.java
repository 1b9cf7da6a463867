package org.allium.desktop;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Objects;

/**
 * What every screen needs, passed to its constructor: strings, the background executor,
 * the app's preferences, the core entry points and a clock (time stamps in tests). Immutable.
 */
public record UiContext(Messages messages, Background background, UiPreferences preferences,
                        CoreAccess core, Clock clock) {
    public UiContext {
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(background, "background");
        Objects.requireNonNull(preferences, "preferences");
        Objects.requireNonNull(core, "core");
        Objects.requireNonNull(clock, "clock");
    }

    public String text(String key) {
        return messages.text(key);
    }

    public String format(String key, Object... args) {
        return messages.format(key, args);
    }

    public ZoneId zone() {
        return clock.getZone();
    }
}
