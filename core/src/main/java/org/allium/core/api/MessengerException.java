package org.allium.core.api;

/**
 * The one checked exception of the core API. Subclasses name the cases a front end
 * handles differently; the message is a sentence fit for the user and never contains an
 * address, nickname or message text.
 */
public class MessengerException extends Exception {
    public MessengerException(String message) {
        super(message);
    }

    public MessengerException(String message, Throwable cause) {
        super(message, cause);
    }
}
