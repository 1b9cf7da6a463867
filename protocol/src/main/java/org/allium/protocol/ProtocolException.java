package org.allium.protocol;

import java.io.IOException;
import java.util.Objects;
import org.allium.protocol.proto.CloseCode;

/**
 * The one checked exception of the protocol layer: the connection cannot go on. Carries
 * the {@link CloseCode} to send (or that the peer sent, see {@link PeerClosedException}).
 * Messages are safe to log: they never contain addresses, keys or message text.
 */
public class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;
    private final CloseCode code;

    public ProtocolException(CloseCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code);
    }

    public ProtocolException(CloseCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code);
    }

    /** Why the connection ends; what a {@code Close} frame should carry. */
    public CloseCode code() {
        return code;
    }
}
