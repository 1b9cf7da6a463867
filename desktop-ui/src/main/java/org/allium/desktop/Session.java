package org.allium.desktop;

import java.util.Objects;
import org.allium.core.api.Messenger;
import org.allium.core.api.Profile;

/** An unlocked profile and its messenger, while the main window is in use. Immutable. */
record Session(Profile profile, Messenger messenger) {
    Session {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(messenger, "messenger");
    }
}
