package org.allium.protocol;

import org.allium.protocol.proto.Envelope;

/**
 * A pure handshake state machine (no I/O, no clock): the driver feeds it the peer's
 * Envelopes and sends what it returns. Not thread-safe; one connection, one instance,
 * used once. See {@link ClientHandshake}, {@link ServerHandshake}, {@link HandshakeDriver}.
 */
public interface Handshake {
    /** The first Envelope to send, or {@code null} if this side speaks second. Call once, first. */
    Envelope start();

    /**
     * Processes the peer's next Envelope.
     *
     * @return the Envelope to send in reply, or {@code null} if nothing is to be sent
     * @throws PeerClosedException if the peer sent Close
     * @throws ProtocolException if the handshake must fail; send {@code Close(e.code())}
     *     and close the connection. The machine is then failed.
     */
    Envelope onMessage(Envelope message) throws ProtocolException;

    /** Whether the handshake completed successfully. */
    boolean isComplete();

    /**
     * The outcome.
     *
     * @throws IllegalStateException if not complete
     */
    HandshakeResult result();
}
