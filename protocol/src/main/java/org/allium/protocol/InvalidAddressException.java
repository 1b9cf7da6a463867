package org.allium.protocol;

/**
 * An onion address or {@code allium:} link that is not well formed. The message says
 * what is wrong and is safe to show a user; it never repeats the rejected text, so it
 * is also safe to log.
 */
public final class InvalidAddressException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidAddressException(String message) {
        super(message);
    }
}
