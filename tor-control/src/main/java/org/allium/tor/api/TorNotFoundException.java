package org.allium.tor.api;

import java.util.List;

/** No usable tor binary; the message says where we looked and how to install tor. */
public final class TorNotFoundException extends TorException {
    private static final long serialVersionUID = 1L;
    private final List<String> searched;

    public TorNotFoundException(String message, List<String> searched) {
        super(message);
        this.searched = List.copyOf(searched);
    }

    /** Every place looked at, in order. */
    public List<String> searched() {
        return searched;
    }
}
