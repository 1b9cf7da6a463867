package org.allium.protocol;

import org.allium.protocol.proto.CloseCode;

/**
 * The peer ended the connection with a {@code Close} frame. {@link #code()} is its code;
 * {@link #peerText()} its diagnostic text (untrusted: do not show raw, do not log raw).
 */
public final class PeerClosedException extends ProtocolException {
    private static final long serialVersionUID = 1L;
    private final String peerText;

    public PeerClosedException(CloseCode code, String peerText) {
        super(code, "peer closed the connection: " + code);
        this.peerText = peerText;
    }

    /** The free text of the peer's Close, possibly empty. */
    public String peerText() {
        return peerText;
    }
}
