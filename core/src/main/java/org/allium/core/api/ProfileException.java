package org.allium.core.api;

/** A profile could not be created, opened or changed; subclasses name the usual cases. */
public class ProfileException extends MessengerException {
    public ProfileException(String message) {
        super(message);
    }

    public ProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
