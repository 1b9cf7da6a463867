package org.allium.contacts.api;

/** There is no profile in the given directory. */
public final class NoSuchProfileException extends StoreException {
    private static final long serialVersionUID = 1L;

    public NoSuchProfileException(String message) {
        super(message);
    }
}
