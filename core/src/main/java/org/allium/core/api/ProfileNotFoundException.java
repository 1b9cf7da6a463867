package org.allium.core.api;

/** There is no profile in the given directory. */
public final class ProfileNotFoundException extends ProfileException {
    public ProfileNotFoundException() {
        super("There is no profile in that directory.");
    }
}
