package org.allium.cli;

import org.allium.core.Messengers;
import org.allium.core.api.Messenger;
import org.allium.core.api.Profile;
import org.allium.core.api.Profiles;
import org.allium.core.api.TorSettings;

/**
 * Where the command line gets the core API from: the real engine in the product, a fake in
 * unit tests of the command line itself.
 */
interface Engine {

    Profiles profiles();

    Messenger create(Profile profile, TorSettings tor);

    /** The real engine ({@link Messengers}), looked up lazily. */
    static Engine real() {
        return new Engine() {
            @Override
            public Profiles profiles() {
                return Messengers.profiles();
            }

            @Override
            public Messenger create(Profile profile, TorSettings tor) {
                return Messengers.create(profile, tor);
            }
        };
    }
}
