package org.allium.core;

import java.util.Objects;
import org.allium.core.api.Messenger;
import org.allium.core.api.Profile;
import org.allium.core.api.Profiles;
import org.allium.core.api.TorSettings;

/**
 * Entry point of the engine: the one place front ends obtain implementations from.
 * Stateless and thread-safe.
 */
public final class Messengers {
    private Messengers() {
    }

    /** The profile manager over the encrypted store on disk. */
    public static Profiles profiles() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * A new messenger for an open profile, in state NEW. Non-blocking.
     *
     * @param profile an open profile from {@link #profiles()}
     * @param tor how to reach tor (usually {@code profile.torSettings()})
     */
    public static Messenger create(Profile profile, TorSettings tor) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(tor, "tor");
        throw new UnsupportedOperationException("not implemented yet");
    }
}
