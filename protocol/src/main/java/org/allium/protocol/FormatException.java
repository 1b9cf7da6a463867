package org.allium.protocol;

import org.allium.protocol.proto.CloseCode;

/**
 * Malformed input from the peer: a bad length prefix, a frame above the cap, a
 * truncated frame, bytes that are not an {@code Envelope}, or a field outside its
 * limits. Code {@link CloseCode#FRAME_TOO_LARGE} or {@link CloseCode#PROTOCOL_ERROR}.
 */
public class FormatException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public FormatException(String message) {
        super(CloseCode.PROTOCOL_ERROR, message);
    }

    public FormatException(CloseCode code, String message) {
        super(code, message);
    }

    public FormatException(String message, Throwable cause) {
        super(CloseCode.PROTOCOL_ERROR, message, cause);
    }
}
