package org.allium.contacts.api;

/**
 * The one checked exception of the contacts layer: a profile or its store could not do
 * what was asked. Messages never contain a passphrase, key, address, nickname or message
 * text, so they may be logged and shown. Subclasses say what went wrong when the caller
 * can act on it.
 */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
