package org.allium.core.api;

/**
 * The disk holding the profile is full: the change was not made, nothing stored was lost,
 * reading still works. Writes resume by themselves once there is room
 * ({@link MessengerEvent.DiskSpaceRestored}). The message reads "disk full: N MB needed …".
 */
public final class DiskFullException extends StorageException {
    private static final long serialVersionUID = 1L;

    private final long bytesNeeded;

    public DiskFullException(String message, long bytesNeeded, Throwable cause) {
        super(message, cause);
        this.bytesNeeded = bytesNeeded;
    }

    /** How many more bytes must be free before writes resume (at least 1). */
    public long bytesNeeded() {
        return bytesNeeded;
    }

    /** {@code bytes} in whole megabytes (10^6), rounded up, at least 1: the N of "N MB needed". */
    public static long megabytes(long bytes) {
        return Math.max(1, (bytes + 999_999) / 1_000_000);
    }
}
