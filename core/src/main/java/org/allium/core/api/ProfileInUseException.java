package org.allium.core.api;

/** Another process (or another open {@link Profile}) holds the profile. */
public final class ProfileInUseException extends ProfileException {
    public ProfileInUseException() {
        super("The profile is already open in another Allium.");
    }
}
