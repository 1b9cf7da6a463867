package org.allium.desktop.dropline;

import org.allium.core.Messengers;
import org.allium.core.api.Messenger;
import org.allium.core.api.Subscription;
import org.allium.core.api.TorSettings;
import org.allium.core.api.DropLine;

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

    /** What happens on a drop line, for the inbox. Called on any thread; must not block. */
    interface Watcher {
        /** A source's new submission was stored in case {@code caseId}. */
        void submitted(long caseId);

        /** A case changed (reply, note, state, assignment, deletion). */
        void changed(long caseId);
    }

    /** Calls {@code w} for what happens on {@code line} from now on, until the subscription is closed. */
    Subscription watch(DropLine line, Watcher w);

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

            @Override
            public Subscription watch(DropLine line, Watcher w) {
                return line.subscribe(e -> {
                    switch (e.kind()) {
                        case SUBMITTED -> w.submitted(e.caseId());
                        case CHANGED, ATTACHMENT -> w.changed(e.caseId());
                        default -> {
                        }
                    }
                });
            }
        };
    }
}
