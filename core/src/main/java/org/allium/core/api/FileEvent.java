package org.allium.core.api;

import java.util.Objects;

/**
 * A file transfer appeared or changed. Delivered in order on one core thread, like
 * {@link MessengerEvent}s; PROGRESS at most 4 times a second per transfer.
 */
public record FileEvent(Kind kind, FileTransfer transfer) {
    public FileEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(transfer, "transfer");
    }

    public enum Kind {
        /** A new transfer: our offer was stored, or a contact's offer arrived. */
        OFFERED,
        /** Its state changed (accepted, paused, completed, failed, ...). */
        CHANGED,
        /** More bytes verified / confirmed. */
        PROGRESS
    }
}
