package org.allium.core.api;

import java.nio.file.Path;

/**
 * An open, unlocked profile: the encrypted store of one identity, its contacts and
 * conversations. Obtained from {@link Profiles}; holds the profile's lock until closed.
 * Thread-safe. A {@link Messenger} uses the profile but does not own it: stop the messenger
 * first, then close the profile.
 */
public interface Profile extends AutoCloseable {

    /** The profile directory. Non-blocking. */
    Path directory();

    /** Our identity (address, fingerprint, nickname). Non-blocking. */
    Identity identity();

    /** The persisted tor settings ({@link TorSettings#ownTor()} if never set). Blocks on store I/O. */
    TorSettings torSettings() throws StorageException;

    /** Persists tor settings; takes effect at the next {@link Messenger} start. Blocks on store I/O. */
    void setTorSettings(TorSettings settings) throws StorageException;

    /** Sets the nickname offered in future contact requests ({@code null} for none). Blocks on store I/O. */
    void setNickname(String nickname) throws MessengerException;

    /** Whether {@link #close()} has been called. Non-blocking. */
    boolean isOpen();

    /**
     * Whether the profile was opened read-only because it cannot be written (read-only media,
     * no permission): reading works, changes throw {@link ProfileReadOnlyException}, and it
     * cannot go online.
     */
    default boolean readOnly() {
        return false;
    }

    /**
     * Closes the store and releases the lock; idempotent. Blocks until the store is flushed.
     * Undefined while a {@link Messenger} on this profile is still running.
     */
    @Override
    void close();

    /**
     * Writes an encrypted backup of the whole profile to {@code file} (replaced atomically when
     * complete): one consistent state, taken while the profile stays in use. It opens with the
     * current passphrase. Returns the rows written per table. Blocks on disk I/O.
     */
    default java.util.Map<String, Integer> backup(Path file) throws MessengerException {
        throw new StorageException("backup is not available here", null);
    }
}
