package org.allium.contacts.api;

/**
 * The disk holding the profile has too little free space for a write: nothing was written
 * and nothing already stored is lost. Reading still works. Writes work again by themselves
 * once there is room ({@link Profile#checkDiskSpace}); no restart is needed.
 */
public final class DiskFullException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final long bytesNeeded;

    public DiskFullException(long bytesNeeded) {
        super(message(bytesNeeded));
        this.bytesNeeded = bytesNeeded;
    }

    /** How many more bytes must be free on the profile's disk before writes resume (at least 1). */
    public long bytesNeeded() {
        return bytesNeeded;
    }

    /** "disk full: N MB needed …", N rounded up to whole megabytes. */
    public static String message(long bytesNeeded) {
        return "disk full: " + megabytes(bytesNeeded) + " MB needed on the profile's disk;"
                + " nothing stored was lost, and Allium goes on by itself once there is room";
    }

    /** {@code bytes} in whole megabytes (10^6), rounded up, at least 1. */
    public static long megabytes(long bytes) {
        return Math.max(1, (bytes + 999_999) / 1_000_000);
    }
}
