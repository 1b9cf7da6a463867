package org.allium.desktop;

import java.util.Objects;
import java.util.function.BiFunction;
import org.allium.core.Messengers;
import org.allium.core.api.Messenger;
import org.allium.core.api.Profile;
import org.allium.core.api.Profiles;
import org.allium.core.api.TorSettings;

/**
 * The two entry points of the core API the app needs: the profile manager and a factory of
 * messengers. Production uses {@link Messengers}; tests pass a fake core, and the end-to-end
 * test a factory that joins the private Tor network. Immutable.
 */
public record CoreAccess(Profiles profiles, BiFunction<Profile, TorSettings, Messenger> messengers) {
    public CoreAccess {
        Objects.requireNonNull(profiles, "profiles");
        Objects.requireNonNull(messengers, "messengers");
    }

    /** The real engine. */
    public static CoreAccess production() {
        return new CoreAccess(Messengers.profiles(), Messengers::create);
    }
}
