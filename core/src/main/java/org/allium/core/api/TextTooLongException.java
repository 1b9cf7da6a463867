package org.allium.core.api;

/** A message, request text or nickname is longer than its documented limit. */
public final class TextTooLongException extends MessengerException {
    private final int limit;

    public TextTooLongException(String what, int limit) {
        super("The " + what + " is too long (at most " + limit + " characters).");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
