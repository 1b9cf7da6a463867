package org.allium.core;

import org.allium.contacts.api.StoreException;
import org.allium.core.dropline.OperatorSync;
import org.allium.core.groups.PeerLink;
import org.allium.core.groups.SessionHook;
import org.allium.protocol.proto.Envelope;

/**
 * The session hooks of a messenger as one: every contact session is told to each, and a
 * hook message ({@link Frame.Group}) goes to the one that takes its type — private groups
 * (PROTOCOL.md §12) or the drop line's operator sync (§13.4).
 */
final class SessionHooks implements SessionHook {
    private final SessionHook groups;
    private final OperatorSync drop;

    SessionHooks(SessionHook groups, OperatorSync drop) {
        this.groups = groups;
        this.drop = drop;
    }

    @Override
    public void up(PeerLink link) {
        groups.up(link);
        drop.up(link);
    }

    @Override
    public void down(PeerLink link) {
        groups.down(link);
        drop.down(link);
    }

    @Override
    public boolean receive(PeerLink link, Envelope e, boolean moreBuffered) throws StoreException {
        if (OperatorSync.handles(e)) {
            return drop.receive(link, e, moreBuffered);
        }
        return groups.receive(link, e, moreBuffered);
    }
}
