package org.allium.protocol;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The duplicate-connection tie-break (PROTOCOL.md §7.4). When two authenticated
 * CONTACT_SESSION connections exist between the same two identities (both dialled at
 * once, or a redial while the old connection still looked alive), both sides keep the
 * same one without talking about it:
 * <ol>
 * <li>prefer the connection whose client has the smaller identity key (the 32 public-key
 *     bytes compared as unsigned big-endian numbers);</li>
 * <li>if both have the same client, prefer the smaller transcript hash.</li>
 * </ol>
 * The other is closed with {@code DUPLICATE_CONNECTION}; unacked messages sent on it are
 * resent on the survivor (receivers de-duplicate by id). Stateless.
 */
public final class DuplicateConnections {
    private DuplicateConnections() {
    }

    /** Orders connections so that the first is the one to keep. */
    public static final Comparator<HandshakeResult> PREFERENCE = (a, b) -> {
        int byClient = Arrays.compareUnsigned(a.client().publicKey(), b.client().publicKey());
        return byClient != 0 ? byClient : Arrays.compareUnsigned(a.transcriptHash(), b.transcriptHash());
    };

    /**
     * Which of two connections between the same pair of identities to keep.
     *
     * @throws IllegalArgumentException if they are not between the same two identities
     */
    public static HandshakeResult keep(HandshakeResult a, HandshakeResult b) {
        boolean samePair = (a.client().equals(b.client()) && a.server().equals(b.server()))
                || (a.client().equals(b.server()) && a.server().equals(b.client()));
        if (!samePair) {
            throw new IllegalArgumentException("not connections between the same two identities");
        }
        return PREFERENCE.compare(a, b) <= 0 ? a : b;
    }
}
