package org.allium.core.api;

/**
 * The profile was opened read-only (read-only media, or no permission to write its files)
 * and a change was asked for: nothing was changed; reading works. The message says what to do.
 */
public final class ProfileReadOnlyException extends StorageException {
    private static final long serialVersionUID = 1L;

    public ProfileReadOnlyException(String message, Throwable cause) {
        super(message, cause);
    }
}
