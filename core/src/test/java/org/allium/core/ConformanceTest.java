package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.allium.contacts.api.EndpointKeys;
import org.allium.core.api.ContactId;
import org.allium.core.api.MessengerEvent;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.protocol.PeerClosedException;
import org.allium.protocol.proto.Ack;
import org.allium.protocol.proto.Auth;
import org.allium.protocol.proto.Challenge;
import org.allium.protocol.proto.ChatMessage;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.ContactRequest;
import org.allium.protocol.proto.ContactResponse;
import org.allium.protocol.proto.EndpointGrant;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.Hello;
import org.allium.protocol.proto.Purpose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real engine against a peer written from PROTOCOL.md ({@link RawPeer}): one test per
 * row where an independent implementation saw the engine disagree with the text (issue 11
 * §6). The protocol module's own rows (parsing) are in its {@code ConformanceTest}.
 */
class ConformanceTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        TestLogs.install();
    }

    @TempDir
    Path tmp;
    @RegisterExtension
    final FakeNodes fake = new FakeNodes();
    private final FakeOnionNetwork net = fake.net();

    private FakeNode node(String name) throws Exception {
        return fake.start(name, tmp);
    }

    /** What B knows to reach A as a contact, taken from B's store before B goes offline for good. */
    private record AsContact(FakeNode a, ContactId bAtA, IdentityKeyPair b, OnionAddress aEndpoint, byte[] credential,
                             FakeOnionNetwork.FakeTor tor) {
        RawPeer connect() throws Exception {
            return RawPeer.connect(tor, b, aEndpoint, OnionAddress.parse(a.address()), Purpose.CONTACT_SESSION);
        }
    }

    /** A and B become contacts through the engine; then B stops and the test speaks as B. */
    private AsContact contactOfA(String an, String bn) throws Exception {
        FakeNode a = node(an);
        FakeNode b = node(bn);
        ContactId aAtB = b.messenger.sendContactRequest(a.address(), null, "");
        MessengerEvent.RequestReceived got = a.events.await(MessengerEvent.RequestReceived.class,
                e -> e.request().serviceId().equals(b.address()), FakeNode.LONG, "request at A");
        a.messenger.accept(got.request().id());
        b.events.await(MessengerEvent.ContactAdded.class, e -> e.contact().id().equals(aAtB), FakeNode.LONG,
                "B learns of the acceptance");
        EndpointKeys keys = b.store().contacts().endpointKeys(Convert.id(aAtB));
        IdentityKeyPair bKey = ((ProfileImpl) b.profile).identityKey();
        b.stop();
        awaitOffline(a, got.request().id());
        FakeOnionNetwork.FakeTor t = fake.closeAfter(RawPeer.tor(net, bn + "-raw", keys.theirEndpoint(),
                keys.ourClientAuth().privateKey()));
        return new AsContact(a, got.request().id(), bKey, keys.theirEndpoint(), keys.ourClientAuth().privateKey(), t);
    }

    private static void awaitOffline(FakeNode n, ContactId id) throws Exception {
        long deadline = System.nanoTime() + FakeNode.LONG.toNanos();
        while (n.messenger.contact(id).online()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still online");
            }
            Thread.sleep(20);
        }
    }

    private static ByteString id(int fill) {
        byte[] b = new byte[16];
        Arrays.fill(b, (byte) fill);
        return ByteString.copyFrom(b);
    }

    private static Envelope chat(ByteString id, long seq, String text, long composedAtMs) {
        return Envelope.newBuilder().setChatMessage(ChatMessage.newBuilder().setId(id).setSequence(seq)
                .setComposedAtMs(composedAtMs).setText(text)).build();
    }

    private static Envelope awaitAck(RawPeer p) throws Exception {
        while (true) {
            Envelope e = p.next();
            if (e == null || e.hasClose()) {
                throw new AssertionError("no Ack but " + e);
            }
            if (e.hasAck()) {
                return e;
            }
        }
    }

    // ---- after authentication, every failure ends with the Close code the spec promises (§3, §10) ----

    @Test
    void malformedFrameAfterAuthenticationEndsWithCloseProtocolError() throws Exception {
        AsContact b = contactOfA("alma", "bert");
        // Again and again at once: a peer that reads our Close and dials straight back must get
        // a fresh session, not DUPLICATE_CONNECTION from the closed one still being torn down.
        for (int i = 0; i < 10; i++) {
            try (RawPeer p = b.connect()) {
                p.sendUnchecked(new byte[] {(byte) 0xff, (byte) 0xff, 0x07}); // not an Envelope
                assertEquals(CloseCode.PROTOCOL_ERROR, p.awaitClose(), "attempt " + i);
            }
        }
        try (RawPeer p = b.connect()) {
            p.sendBytes(new byte[] {0, 0, 0, 0}); // length 0
            assertEquals(CloseCode.PROTOCOL_ERROR, p.awaitClose());
        }
    }

    @Test
    void oversizedFrameAfterAuthenticationEndsWithCloseFrameTooLarge() throws Exception {
        AsContact b = contactOfA("cleo", "dirk");
        try (RawPeer p = b.connect()) {
            p.sendBytes(new byte[] {0, 1, 0, 1}); // 65537 > the post-auth cap
            assertEquals(CloseCode.FRAME_TOO_LARGE, p.awaitClose());
        }
    }

    @Test
    void fieldOutsideItsLimitAfterAuthenticationEndsWithCloseProtocolError() throws Exception {
        AsContact b = contactOfA("edna", "finn");
        try (RawPeer p = b.connect()) {
            Envelope shortId = chat(ByteString.copyFrom(new byte[15]), 1, "hi", 0);
            p.sendUnchecked(shortId.toByteArray());
            assertEquals(CloseCode.PROTOCOL_ERROR, p.awaitClose());
        }
    }

    /** §6.6: a handshake message after completion is UNEXPECTED_MESSAGE, on a contact session too. */
    @Test
    void handshakeMessagesAfterAuthenticationAreUnexpectedMessage() throws Exception {
        AsContact b = contactOfA("gwen", "hugo");
        List<Envelope> late = List.of(
                Envelope.newBuilder().setHello(Hello.newBuilder().addVersions(1).setClientNonce(ByteString.copyFrom(new byte[32]))
                        .setClientId(ByteString.copyFrom(b.b.publicKey())).setPurpose(Purpose.CONTACT_SESSION)
                        .setDialledId(ByteString.copyFrom(b.aEndpoint.publicKey()))).build(),
                Envelope.newBuilder().setAuth(Auth.newBuilder().setClientSignature(ByteString.copyFrom(new byte[64]))).build(),
                Envelope.newBuilder().setChallenge(Challenge.newBuilder().setVersion(1)
                        .setServerNonce(ByteString.copyFrom(new byte[32])).setServerId(ByteString.copyFrom(b.b.publicKey())))
                        .build());
        for (Envelope e : late) {
            try (RawPeer p = b.connect()) {
                p.send(e);
                assertEquals(CloseCode.UNEXPECTED_MESSAGE, p.awaitClose(), e.getBodyCase() + " after the handshake");
            }
        }
    }

    /** §3: after authentication an Envelope of an unknown type is ignored — on a session and on a request connection. */
    @Test
    void unknownEnvelopeFieldAfterAuthenticationIsIgnored() throws Exception {
        AsContact b = contactOfA("ines", "jack");
        byte[] unknown = unknownEnvelope();
        try (RawPeer p = b.connect()) {
            p.sendUnchecked(unknown);
            p.send(chat(id(1), 1, "after an unknown message", 0));
            assertEquals(id(1), awaitAck(p).getAck().getIds(0));
        }
        // A stranger's request connection to A's identity onion.
        OnionAddress aId = OnionAddress.parse(b.a.address());
        FakeOnionNetwork.FakeTor st = fake.closeAfter(RawPeer.tor(net, "stranger", aId, null));
        try (RawPeer p = RawPeer.connect(st, IdentityKeyPair.generate(RANDOM), aId, aId, Purpose.CONTACT_REQUEST)) {
            p.sendUnchecked(unknown);
            p.send(request(IdentityKeyPair.generate(RANDOM).address()));
            awaitAck(p);
        }
    }

    /** Field 100 as bytes: a message type v1 does not know. */
    private static byte[] unknownEnvelope() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        cos.writeByteArray(100, new byte[] {1, 2, 3});
        cos.flush();
        return out.toByteArray();
    }

    private static Envelope request(OnionAddress endpoint) {
        return Envelope.newBuilder().setContactRequest(ContactRequest.newBuilder()
                .setRequestId(ByteString.copyFrom(Arrays.copyOf(endpoint.publicKey(), 16)))
                .setNickname("raw").setText("hello")
                .setEndpoint(EndpointGrant.newBuilder().setEndpointId(ByteString.copyFrom(endpoint.publicKey()))
                        .setClientAuthKey(ByteString.copyFrom(ClientAuthKeyPair.generate(RANDOM).privateKey())))).build();
    }

    /** A ContactRequest with deeply nested unknown groups ends with a Close, not a silent drop. */
    @Test
    void contactRequestWithDeeplyNestedUnknownGroupsEndsWithClose() throws Exception {
        FakeNode a = node("kira");
        OnionAddress aId = OnionAddress.parse(a.address());
        FakeOnionNetwork.FakeTor st = fake.closeAfter(RawPeer.tor(net, "stranger", aId, null));
        byte[] inner = request(IdentityKeyPair.generate(RANDOM).address()).getContactRequest().toByteArray();
        ByteArrayOutputStream groups = new ByteArrayOutputStream();
        CodedOutputStream g = CodedOutputStream.newInstance(groups);
        int depth = 15_000;
        for (int i = 0; i < depth; i++) {
            g.writeTag(99, com.google.protobuf.WireFormat.WIRETYPE_START_GROUP);
        }
        for (int i = 0; i < depth; i++) {
            g.writeTag(99, com.google.protobuf.WireFormat.WIRETYPE_END_GROUP);
        }
        g.flush();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        CodedOutputStream cos = CodedOutputStream.newInstance(body);
        byte[] nested = new byte[inner.length + groups.size()];
        System.arraycopy(inner, 0, nested, 0, inner.length);
        System.arraycopy(groups.toByteArray(), 0, nested, inner.length, groups.size());
        cos.writeByteArray(16, nested);
        cos.flush();
        try (RawPeer p = RawPeer.connect(st, IdentityKeyPair.generate(RANDOM), aId, aId, Purpose.CONTACT_REQUEST)) {
            p.sendUnchecked(body.toByteArray());
            assertEquals(CloseCode.PROTOCOL_ERROR, p.awaitClose());
        }
        assertTrue(a.messenger.requests().isEmpty());
    }

    // ---- limits and loops ----

    /**
     * A chat text the spec allows (5,000 characters, 5,000 bytes ≤ 8192) is stored and acked:
     * refusing it would make the sender resend it for ever (a poison message).
     */
    @Test
    void specValidLongChatIsAcceptedNotRefusedForEver() throws Exception {
        AsContact b = contactOfA("lena", "milo");
        String text = "x".repeat(5000);
        try (RawPeer p = b.connect()) {
            p.send(chat(id(2), 1, text, 0));
            assertEquals(id(2), awaitAck(p).getAck().getIds(0));
        }
        MessengerEvent.MessageReceived got = b.a.events.await(MessengerEvent.MessageReceived.class, e -> true,
                FakeNode.LONG, "the long message");
        assertEquals(text, got.message().text());
    }

    /** The same for a contact request: 1,000 characters of text (≤ 1024 bytes) are stored and acked. */
    @Test
    void specValidLongRequestTextIsAcceptedNotRefusedForEver() throws Exception {
        FakeNode a = node("xena");
        OnionAddress aId = OnionAddress.parse(a.address());
        FakeOnionNetwork.FakeTor st = fake.closeAfter(RawPeer.tor(net, "stranger", aId, null));
        String text = "y".repeat(1000);
        Envelope r = request(IdentityKeyPair.generate(RANDOM).address());
        r = r.toBuilder().setContactRequest(r.getContactRequest().toBuilder().setText(text)).build();
        try (RawPeer p = RawPeer.connect(st, IdentityKeyPair.generate(RANDOM), aId, aId, Purpose.CONTACT_REQUEST)) {
            p.send(r);
            awaitAck(p);
        }
        MessengerEvent.RequestReceived got = a.events.await(MessengerEvent.RequestReceived.class, e -> true,
                FakeNode.LONG, "the request");
        assertEquals(text, got.request().message());
    }

    /**
     * §7.1: composed_at_ms is not sent (it would fingerprint the sender's clock and tell when a
     * message was typed offline); the receiver shows its own receive time, whatever a peer sends.
     */
    @Test
    void composedAtIsNotSentAndTheReceiverShowsItsOwnReceiveTime() throws Exception {
        AsContact b = contactOfA("nina", "otto");
        Instant before = Instant.now();
        try (RawPeer p = b.connect()) {
            p.send(chat(id(3), 1, "sent in 2001", 1_000_000_000_000L));
            awaitAck(p);
            MessengerEvent.MessageReceived got = b.a.events.await(MessengerEvent.MessageReceived.class, e -> true,
                    FakeNode.LONG, "the message");
            assertFalse(got.message().composed().isBefore(before.minusSeconds(1)),
                    "shown at its receive time, not the sender's " + got.message().composed());
            b.a.messenger.sendMessage(b.bAtA, "from A");
            Envelope e;
            do {
                e = p.next();
            } while (e != null && !e.hasChatMessage());
            assertTrue(e != null && e.hasChatMessage());
            assertEquals(0, e.getChatMessage().getComposedAtMs(), "no composed_at_ms on the wire");
        }
    }

    /** §8: a decline is acknowledged (so the peer stops resending it), not silently ignored. */
    @Test
    void declineIsAcknowledged() throws Exception {
        AsContact b = contactOfA("petra", "quinn");
        try (RawPeer p = b.connect()) {
            ByteString requestId = ByteString.copyFrom(Arrays.copyOf(b.aEndpoint.publicKey(), 16));
            p.send(Envelope.newBuilder().setContactResponse(ContactResponse.newBuilder().setRequestId(requestId)
                    .setAccepted(false)).build());
            assertEquals(requestId, awaitAck(p).getAck().getIds(0));
        }
    }

    /**
     * A contact cannot rewrite its endpoint and credential at will (each rewrite costs a store
     * write and a tor command): the same one again is acknowledged without a write; another one
     * is taken once, and a second within the interval ends the session with RATE_LIMITED.
     */
    @Test
    void contactCannotRewriteItsEndpointAtWill() throws Exception {
        AsContact b = contactOfA("rosa", "sven");
        ByteString requestId = ByteString.copyFrom(Arrays.copyOf(b.aEndpoint.publicKey(), 16));
        OnionAddress first = IdentityKeyPair.generate(RANDOM).address();
        OnionAddress second = IdentityKeyPair.generate(RANDOM).address();
        try (RawPeer p = b.connect()) {
            p.send(accept(requestId, first));
            awaitAck(p);
        }
        assertEquals(first, b.a.store().contacts().endpointKeys(Convert.id(b.bAtA)).theirEndpoint());
        // We closed that session; until A has noticed, a new one is a DUPLICATE_CONNECTION (§3).
        awaitOffline(b.a, b.bAtA);
        try (RawPeer p = b.connect()) {
            p.send(accept(requestId, second));
            assertEquals(CloseCode.RATE_LIMITED, p.awaitClose());
        }
        assertEquals(first, b.a.store().contacts().endpointKeys(Convert.id(b.bAtA)).theirEndpoint(),
                "the second rewrite was not stored");
    }

    private static Envelope accept(ByteString requestId, OnionAddress endpoint) {
        return Envelope.newBuilder().setContactResponse(ContactResponse.newBuilder().setRequestId(requestId)
                .setAccepted(true).setEndpoint(EndpointGrant.newBuilder()
                        .setEndpointId(ByteString.copyFrom(endpoint.publicKey()))
                        .setClientAuthKey(ByteString.copyFrom(ClientAuthKeyPair.generate(RANDOM).privateKey()))))
                .build();
    }

    // ---- §4: a peer that stops reading ----

    /**
     * A contact that keeps sending KeepAlives but never reads: A's writer blocks once the
     * socket buffers are full. The write watchdog closes the session (within two keepalive
     * intervals) instead of leaving the writer blocked for ever; the messages stay in A's outbox.
     */
    @Test
    void peerThatStopsReadingLosesItsSessionAndNothingElse() throws Exception {
        AsContact b = contactOfA("abel", "bea");
        RawPeer p = fake.closeAfter(b.connect());
        p.socket.setReceiveBufferSize(4096);
        long deadline = System.nanoTime() + FakeNode.LONG.toNanos();
        while (!b.a.messenger.contact(b.bAtA).online()) {
            assertTrue(System.nanoTime() < deadline, "online");
            Thread.sleep(10);
        }
        AtomicBoolean stop = new AtomicBoolean();
        Thread pinger = new Thread(() -> {
            while (!stop.get()) {
                try {
                    p.send(Envelope.newBuilder().setKeepAlive(org.allium.protocol.proto.KeepAlive.getDefaultInstance())
                            .build());
                    Thread.sleep(300);
                } catch (Exception e) {
                    return; // closed
                }
            }
        }, "raw-pinger");
        pinger.start();
        try {
            String text = "ä".repeat(4000); // 8000 bytes
            List<org.allium.core.api.MessageId> sent = new ArrayList<>();
            for (int i = 0; i < 1000 && b.a.messenger.contact(b.bAtA).online(); i++) {
                sent.add(b.a.messenger.sendMessage(b.bAtA, text));
            }
            long until = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (b.a.messenger.contact(b.bAtA).online()) {
                assertTrue(System.nanoTime() < until, "A closed the session of a peer that does not read");
                Thread.sleep(50);
            }
            assertTrue(b.a.events.count(MessengerEvent.MessageStatusChanged.class,
                    e -> e.status() == org.allium.core.api.MessageStatus.DELIVERED) == 0, "nothing was delivered");
            assertFalse(sent.isEmpty());
        } finally {
            stop.set(true);
            pinger.join(5000);
        }
    }

    // ---- §6.2 step 6 ----

    /**
     * Someone holding the endpoint's credential who is not the contact proves its identity and
     * gets Close(NOT_AUTHORIZED) instead of AuthOk: the server decides before it signs.
     */
    @Test
    void strangerWithTheCredentialGetsNotAuthorizedInsteadOfAuthOk() throws Exception {
        AsContact b = contactOfA("tara", "ugo");
        IdentityKeyPair stranger = IdentityKeyPair.generate(RANDOM);
        PeerClosedException e = assertThrows(PeerClosedException.class,
                () -> RawPeer.connect(b.tor, stranger, b.aEndpoint, OnionAddress.parse(b.a.address()),
                        Purpose.CONTACT_SESSION).close());
        assertEquals(CloseCode.NOT_AUTHORIZED, e.code());
        // The contact itself still gets in.
        try (RawPeer p = b.connect()) {
            assertInstanceOf(org.allium.protocol.HandshakeResult.class, p.result);
        }
    }

    /**
     * Issue 14: a non-contact cannot open a FILE_STREAM — not on the endpoint (even holding its
     * credential: Close(NOT_AUTHORIZED) before AuthOk) and not on the public identity onion
     * (Close(PURPOSE_NOT_ACCEPTED)); nothing is served to either. The contact itself, on the
     * same endpoint, asks for the offered file and gets its hash list and data.
     */
    @Test
    void aNonContactCannotOpenAFileStream() throws Exception {
        AsContact b = contactOfA("vera", "wim");
        java.nio.file.Path f = tmp.resolve("offered.bin");
        byte[] data = new byte[70_000];
        RANDOM.nextBytes(data);
        java.nio.file.Files.write(f, data);
        org.allium.core.api.MessageId offered = b.a.messenger.files().offer(b.bAtA, f).id();
        ByteString fileId = ByteString.copyFrom(java.util.HexFormat.of().parseHex(offered.hex()));
        org.allium.core.files.FileEngine engine = (org.allium.core.files.FileEngine) b.a.messenger.files();
        IdentityKeyPair stranger = IdentityKeyPair.generate(RANDOM);
        PeerClosedException onEndpoint = assertThrows(PeerClosedException.class,
                () -> RawPeer.connect(b.tor, stranger, b.aEndpoint, OnionAddress.parse(b.a.address()),
                        Purpose.FILE_STREAM).close());
        assertEquals(CloseCode.NOT_AUTHORIZED, onEndpoint.code());
        OnionAddress aId = OnionAddress.parse(b.a.address());
        FakeOnionNetwork.FakeTor st = fake.closeAfter(RawPeer.tor(net, "file-stranger", aId, null));
        PeerClosedException onIdentity = assertThrows(PeerClosedException.class,
                () -> RawPeer.connect(st, stranger, aId, aId, Purpose.FILE_STREAM).close());
        assertEquals(CloseCode.PURPOSE_NOT_ACCEPTED, onIdentity.code());
        assertEquals(0, engine.chunksSent(), "nothing served to a stranger");
        // The contact on the same endpoint: served.
        try (RawPeer p = RawPeer.connect(b.tor, b.b, b.aEndpoint, aId, Purpose.FILE_STREAM)) {
            p.send(Envelope.newBuilder().setFileResume(org.allium.protocol.proto.FileResume.newBuilder()
                    .setFileId(fileId).setNeedHashes(true).setWindow(4)).build());
            boolean hashes = false;
            boolean chunk = false;
            while (!(hashes && chunk)) {
                Envelope e = p.next();
                if (e == null || e.hasClose() || e.hasFileAbort()) {
                    throw new AssertionError("the contact is not served: " + e);
                }
                hashes |= e.hasFileHashes();
                chunk |= e.hasFileChunk();
            }
        }
    }

    /** The same on the identity onion: a blocked requester gets Close(NOT_AUTHORIZED) instead of AuthOk. */
    @Test
    void blockedRequesterGetsNotAuthorizedInsteadOfAuthOk() throws Exception {
        FakeNode a = node("yara");
        OnionAddress aId = OnionAddress.parse(a.address());
        FakeOnionNetwork.FakeTor st = fake.closeAfter(RawPeer.tor(net, "stranger", aId, null));
        IdentityKeyPair stranger = IdentityKeyPair.generate(RANDOM);
        try (RawPeer p = RawPeer.connect(st, stranger, aId, aId, Purpose.CONTACT_REQUEST)) {
            p.send(request(IdentityKeyPair.generate(RANDOM).address()));
            awaitAck(p);
        }
        MessengerEvent.RequestReceived got = a.events.await(MessengerEvent.RequestReceived.class, e -> true,
                FakeNode.LONG, "the request");
        a.messenger.block(got.request().id());
        PeerClosedException e = assertThrows(PeerClosedException.class,
                () -> RawPeer.connect(st, stranger, aId, aId, Purpose.CONTACT_REQUEST).close());
        assertEquals(CloseCode.NOT_AUTHORIZED, e.code());
    }

    /** §4: versions are uint32; a Hello offering 2^31 and 1 gets version 1, not PROTOCOL_ERROR. */
    @Test
    void helloVersionsAtOrAbove2To31AreVersions() throws Exception {
        AsContact b = contactOfA("vera", "walt");
        try (RawPeer p = RawPeer.connect(b.tor, b.b, b.aEndpoint, OnionAddress.parse(b.a.address()),
                Purpose.CONTACT_SESSION, List.of(0x80000000, 1, 0xffffffff))) {
            assertEquals(1, p.result.version());
        }
    }

    static Duration longWait() {
        return FakeNode.LONG;
    }
}
