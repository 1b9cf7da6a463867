package org.allium.contacts.api;

/** A profile cannot be created in a directory that is not empty. */
public final class ProfileExistsException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ProfileExistsException(String message) {
        super(message);
    }
}
