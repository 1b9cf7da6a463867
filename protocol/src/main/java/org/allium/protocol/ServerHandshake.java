package org.allium.protocol;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import org.allium.protocol.proto.AuthOk;
import org.allium.protocol.proto.Challenge;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.Hello;
import org.allium.protocol.proto.Purpose;

/**
 * The listening side of the handshake (PROTOCOL.md §6): (Hello) → Challenge → (Auth) →
 * AuthOk. Chooses the highest common version; checks the dialled onion is served here,
 * the purpose is accepted, the client's signature over the transcript verifies against
 * the key of the identity it claims, and finally asks the {@link ServerPolicy} whether
 * that identity may proceed. Pure; not thread-safe; single use.
 */
public final class ServerHandshake implements Handshake {
    private enum State { AWAIT_HELLO, AWAIT_AUTH, DONE, FAILED }

    private final IdentityKeyPair identity;
    private final ServerPolicy policy;
    private final List<Integer> versions;
    private final SecureRandom random;
    private State state = State.AWAIT_HELLO;
    private OnionAddress client;
    private OnionAddress dialled;
    private Purpose purpose;
    private int version;
    private byte[] transcriptHash;
    private HandshakeResult result;

    /**
     * @param identity the server's identity key (for endpoint onions too: the user's identity,
     *     not the endpoint key)
     * @param policy the application's decisions
     * @param versions versions we speak (normally {@link Limits#SUPPORTED_VERSIONS})
     * @param random source of the server nonce
     */
    public ServerHandshake(IdentityKeyPair identity, ServerPolicy policy, List<Integer> versions, SecureRandom random) {
        this.identity = Objects.requireNonNull(identity);
        this.policy = Objects.requireNonNull(policy);
        this.versions = List.copyOf(versions);
        this.random = Objects.requireNonNull(random);
    }

    /** A server speaking {@link Limits#SUPPORTED_VERSIONS}. */
    public ServerHandshake(IdentityKeyPair identity, ServerPolicy policy, SecureRandom random) {
        this(identity, policy, Limits.SUPPORTED_VERSIONS, random);
    }

    @Override
    public Envelope start() {
        return null;
    }

    @Override
    public Envelope onMessage(Envelope message) throws ProtocolException {
        State s = state;
        state = State.FAILED; // until this step succeeded
        Handshakes.rejectClose(message);
        switch (s) {
            case AWAIT_HELLO -> {
                Handshakes.expect(message, Envelope.BodyCase.HELLO);
                Envelope challenge = onHello(message.getHello());
                state = State.AWAIT_AUTH;
                return challenge;
            }
            case AWAIT_AUTH -> {
                Handshakes.expect(message, Envelope.BodyCase.AUTH);
                if (!client.verify(Transcript.clientMessage(transcriptHash),
                        message.getAuth().getClientSignature().toByteArray())) {
                    throw new ProtocolException(CloseCode.AUTH_FAILED, "client signature does not verify");
                }
                policy.authorize(purpose, client, dialled);
                byte[] signature = identity.sign(Transcript.serverMessage(transcriptHash));
                result = new HandshakeResult(version, purpose, client, identity.address(), dialled, transcriptHash, false);
                state = State.DONE;
                return Envelope.newBuilder().setAuthOk(AuthOk.newBuilder().setServerSignature(ByteString.copyFrom(signature)))
                        .build();
            }
            default -> throw new IllegalStateException("handshake is " + s);
        }
    }

    private Envelope onHello(Hello hello) throws ProtocolException {
        version = 0;
        for (int v : hello.getVersionsList()) {
            if (versions.contains(v) && v > version) {
                version = v;
            }
        }
        if (version == 0) {
            throw new ProtocolException(CloseCode.NO_COMMON_VERSION, "no common protocol version");
        }
        try {
            dialled = OnionAddress.fromPublicKey(hello.getDialledId().toByteArray());
        } catch (InvalidAddressException e) {
            throw new ProtocolException(CloseCode.WRONG_ONION, "dialled onion is not a valid key");
        }
        if (!policy.servesOnion(dialled)) {
            throw new ProtocolException(CloseCode.WRONG_ONION, "dialled onion is not served here");
        }
        try {
            client = OnionAddress.fromPublicKey(hello.getClientId().toByteArray());
        } catch (InvalidAddressException e) {
            throw new ProtocolException(CloseCode.AUTH_FAILED, "client identity is not a valid key");
        }
        purpose = hello.getPurpose();
        policy.checkPurpose(purpose, dialled);
        byte[] serverNonce = new byte[Limits.NONCE_LENGTH];
        random.nextBytes(serverNonce);
        transcriptHash = Transcript.hash(Transcript.bytes(version, hello.getVersionsList(), purpose,
                hello.getClientId().toByteArray(), identity.publicKey(), hello.getDialledId().toByteArray(),
                hello.getClientNonce().toByteArray(), serverNonce));
        return Envelope.newBuilder().setChallenge(Challenge.newBuilder()
                .setVersion(version)
                .setServerNonce(ByteString.copyFrom(serverNonce))
                .setServerId(ByteString.copyFrom(identity.publicKey()))).build();
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
