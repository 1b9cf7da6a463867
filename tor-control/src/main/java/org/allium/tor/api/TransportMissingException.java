package org.allium.tor.api;

import java.util.List;

/** A bridge line needs a pluggable transport whose binary is not installed. */
public final class TransportMissingException extends TorException {
    private static final long serialVersionUID = 1L;
    private final String transport;
    private final List<String> searched;

    public TransportMissingException(String transport, String message, List<String> searched) {
        super(message);
        this.transport = transport;
        this.searched = List.copyOf(searched);
    }

    /** The transport name from the bridge line, e.g. {@code obfs4}. */
    public String transport() {
        return transport;
    }

    public List<String> searched() {
        return searched;
    }
}
