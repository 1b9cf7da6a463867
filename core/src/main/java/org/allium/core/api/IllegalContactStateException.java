package org.allium.core.api;

/** The operation does not fit the contact's state (e.g. accepting an outgoing request, messaging a blocked contact). */
public final class IllegalContactStateException extends MessengerException {
    public IllegalContactStateException(String message) {
        super(message);
    }
}
