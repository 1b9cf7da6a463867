package org.allium.core.api;

import java.nio.file.Path;

/**
 * Creates, opens and manages profiles on disk. Thread-safe; every method blocks on disk I/O
 * and on the passphrase key derivation (Argon2id, about a second by design), so never call
 * it on a UI event thread. Passphrase arrays are read, never kept; the caller may wipe them
 * on return.
 */
public interface Profiles {

    /** The default profile directory (the XDG data dir, {@code $XDG_DATA_HOME/allium}). Non-blocking. */
    Path defaultDirectory();

    /** Whether {@code dir} holds a profile. */
    boolean exists(Path dir);

    /**
     * Creates a profile with a fresh identity in {@code dir} (created if missing; must be
     * empty of any profile) and returns it open.
     *
     * @param nickname the nickname to offer in contact requests, or {@code null}
     * @throws ProfileExistsException if a profile is already there
     */
    Profile create(Path dir, char[] passphrase, String nickname) throws ProfileException;

    /**
     * Opens the profile in {@code dir}.
     *
     * @throws WrongPassphraseException wrong passphrase; nothing modified
     * @throws ProfileInUseException another process or open {@link Profile} holds it
     * @throws ProfileNotFoundException no profile there
     */
    Profile open(Path dir, char[] passphrase) throws ProfileException;

    /** Re-encrypts the closed profile in {@code dir} under a new passphrase, atomically. */
    void changePassphrase(Path dir, char[] oldPassphrase, char[] newPassphrase) throws ProfileException;

    /** Deletes the closed profile in {@code dir} (overwriting its files first). */
    void wipe(Path dir) throws ProfileException;

    /**
     * Salvages what is readable of a damaged, closed profile into a new store in the same
     * directory; the damaged originals are kept in a {@code damaged-<time>} directory. A
     * profile with nothing damaged is left as it is. Blocks on disk I/O.
     *
     * @throws ProfileDamagedException if even the header is damaged (restore a backup)
     */
    default org.allium.contacts.api.RepairReport repair(Path dir, char[] passphrase) throws ProfileException {
        throw new ProfileException("repair is not available here");
    }

    /**
     * Restores a backup ({@link Profile#backup}) into {@code dir} (new or empty), checking all
     * of it first. Returns the rows restored per table ({@code messages}, {@code contacts}, …).
     *
     * @throws ProfileDamagedException if the backup is damaged or cut short (nothing is created)
     */
    default java.util.Map<String, Integer> restore(Path backup, Path dir, char[] passphrase)
            throws ProfileException {
        throw new ProfileException("restore is not available here");
    }
}
