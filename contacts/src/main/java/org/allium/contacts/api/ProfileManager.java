package org.allium.contacts.api;

import java.nio.file.Path;

/**
 * Creates, opens and destroys profiles. A profile is one directory (see
 * {@link ProfileLocations} for the default place) holding an encrypted store.
 *
 * <p>Thread-safe. Every method blocks on disk I/O and, for create/open/changePassphrase,
 * on Argon2id (about a second with {@link KdfParams#DEFAULT}); never call it on a UI thread.
 * Passphrase arrays are read, not modified; the caller should wipe them afterwards.
 */
public interface ProfileManager {
    /**
     * Creates a profile with a fresh identity in {@code directory}, which must not exist
     * or be empty, using {@link KdfParams#DEFAULT}.
     *
     * @param nickname the user's own display name, or null
     * @return the open profile
     * @throws ProfileExistsException if the directory is not empty
     */
    Profile create(Path directory, char[] passphrase, String nickname) throws StoreException;

    /** As {@link #create(Path, char[], String)} with explicit Argon2id parameters. */
    Profile create(Path directory, char[] passphrase, String nickname, KdfParams kdf) throws StoreException;

    /**
     * Opens a profile. The passphrase is checked against the header before the database is
     * touched: on a wrong passphrase every file stays byte-for-byte unchanged.
     *
     * @throws WrongPassphraseException if the passphrase does not unlock it
     * @throws ProfileInUseException    if it is open in this or another process
     * @throws NoSuchProfileException   if the directory holds no profile
     */
    Profile open(Path directory, char[] passphrase) throws StoreException;

    /**
     * Changes the passphrase of a closed profile ({@link Profile#changePassphrase} for an open
     * one): the store key is re-wrapped under the new passphrase and the header replaced
     * atomically; the database is not rewritten.
     *
     * @throws WrongPassphraseException if {@code current} is wrong (nothing modified)
     * @throws ProfileInUseException    if the profile is open
     */
    void changePassphrase(Path directory, char[] current, char[] next) throws StoreException;

    /** Whether {@code directory} holds a profile (its header exists). Does not open it. */
    boolean exists(Path directory);

    /**
     * Panic wipe: overwrites every file of the profile with random bytes, syncs, deletes
     * it, then deletes the directory. The key header goes first: once it is gone the rest
     * cannot be decrypted even if copies of it survive. Best effort — see the README for
     * what overwriting cannot reach (SSD remapping, snapshots, backups). Works on a profile
     * held by another process; close a profile of this process with {@link Profile#wipe()}.
     */
    void wipe(Path directory) throws StoreException;

    /**
     * Salvages what is readable of a damaged profile into a new store in the same directory:
     * every row that can be read and passes its integrity check, then every intact change of
     * the commit log that the store lacks. The damaged originals are moved into a
     * {@code damaged-<time>} directory beside the new files, never deleted. A profile with
     * nothing damaged is left as it is. The profile must be closed.
     *
     * @throws DamagedProfileException if the header is damaged (nothing can be decrypted: restore a backup)
     * @throws WrongPassphraseException if the passphrase does not unlock it
     */
    RepairReport repair(Path directory, char[] passphrase) throws StoreException;

    /**
     * Restores a backup made by {@link Profile#backup} into {@code directory} (new or empty),
     * after checking all of it; it opens with the passphrase the profile had when the backup
     * was made. Returns the rows restored per table, and under {@code "files/"} the number of
     * the profile's other files restored (file-transfer data; none from a backup made before
     * backups carried them).
     *
     * @throws WrongPassphraseException if the passphrase does not unlock the backup
     * @throws DamagedProfileException  if the backup file is damaged or cut short (nothing is created)
     */
    java.util.Map<String, Integer> restore(Path backup, Path directory, char[] passphrase) throws StoreException;
}
