package org.allium.desktop;

import java.util.Objects;
import java.util.function.BiFunction;
import org.allium.core.Messengers;
import org.allium.core.api.Messenger;
import org.allium.core.api.Profile;
import org.allium.core.api.Profiles;
import org.allium.core.api.TorSettings;
import org.allium.desktop.dropline.DropAccess;

/**
 * The entry points of the core API the app needs: the profile manager, a factory of
 * messengers and the drop lines. Production uses {@link Messengers}; tests pass a fake core,
 * and the end-to-end test a factory that joins the private Tor network. Immutable.
 */
public record CoreAccess(Profiles profiles, BiFunction<Profile, TorSettings, Messenger> messengers,
                         DropAccess drops) {
    public CoreAccess {
        Objects.requireNonNull(profiles, "profiles");
        Objects.requireNonNull(messengers, "messengers");
        Objects.requireNonNull(drops, "drops");
    }

    /** With the engine's drop lines (a source runs its own tor). */
    public CoreAccess(Profiles profiles, BiFunction<Profile, TorSettings, Messenger> messengers) {
        this(profiles, messengers, DropAccess.production());
    }

    /** The real engine. */
    public static CoreAccess production() {
        return new CoreAccess(Messengers.profiles(), Messengers::create);
    }
}
