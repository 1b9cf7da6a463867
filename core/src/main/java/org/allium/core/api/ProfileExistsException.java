package org.allium.core.api;

/** A profile already exists in the given directory; it was not touched. */
public final class ProfileExistsException extends ProfileException {
    public ProfileExistsException() {
        super("A profile already exists in that directory.");
    }
}
