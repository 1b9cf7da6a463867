package org.allium.contacts.api;

/** The passphrase does not unlock the profile. No file of the profile was modified. */
public final class WrongPassphraseException extends StoreException {
    private static final long serialVersionUID = 1L;

    public WrongPassphraseException() {
        super("wrong passphrase for this profile");
    }
}
