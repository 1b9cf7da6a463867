package org.allium.core.api;

/** The profile's store failed (disk full, corrupt file, I/O error). Nothing was half-written. */
public class StorageException extends MessengerException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
