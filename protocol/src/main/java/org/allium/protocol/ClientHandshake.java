package org.allium.protocol;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import org.allium.protocol.proto.Auth;
import org.allium.protocol.proto.Challenge;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.Hello;
import org.allium.protocol.proto.Purpose;

/**
 * The dialling side of the handshake (PROTOCOL.md §6): Hello → (Challenge) → Auth →
 * (AuthOk). Checks that the server is {@code expectedServer} — the dialled onion itself
 * for an identity onion, the contact's identity for their endpoint onion — and that its
 * signature over the shared transcript verifies. Pure; not thread-safe; single use.
 */
public final class ClientHandshake implements Handshake {
    private enum State { NEW, AWAIT_CHALLENGE, AWAIT_AUTH_OK, DONE, FAILED }

    private final IdentityKeyPair identity;
    private final OnionAddress dialled;
    private final OnionAddress expectedServer;
    private final Purpose purpose;
    private final List<Integer> versions;
    private final SecureRandom random;
    private State state = State.NEW;
    private byte[] clientNonce;
    private byte[] transcriptHash;
    private HandshakeResult result;
    private int version;

    /**
     * @param identity the client's identity key
     * @param dialled the onion being dialled (tor authenticates it)
     * @param expectedServer the identity the server must prove
     * @param purpose why we connect
     * @param versions versions we speak, in the order to put in Hello (normally {@link Limits#SUPPORTED_VERSIONS})
     * @param random source of the client nonce
     */
    public ClientHandshake(IdentityKeyPair identity, OnionAddress dialled, OnionAddress expectedServer, Purpose purpose,
            List<Integer> versions, SecureRandom random) {
        this.identity = Objects.requireNonNull(identity);
        this.dialled = Objects.requireNonNull(dialled);
        this.expectedServer = Objects.requireNonNull(expectedServer);
        this.purpose = Objects.requireNonNull(purpose);
        this.versions = List.copyOf(versions);
        this.random = Objects.requireNonNull(random);
    }

    /** A client speaking {@link Limits#SUPPORTED_VERSIONS}. */
    public ClientHandshake(IdentityKeyPair identity, OnionAddress dialled, OnionAddress expectedServer, Purpose purpose,
            SecureRandom random) {
        this(identity, dialled, expectedServer, purpose, Limits.SUPPORTED_VERSIONS, random);
    }

    @Override
    public Envelope start() {
        if (state != State.NEW) {
            throw new IllegalStateException("already started");
        }
        clientNonce = new byte[Limits.NONCE_LENGTH];
        random.nextBytes(clientNonce);
        state = State.AWAIT_CHALLENGE;
        return Envelope.newBuilder().setHello(Hello.newBuilder()
                .addAllVersions(versions)
                .setClientNonce(ByteString.copyFrom(clientNonce))
                .setClientId(ByteString.copyFrom(identity.publicKey()))
                .setPurpose(purpose)
                .setDialledId(ByteString.copyFrom(dialled.publicKey()))).build();
    }

    @Override
    public Envelope onMessage(Envelope message) throws ProtocolException {
        State s = state;
        state = State.FAILED; // until this step succeeded
        Handshakes.rejectClose(message);
        switch (s) {
            case AWAIT_CHALLENGE -> {
                Handshakes.expect(message, Envelope.BodyCase.CHALLENGE);
                Envelope auth = onChallenge(message.getChallenge());
                state = State.AWAIT_AUTH_OK;
                return auth;
            }
            case AWAIT_AUTH_OK -> {
                Handshakes.expect(message, Envelope.BodyCase.AUTH_OK);
                if (!expectedServer.verify(Transcript.serverMessage(transcriptHash),
                        message.getAuthOk().getServerSignature().toByteArray())) {
                    throw new ProtocolException(CloseCode.AUTH_FAILED, "server signature does not verify");
                }
                result = new HandshakeResult(version, purpose, identity.address(), expectedServer, dialled,
                        transcriptHash, true);
                state = State.DONE;
                return null;
            }
            default -> throw new IllegalStateException("handshake is " + s);
        }
    }

    private Envelope onChallenge(Challenge c) throws ProtocolException {
        if (!versions.contains(c.getVersion())) {
            throw new ProtocolException(CloseCode.NO_COMMON_VERSION, "server chose a version we did not offer");
        }
        byte[] serverId = c.getServerId().toByteArray();
        if (!java.util.Arrays.equals(serverId, expectedServer.publicKey())) {
            throw new ProtocolException(CloseCode.AUTH_FAILED, "server identity is not the expected one");
        }
        version = c.getVersion();
        transcriptHash = Transcript.hash(Transcript.bytes(version, versions, purpose, identity.publicKey(), serverId,
                dialled.publicKey(), clientNonce, c.getServerNonce().toByteArray()));
        byte[] signature = identity.sign(Transcript.clientMessage(transcriptHash));
        return Envelope.newBuilder().setAuth(Auth.newBuilder().setClientSignature(ByteString.copyFrom(signature))).build();
    }

    @Override
    public boolean isComplete() {
        return state == State.DONE;
    }

    @Override
    public HandshakeResult result() {
        if (state != State.DONE) {
            throw new IllegalStateException("handshake is " + state);
        }
        return result;
    }
}
