package org.allium.core.api;

/** No contact, request or message with the given id exists in this profile. */
public final class UnknownContactException extends MessengerException {
    public UnknownContactException(String what) {
        super("No such " + what + ".");
    }
}
