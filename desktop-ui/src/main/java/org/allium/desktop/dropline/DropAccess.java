package org.allium.desktop.dropline;

import org.allium.core.Messengers;
import org.allium.core.api.Messenger;
import org.allium.core.api.TorSettings;
import org.allium.core.dropline.DropLine;

/**
 * How the desktop app reaches drop lines (PROTOCOL.md §13): a source's side, which needs no
 * profile, and the operators' drop line of an open profile. Production uses the engine
 * ({@link #production}); UI tests pass an in-memory fake. Thread-safe.
 */
public interface DropAccess {
    /** A new source session; nothing starts (no tor, no key) until it is first used. */
    SourceClient newSource();

    /** The drop line of {@code messenger} (the one the app created for the open profile). */
    DropLine dropLine(Messenger messenger);

    /** The engine's drop line; a source runs its own throw-away tor. */
    static DropAccess production() {
        return production(TorSettings.ownTor());
    }

    /** @param sourceTor how a source reaches tor (own tor in a temporary directory, or an existing one) */
    static DropAccess production(TorSettings sourceTor) {
        return new DropAccess() {
            @Override
            public SourceClient newSource() {
                return new TorSourceClient(sourceTor);
            }

            @Override
            public DropLine dropLine(Messenger messenger) {
                return Messengers.dropLine(messenger);
            }
        };
    }
}
