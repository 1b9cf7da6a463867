package org.allium.core.api;

/** Where a contact stands. */
public enum ContactState {
    /** We sent a request; the other side has not accepted (or we have not learned it yet). */
    OUTGOING_REQUEST,
    /** They sent us a request that we have neither accepted nor rejected. */
    INCOMING_REQUEST,
    /** Both sides agreed; messages flow over the private endpoints. */
    ACCEPTED,
    /** Blocked: requests and connections from this address are dropped silently. */
    BLOCKED
}
