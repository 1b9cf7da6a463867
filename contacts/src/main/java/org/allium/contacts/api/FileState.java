package org.allium.contacts.api;

/**
 * Where a file transfer stands, for either direction. Terminal states: COMPLETE, DECLINED,
 * CANCELLED, FAILED.
 */
public enum FileState {
    /** Offered; waiting for the receiver's user (incoming) or answer (outgoing). */
    OFFERED,
    /** Accepted: data flows whenever the two are connected. */
    ACTIVE,
    /** Accepted, but held by the user (or by a full disk) until resumed. */
    PAUSED,
    /** Every chunk and the whole-file hash verified (incoming), or confirmed by the receiver (outgoing). */
    COMPLETE,
    /** The receiver said no. */
    DECLINED,
    /** Either user cancelled. */
    CANCELLED,
    /** Ended by an error; the reason says which. */
    FAILED;

    public boolean isFinal() {
        return this == COMPLETE || this == DECLINED || this == CANCELLED || this == FAILED;
    }
}
