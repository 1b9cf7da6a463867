package org.allium.contacts.api;

/** The profile was closed (locked) or wiped; open it again to use it. */
public final class ProfileClosedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ProfileClosedException() {
        super("the profile is closed");
    }
}
