package org.allium.core.api;



/** A drop-line operation failed; the message is for people (it names no source or text). */
public class DropLineException extends MessengerException {
    private static final long serialVersionUID = 1L;

    public DropLineException(String message) {
        super(message);
    }

    public DropLineException(String message, Throwable cause) {
        super(message, cause);
    }
}
