package org.allium.core.groups;

import org.allium.contacts.api.StoreException;
import org.allium.protocol.proto.Envelope;

/**
 * How the connection manager plugs group sync into a contact session: three calls, nothing
 * else. {@link #up} and {@link #down} never block; {@link #receive} runs on the session's
 * reader thread and may block on the store.
 */
public interface SessionHook {
    /** A session with a contact came up (also after a duplicate was replaced). */
    void up(PeerLink link);

    /** That session ended. */
    void down(PeerLink link);

    /**
     * A group Envelope arrived on {@code link}.
     *
     * @param moreBuffered another hook frame follows, already read (messages can be stored
     *     together); false on the last of the hook frames that arrived together — whatever the
     *     hook kept back must be handled now, as the next frame may be long in coming or not a
     *     hook frame at all
     * @return false to close the session (the peer misbehaves)
     */
    boolean receive(PeerLink link, Envelope e, boolean moreBuffered) throws StoreException;

    /** Whether {@code e} is one of the messages this hook takes. */
    static boolean isGroup(Envelope e) {
        return switch (e.getBodyCase()) {
            case GROUP_INVITATION, GROUP_MESSAGE, GROUP_SUMMARY -> true;
            default -> false;
        };
    }
}
