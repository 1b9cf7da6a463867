package org.allium.tor.api;

import java.io.IOException;

/** The one checked exception of the tor-control layer; subclasses say what went wrong. */
public class TorException extends IOException {
    private static final long serialVersionUID = 1L;

    public TorException(String message) {
        super(message);
    }

    public TorException(String message, Throwable cause) {
        super(message, cause);
    }
}
