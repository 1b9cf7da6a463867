package org.allium.core.api;

/**
 * A file of the profile is damaged or does not belong to the others; the open was refused
 * and nothing was changed. The message names the file, what is wrong and what to do
 * ({@link Profiles#repair} or a backup).
 */
public final class ProfileDamagedException extends ProfileException {
    private final String file;

    public ProfileDamagedException(String file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The damaged file's name within the profile directory (or the backup file's name). */
    public String file() {
        return file;
    }
}
