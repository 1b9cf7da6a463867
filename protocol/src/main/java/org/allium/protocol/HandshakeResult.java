package org.allium.protocol;

import org.allium.protocol.proto.Purpose;

/**
 * What a completed handshake established: both identities proved possession of their
 * keys over the same transcript.
 *
 * @param version the negotiated protocol version
 * @param purpose what the connection is for
 * @param client the client's identity (proved by its signature)
 * @param server the server's identity (proved by its signature)
 * @param dialled the onion the client dialled (authenticated by tor to the client; checked
 *     by the server to be one it serves)
 * @param transcriptHash H of PROTOCOL.md §6.3 (a copy per call); unique per connection,
 *     used by the duplicate-connection tie-break
 * @param weAreClient whether this side dialled
 */
public record HandshakeResult(int version, Purpose purpose, OnionAddress client, OnionAddress server,
        OnionAddress dialled, byte[] transcriptHash, boolean weAreClient) {
    public HandshakeResult {
        transcriptHash = transcriptHash.clone();
    }

    @Override
    public byte[] transcriptHash() {
        return transcriptHash.clone();
    }

    /** The other side's identity. */
    public OnionAddress peer() {
        return weAreClient ? server : client;
    }

    @Override
    public String toString() {
        return "HandshakeResult[v" + version + ", " + purpose + ", peer " + peer() + (weAreClient ? ", client]" : ", server]");
    }
}
