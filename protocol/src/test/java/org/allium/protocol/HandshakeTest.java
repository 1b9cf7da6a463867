package org.allium.protocol;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.Hello;
import org.allium.protocol.proto.Purpose;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final IdentityKeyPair alice = IdentityKeyPair.generate(RANDOM);
    private final IdentityKeyPair bob = IdentityKeyPair.generate(RANDOM);
    private final IdentityKeyPair mallory = IdentityKeyPair.generate(RANDOM);
    private final IdentityKeyPair bobEndpoint = IdentityKeyPair.generate(RANDOM);

    /** A policy serving the given onions and accepting everything else. */
    static ServerPolicy serving(OnionAddress... onions) {
        Set<OnionAddress> set = Set.of(onions);
        return set::contains;
    }

    /** Passes an Envelope through the real frame codec, as the wire would. */
    static Envelope wire(Envelope e) throws FormatException {
        byte[] frame = FrameWriter.encode(e);
        Envelope out = new FrameDecoder().poll(frame, 0, frame.length);
        assertNotNull(out);
        return out;
    }

    private ClientHandshake client(IdentityKeyPair me, OnionAddress dialled, OnionAddress expected, Purpose purpose) {
        return new ClientHandshake(me, dialled, expected, purpose, RANDOM);
    }

    @Test
    void completesOnIdentityOnionForEveryPurpose() throws ProtocolException {
        for (Purpose p : List.of(Purpose.CONTACT_REQUEST, Purpose.CONTACT_SESSION, Purpose.FILE_STREAM, Purpose.DROP_SUBMISSION)) {
            ClientHandshake c = client(alice, bob.address(), bob.address(), p);
            ServerHandshake s = new ServerHandshake(bob, serving(bob.address()), RANDOM);
            assertNull(s.start());
            Envelope challenge = s.onMessage(wire(c.start()));
            Envelope auth = c.onMessage(wire(challenge));
            assertFalse(s.isComplete());
            Envelope authOk = s.onMessage(wire(auth));
            assertTrue(s.isComplete());
            assertNull(c.onMessage(wire(authOk)));
            assertTrue(c.isComplete());
            HandshakeResult cr = c.result();
            HandshakeResult sr = s.result();
            assertEquals(1, cr.version());
            assertEquals(p, sr.purpose());
            assertEquals(alice.address(), sr.client());
            assertEquals(alice.address(), sr.peer());
            assertEquals(bob.address(), cr.peer());
            assertEquals(bob.address(), cr.dialled());
            assertArrayEquals(cr.transcriptHash(), sr.transcriptHash());
        }
    }

    @Test
    void serverProvesItsIdentityOnAnEndpointOnion() throws ProtocolException {
        // Alice dials Bob's endpoint for her; the endpoint key differs from Bob's identity.
        ClientHandshake c = client(alice, bobEndpoint.address(), bob.address(), Purpose.CONTACT_SESSION);
        ServerHandshake s = new ServerHandshake(bob, serving(bob.address(), bobEndpoint.address()), RANDOM);
        Envelope authOk = s.onMessage(wire(c.onMessage(wire(s.onMessage(wire(c.start()))))));
        c.onMessage(wire(authOk));
        assertEquals(bob.address(), c.result().server());
        assertEquals(bobEndpoint.address(), c.result().dialled());
        assertEquals(bobEndpoint.address(), s.result().dialled());

        // Mallory runs a look-alike endpoint but cannot sign as Bob: the client expects Bob.
        ClientHandshake c2 = client(alice, bobEndpoint.address(), bob.address(), Purpose.CONTACT_SESSION);
        ServerHandshake fake = new ServerHandshake(mallory, serving(bobEndpoint.address()), RANDOM);
        Envelope challenge = fake.onMessage(wire(c2.start()));
        assertCode(CloseCode.AUTH_FAILED, () -> c2.onMessage(wire(challenge)));
    }

    @Test
    void badClientSignatureIsRejected() throws ProtocolException {
        ClientHandshake c = client(alice, bob.address(), bob.address(), Purpose.CONTACT_SESSION);
        ServerHandshake s = new ServerHandshake(bob, serving(bob.address()), RANDOM);
        Envelope auth = c.onMessage(wire(s.onMessage(wire(c.start()))));
        byte[] sig = auth.getAuth().getClientSignature().toByteArray();
        sig[10] ^= 0x40;
        Envelope tampered = auth.toBuilder().setAuth(auth.getAuth().toBuilder().setClientSignature(ByteString.copyFrom(sig))).build();
        assertCode(CloseCode.AUTH_FAILED, () -> s.onMessage(wire(tampered)));
        assertFalse(s.isComplete());
        assertThrows(IllegalStateException.class, () -> s.onMessage(auth), "a failed machine stays failed");
    }

    @Test
    void badServerSignatureIsRejected() throws ProtocolException {
        ClientHandshake c = client(alice, bob.address(), bob.address(), Purpose.CONTACT_SESSION);
        ServerHandshake s = new ServerHandshake(bob, serving(bob.address()), RANDOM);
        Envelope authOk = s.onMessage(wire(c.onMessage(wire(s.onMessage(wire(c.start()))))));
        byte[] sig = authOk.getAuthOk().getServerSignature().toByteArray();
        sig[63] ^= 1;
        Envelope tampered = authOk.toBuilder().setAuthOk(authOk.getAuthOk().toBuilder().setServerSignature(ByteString.copyFrom(sig))).build();
        assertCode(CloseCode.AUTH_FAILED, () -> c.onMessage(wire(tampered)));
    }

    @Test
    void claimingSomeoneElsesIdentityFails() throws ProtocolException {
        // Mallory sends a Hello claiming Alice's id; she signs with her own key.
        ClientHandshake c = client(mallory, bob.address(), bob.address(), Purpose.CONTACT_SESSION);
        ServerHandshake s = new ServerHandshake(bob, serving(bob.address()), RANDOM);
        Envelope hello = c.start();
        Envelope forged = hello.toBuilder().setHello(hello.getHello().toBuilder()
                .setClientId(ByteString.copyFrom(alice.publicKey()))).build();
        Envelope challenge = s.onMessage(wire(forged));
        Envelope auth = c.onMessage(wire(challenge));
        assertCode(CloseCode.AUTH_FAILED, () -> s.onMessage(wire(auth)));
    }

    @Test
    void replayedAuthWithANewServerNonceIsRejected() throws ProtocolException {
        // A recorded session: Hello and Auth of Alice to Bob.
        ClientHandshake c = client(alice, bob.address(), bob.address(), Purpose.CONTACT_SESSION);
        ServerHandshake s = new ServerHandshake(bob, serving(bob.address()), RANDOM);
        Envelope hello = c.start();
        Envelope auth = c.onMessage(wire(s.onMessage(wire(hello))));
        s.onMessage(wire(auth));
        // The attacker replays both to a fresh server connection, which picks a new nonce.
        ServerHandshake s2 = new ServerHandshake(bob, serving(bob.address()), RANDOM);
        s2.onMessage(wire(hello));
        assertCode(CloseCode.AUTH_FAILED, () -> s2.onMessage(wire(auth)));
    }

    @Test
    void proofForServerXRelayedToServerYIsRejected() throws ProtocolException {
        // Alice dials Mallory (X), who relays to Bob (Y) and tries to pass as Alice.
        ClientHandshake c = client(alice, mallory.address(), mallory.address(), Purpose.CONTACT_SESSION);
        ServerHandshake bobServer = new ServerHandshake(bob, serving(bob.address()), RANDOM);
        Envelope hello = c.start();
        // Relayed unchanged: Bob sees that the dialled onion is not his.
        assertCode(CloseCode.WRONG_ONION, () -> new ServerHandshake(bob, serving(bob.address()), RANDOM).onMessage(wire(hello)));
        // Relayed with the dialled id rewritten to Bob's: Bob answers with his challenge, Mallory
        // forwards it (with her own id, else Alice would refuse), Alice signs for dialled=X,
        // server=Mallory — which does not verify at Bob.
        Envelope rewritten = hello.toBuilder().setHello(hello.getHello().toBuilder()
                .setDialledId(ByteString.copyFrom(bob.publicKey()))).build();
        Envelope bobChallenge = bobServer.onMessage(wire(rewritten));
        Envelope forwarded = bobChallenge.toBuilder().setChallenge(bobChallenge.getChallenge().toBuilder()
                .setServerId(ByteString.copyFrom(mallory.publicKey()))).build();
        Envelope auth = c.onMessage(wire(forwarded));
        assertCode(CloseCode.AUTH_FAILED, () -> bobServer.onMessage(wire(auth)));
    }

    @Test
    void downgradeIsRejected() throws ProtocolException {
        // Client and server both speak 1 and 2; an attacker strips 2 from the Hello.
        List<Integer> both = List.of(1, 2);
        ClientHandshake c = new ClientHandshake(alice, bob.address(), bob.address(), Purpose.CONTACT_SESSION, both, RANDOM);
        ServerHandshake s = new ServerHandshake(bob, serving(bob.address()), both, RANDOM);
        Envelope hello = c.start();
        Envelope stripped = hello.toBuilder().setHello(hello.getHello().toBuilder().clearVersions().addVersions(1)).build();
        Envelope challenge = s.onMessage(wire(stripped));
        assertEquals(1, challenge.getChallenge().getVersion());
        Envelope auth = c.onMessage(wire(challenge));
        assertCode(CloseCode.AUTH_FAILED, () -> s.onMessage(wire(auth)));

        // Without interference both choose the highest common version.
        ClientHandshake c2 = new ClientHandshake(alice, bob.address(), bob.address(), Purpose.CONTACT_SESSION, both, RANDOM);
        ServerHandshake s2 = new ServerHandshake(bob, serving(bob.address()), both, RANDOM);
        Envelope ch = s2.onMessage(wire(c2.start()));
        assertEquals(2, ch.getChallenge().getVersion());
        c2.onMessage(wire(s2.onMessage(wire(c2.onMessage(wire(ch))))));
        assertEquals(2, c2.result().version());
        // A challenge choosing a version the client never offered.
        ClientHandshake c3 = client(alice, bob.address(), bob.address(), Purpose.CONTACT_SESSION);
        c3.start();
        Envelope v2 = ch.toBuilder().setChallenge(ch.getChallenge().toBuilder().setVersion(2)).build();
        assertCode(CloseCode.NO_COMMON_VERSION, () -> c3.onMessage(wire(v2)));
    }

    @Test
    void noCommonVersion() throws ProtocolException {
        ClientHandshake c = new ClientHandshake(alice, bob.address(), bob.address(), Purpose.CONTACT_SESSION, List.of(5, 6), RANDOM);
        ServerHandshake s = new ServerHandshake(bob, serving(bob.address()), RANDOM);
        Envelope hello = c.start();
        assertCode(CloseCode.NO_COMMON_VERSION, () -> s.onMessage(wire(hello)));
    }

    @Test
    void wrongMessageTypesAreRejected() throws ProtocolException {
        ClientHandshake c = client(alice, bob.address(), bob.address(), Purpose.CONTACT_SESSION);
        Envelope hello = c.start();
        Envelope keepAlive = Envelope.newBuilder().setKeepAlive(org.allium.protocol.proto.KeepAlive.getDefaultInstance()).build();
        assertCode(CloseCode.UNEXPECTED_MESSAGE, () -> new ServerHandshake(bob, serving(bob.address()), RANDOM).onMessage(keepAlive));
        assertCode(CloseCode.UNEXPECTED_MESSAGE, () -> c.onMessage(hello), "client got a Hello");
        ServerHandshake s = new ServerHandshake(bob, serving(bob.address()), RANDOM);
        s.onMessage(hello);
        assertCode(CloseCode.UNEXPECTED_MESSAGE, () -> s.onMessage(hello), "second Hello");
        ServerHandshake s2 = new ServerHandshake(bob, serving(bob.address()), RANDOM);
        Envelope earlyAuth = Samples.all().get(2);
        assertCode(CloseCode.UNEXPECTED_MESSAGE, () -> s2.onMessage(earlyAuth), "Auth before Hello");
    }

    @Test
    void peerCloseIsReported() {
        ServerHandshake s = new ServerHandshake(bob, serving(bob.address()), RANDOM);
        PeerClosedException e = assertThrows(PeerClosedException.class,
                () -> s.onMessage(Envelopes.close(CloseCode.SHUTTING_DOWN, "bye")));
        assertEquals(CloseCode.SHUTTING_DOWN, e.code());
        assertEquals("bye", e.peerText());
    }

    @Test
    void policyDecisions() throws ProtocolException {
        ServerPolicy closed = new ServerPolicy() {
            @Override
            public boolean servesOnion(OnionAddress dialled) {
                return dialled.equals(bob.address());
            }

            @Override
            public void checkPurpose(Purpose purpose, OnionAddress dialled) throws ProtocolException {
                if (purpose == Purpose.CONTACT_REQUEST) {
                    throw new ProtocolException(CloseCode.PURPOSE_NOT_ACCEPTED, "not accepting contact requests");
                }
            }

            @Override
            public void authorize(Purpose purpose, OnionAddress client, OnionAddress dialled) throws ProtocolException {
                if (!client.equals(alice.address())) {
                    throw new ProtocolException(CloseCode.NOT_AUTHORIZED, "not a contact");
                }
            }
        };
        Envelope request = client(alice, bob.address(), bob.address(), Purpose.CONTACT_REQUEST).start();
        assertCode(CloseCode.PURPOSE_NOT_ACCEPTED, () -> new ServerHandshake(bob, closed, RANDOM).onMessage(request));
        ClientHandshake m = client(mallory, bob.address(), bob.address(), Purpose.CONTACT_SESSION);
        ServerHandshake s = new ServerHandshake(bob, closed, RANDOM);
        Envelope auth = m.onMessage(s.onMessage(m.start()));
        assertCode(CloseCode.NOT_AUTHORIZED, () -> s.onMessage(auth));
    }

    @Test
    void invalidKeysInHelloAreRejected() throws ProtocolException {
        Envelope hello = client(alice, bob.address(), bob.address(), Purpose.CONTACT_SESSION).start();
        Hello.Builder h = hello.getHello().toBuilder().setClientId(ByteString.copyFrom(new byte[32])); // y=0: not a point
        assertCode(CloseCode.AUTH_FAILED, () -> new ServerHandshake(bob, serving(bob.address()), RANDOM)
                .onMessage(Envelope.newBuilder().setHello(h).build()));
    }

    interface Step {
        void run() throws ProtocolException;
    }

    static void assertCode(CloseCode expected, Step step) {
        assertCode(expected, step, "");
    }

    static void assertCode(CloseCode expected, Step step, String what) {
        ProtocolException e = assertThrows(ProtocolException.class, step::run, what);
        assertEquals(expected, e.code(), what + ": " + e.getMessage());
    }
}
