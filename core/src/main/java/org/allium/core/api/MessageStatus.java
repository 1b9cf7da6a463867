package org.allium.core.api;

/**
 * Delivery state of an outgoing message. Incoming messages are always {@link #DELIVERED}.
 * Transitions: QUEUED → SENT → DELIVERED; QUEUED/SENT → FAILED (contact removed or blocked);
 * FAILED → QUEUED by {@link Messenger#retry(MessageId)}.
 */
public enum MessageStatus {
    /** Stored durably, waiting for a connection to the contact. */
    QUEUED,
    /** Written to a live connection; no acknowledgement yet (will be resent if none comes). */
    SENT,
    /** The contact acknowledged it after committing it to their store. */
    DELIVERED,
    /** Will not be sent unless retried. */
    FAILED
}
