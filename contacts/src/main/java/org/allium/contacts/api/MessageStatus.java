package org.allium.contacts.api;

/**
 * Delivery status. Outgoing: QUEUED ─markSent─▶ SENT ─markDelivered─▶ DELIVERED; QUEUED or
 * SENT ─markDelivered─▶ DELIVERED (an ack may overtake markSent); QUEUED or SENT
 * ─markFailed─▶ FAILED ─retry─▶ QUEUED. Incoming messages are stored as DELIVERED.
 */
public enum MessageStatus {
    QUEUED,
    SENT,
    DELIVERED,
    FAILED;

    /** Whether an outgoing message in this status may move to {@code next}. */
    public boolean canBecome(MessageStatus next) {
        return switch (this) {
            case QUEUED -> next == SENT || next == DELIVERED || next == FAILED;
            case SENT -> next == DELIVERED || next == FAILED;
            case FAILED -> next == QUEUED;
            case DELIVERED -> false;
        };
    }

    /** Not yet acknowledged by the recipient and not given up: the engine must (re)send it. */
    public boolean isPending() {
        return this == QUEUED || this == SENT;
    }
}
