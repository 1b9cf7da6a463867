package org.allium.contacts.api;

import java.nio.file.Path;
import java.util.Optional;
import org.allium.protocol.IdentityKeyPair;

/**
 * An open (unlocked) profile. Thread-safe: every store operation is one transaction,
 * serialized with the others; all of them block on disk I/O. After {@link #close()} or
 * {@link #wipe()} every operation throws {@link ProfileClosedException}.
 */
public interface Profile extends AutoCloseable {
    /** The profile directory. */
    Path directory();

    /** The identity key pair (its address is the user's public address). */
    IdentityKeyPair identity() throws StoreException;

    /** The user's own display name, if set. */
    Optional<String> nickname() throws StoreException;

    /** Sets (or with null clears) the user's own display name. */
    void setNickname(String nickname) throws StoreException;

    ContactStore contacts();

    MessageStore messages();

    SettingsStore settings();

    /** File transfers and their encrypted data. */
    FileStore files();

    /** The private groups (raw signed messages; the engine validates them). */
    GroupStore groups();

    /** The drop line's cases (empty unless the drop line was switched on). */
    DropStore drops();

    /** Registers a listener for events committed from now on. */
    void addListener(StoreListener listener);

    void removeListener(StoreListener listener);

    /**
     * Waits until every event of the transactions committed so far has been handed to the
     * listeners (they run on the profile's event executor, in order), at most {@code timeout}.
     * For an orderly stop: what was stored is also announced.
     *
     * @return false if the timeout passed first or the executor takes no more work
     */
    boolean awaitEventsDelivered(java.time.Duration timeout) throws InterruptedException;

    /**
     * Re-wraps the store key under a new passphrase (fresh salt, current default Argon2id
     * cost) and replaces the header atomically. The database itself is not rewritten.
     *
     * @throws WrongPassphraseException if {@code current} is not the passphrase
     */
    void changePassphrase(char[] current, char[] next) throws StoreException;

    /** Same as {@link #close()}: the profile is locked again until opened with the passphrase. */
    default void lock() throws StoreException {
        close();
    }

    /**
     * Closes the store (expunging DONT_KEEP conversations), releases the lock and forgets
     * the keys held in this object. Idempotent.
     */
    @Override
    void close() throws StoreException;

    /** Closes this profile, then panic-wipes its directory ({@link ProfileManager#wipe}). */
    void wipe() throws StoreException;

    boolean isOpen();

    /**
     * Writes an encrypted, authenticated backup of the whole profile to {@code file} (replaced
     * atomically when complete): one consistent state, taken while the profile stays in use.
     * It opens with the passphrase the profile has now. Carries every row of the store and the
     * profile's other files (file-transfer data under {@code files/}); leaves out only the store
     * files themselves, the lock, tor's data directory and work in progress. Returns the rows
     * written per table, and under {@code "files/"} the number of those other files.
     */
    java.util.Map<String, Integer> backup(Path file) throws StoreException;

    /**
     * After writes were refused for lack of disk space ({@link DiskFullException}), looks
     * again: once there is room the store is usable again (reopened first if the failure
     * closed it) and {@link StoreEvent.DiskSpaceChanged} with 0 is published. Cheap when all
     * is well. Blocks on the store. Returns the bytes still needed, 0 when writes work.
     */
    long checkDiskSpace();

    /**
     * Whether this profile was opened read-only ({@link ProfileManager#open} does so when its
     * file system is read-only or its files cannot be written): reading works, every change
     * throws {@link ReadOnlyProfileException}.
     */
    boolean isReadOnly();
}
