package org.allium.contacts.api;

/**
 * Where a contact stands. Allowed transitions ({@link #canBecome}):
 * <pre>
 *   (none) ──addOutgoingRequest──▶ OUTGOING_REQUEST ──accept / their request──▶ ACCEPTED
 *   (none) ──recordIncomingRequest▶ INCOMING_REQUEST ──accept──▶ ACCEPTED
 *   OUTGOING_REQUEST, INCOMING_REQUEST, ACCEPTED ──block──▶ BLOCKED
 *   any ──remove──▶ REMOVED (terminal: the row, its keys and history are deleted)
 * </pre>
 * A blocked contact is unblocked by {@code unblock(address)}, which forgets it (REMOVED);
 * it can then ask again like a stranger.
 */
public enum ContactState {
    /** We asked them; they have not answered yet. */
    OUTGOING_REQUEST,
    /** They asked us; we have not answered yet. */
    INCOMING_REQUEST,
    /** Both sides agreed; messages flow. */
    ACCEPTED,
    /** Their future requests and messages are dropped without a trace of content. */
    BLOCKED,
    /** Deleted with its history and keys; only ever seen in events. */
    REMOVED;

    /** Whether a contact in this state may move to {@code next}. */
    public boolean canBecome(ContactState next) {
        return switch (this) {
            case OUTGOING_REQUEST, INCOMING_REQUEST -> next == ACCEPTED || next == BLOCKED || next == REMOVED;
            case ACCEPTED -> next == BLOCKED || next == REMOVED;
            case BLOCKED -> next == REMOVED;
            case REMOVED -> false;
        };
    }
}
