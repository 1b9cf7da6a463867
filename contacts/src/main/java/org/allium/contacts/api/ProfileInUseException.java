package org.allium.contacts.api;

/**
 * The profile is already open, in another process or in this one (its lock file is
 * held). Nothing was read or modified; close the other instance first.
 */
public final class ProfileInUseException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ProfileInUseException(String message) {
        super(message);
    }
}
