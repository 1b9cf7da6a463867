package org.allium.core.groups;

import java.io.IOException;
import org.allium.contacts.api.ContactId;
import org.allium.protocol.OnionAddress;
import org.allium.protocol.proto.Envelope;

/**
 * The hook's view of one authenticated contact session, given by the connection manager.
 * Work submitted runs on the session's writer, in order, after what is already queued.
 */
public interface PeerLink {
    ContactId contact();

    OnionAddress peer();

    /**
     * This session's place among the contact's sessions: one that became the contact's active
     * session later has a higher number. Hooks can be told of two sessions out of that order (two
     * dialled at once come up on two threads), so an older session's late {@code up} must not
     * displace the newer one. 0 where there is no order.
     */
    default long order() {
        return 0;
    }

    /** Queues {@code task} on the session's writer; false if the session is gone or overloaded. */
    boolean submit(WriterTask task);

    /** Runs on the session's writer thread; its sends go straight to the socket, in order. */
    @FunctionalInterface
    interface WriterTask {
        void run(Sender out) throws IOException;
    }

    @FunctionalInterface
    interface Sender {
        void send(Envelope e) throws IOException;
    }
}
