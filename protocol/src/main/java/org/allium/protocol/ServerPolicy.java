package org.allium.protocol;

import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.Purpose;

/**
 * The application's decisions during a server handshake. Called on the handshake's
 * thread; must not block for long. Each check throws {@link ProtocolException} with
 * the close code to send to refuse.
 */
public interface ServerPolicy {
    /**
     * Before authentication: is {@code dialled} an onion this listener serves? Refuse with
     * {@link CloseCode#WRONG_ONION}. Called with the onion the client says it dialled.
     */
    boolean servesOnion(OnionAddress dialled);

    /**
     * Before authentication (reveals nothing about contacts): is {@code purpose} accepted on
     * {@code dialled} now? E.g. contact requests only on the identity onion and only while
     * accepting them ({@link CloseCode#PURPOSE_NOT_ACCEPTED}), rate limits
     * ({@link CloseCode#RATE_LIMITED}).
     */
    default void checkPurpose(Purpose purpose, OnionAddress dialled) throws ProtocolException {
    }

    /**
     * After the client proved its identity: may it use this connection? E.g. a contact
     * session only from the contact the endpoint was made for ({@link CloseCode#NOT_AUTHORIZED}).
     */
    default void authorize(Purpose purpose, OnionAddress client, OnionAddress dialled) throws ProtocolException {
    }
}
