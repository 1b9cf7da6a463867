package org.allium.protocol;

import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.Envelope;

/** Checks shared by both handshake sides. */
final class Handshakes {
    private Handshakes() {
    }

    static void rejectClose(Envelope m) throws PeerClosedException {
        if (m.getBodyCase() == Envelope.BodyCase.CLOSE) {
            throw new PeerClosedException(m.getClose().getCode(), m.getClose().getText());
        }
    }

    static void expect(Envelope m, Envelope.BodyCase expected) throws ProtocolException {
        if (m.getBodyCase() != expected) {
            throw new ProtocolException(CloseCode.UNEXPECTED_MESSAGE,
                    "expected " + expected + ", got " + (Envelopes.isUnknownType(m) ? "an unknown message" : m.getBodyCase()));
        }
    }
}
