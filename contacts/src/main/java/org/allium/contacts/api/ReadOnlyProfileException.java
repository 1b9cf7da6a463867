package org.allium.contacts.api;

/**
 * The profile was opened read-only — it lies on read-only media, or this user may not write
 * its directory or files — and a change was asked for. Nothing was changed; reading works.
 */
public final class ReadOnlyProfileException extends StoreException {
    private static final long serialVersionUID = 1L;

    public static final String MESSAGE = "the profile is read-only (read-only media, or no permission to write its"
            + " files): reading works, changes are refused; copy the profile directory to a writable place, or make"
            + " it writable, to change it";

    public ReadOnlyProfileException() {
        super(MESSAGE);
    }
}
