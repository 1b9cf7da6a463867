package org.allium.core.api;

/** The passphrase does not open the profile. Nothing was modified. */
public final class WrongPassphraseException extends ProfileException {
    public WrongPassphraseException() {
        super("Wrong passphrase.");
    }
}
