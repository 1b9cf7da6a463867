package org.allium.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import org.allium.protocol.proto.ChatMessage;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.ContactRequest;
import org.allium.protocol.proto.EndpointGrant;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.Hello;
import org.allium.protocol.proto.KeepAlive;
import org.allium.protocol.proto.Purpose;
import org.junit.jupiter.api.Test;

/**
 * One test per row where an independent implementation written from PROTOCOL.md alone saw
 * this code disagree with the text (issue 11 §6), at the level of the protocol module. The
 * rows that need a running engine (Close codes after authentication, handshake messages on
 * a session, unknown fields) are in core's {@code ConformanceTest}.
 */
class ConformanceTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static Envelope parse(byte[] body) throws FormatException {
        return Envelopes.parse(body, 0, body.length);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static Envelope chat(String text) {
        return Envelope.newBuilder().setChatMessage(ChatMessage.newBuilder().setId(Samples.bytes(16, 9)).setSequence(1)
                .setText(text)).build();
    }

    /** §3: exactly one field of the {@code body} oneof. protobuf alone keeps the last one. */
    @Test
    void envelopeWithTwoBodyFieldsIsRefused() {
        byte[] two = concat(chat("first").toByteArray(),
                Envelope.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance()).build().toByteArray());
        FormatException e = assertThrows(FormatException.class, () -> parse(two));
        assertEquals(CloseCode.PROTOCOL_ERROR, e.code());
        // The same body field twice (protobuf would merge the two ChatMessages).
        byte[] same = concat(chat("first").toByteArray(), chat("second").toByteArray());
        assertEquals(CloseCode.PROTOCOL_ERROR, assertThrows(FormatException.class, () -> parse(same)).code());
        // A body field with the wrong wire type next to a valid body.
        byte[] wrongType = concat(chat("x").toByteArray(), new byte[] {(byte) (6 << 3), 1}); // field 6 as a varint
        assertEquals(CloseCode.PROTOCOL_ERROR, assertThrows(FormatException.class, () -> parse(wrongType)).code());
    }

    /** §4: versions are uint32; 2^31 and above are versions like any other, not "0". */
    @Test
    void helloVersionsAtOrAbove2To31AreVersions() throws Exception {
        IdentityKeyPair alice = IdentityKeyPair.generate(RANDOM);
        IdentityKeyPair bob = IdentityKeyPair.generate(RANDOM);
        Envelope hello = Envelope.newBuilder().setHello(Hello.newBuilder().addVersions(0x80000000).addVersions(1)
                .addVersions(0xffffffff).setClientNonce(Samples.bytes(32, 1))
                .setClientId(ByteString.copyFrom(alice.publicKey())).setPurpose(Purpose.CONTACT_REQUEST)
                .setDialledId(ByteString.copyFrom(bob.publicKey()))).build();
        Envelope parsed = parse(hello.toByteArray());
        ServerHandshake server = new ServerHandshake(bob, HandshakeTest.serving(bob.address()), RANDOM);
        server.start();
        Envelope challenge = server.onMessage(parsed);
        assertEquals(1, challenge.getChallenge().getVersion(), "the highest common version");

        Envelope onlyFuture = hello.toBuilder().setHello(hello.getHello().toBuilder().clearVersions()
                .addVersions(0x80000000)).build();
        ServerHandshake other = new ServerHandshake(bob, HandshakeTest.serving(bob.address()), RANDOM);
        other.start();
        HandshakeTest.assertCode(CloseCode.NO_COMMON_VERSION, () -> other.onMessage(parse(onlyFuture.toByteArray())),
                "only a version we do not speak");
    }

    /** §2.3 and §5: the client-auth key of a grant is a clamped x25519 private key. */
    @Test
    void unclampedX25519KeyInEndpointGrantIsRefused() throws Exception {
        ByteString clamped = Samples.clampedKey(0x5a);
        parse(request(clamped).toByteArray()); // accepted
        byte[] low = clamped.toByteArray();
        low[0] |= 1;
        byte[] high = clamped.toByteArray();
        high[31] |= (byte) 0x80;
        byte[] noBit = clamped.toByteArray();
        noBit[31] &= (byte) ~0x40;
        for (byte[] k : new byte[][] {low, high, noBit}) {
            FormatException e = assertThrows(FormatException.class, () -> parse(request(ByteString.copyFrom(k)).toByteArray()));
            assertEquals(CloseCode.PROTOCOL_ERROR, e.code());
            assertTrue(e.getMessage().contains("clamped"), e.getMessage());
        }
    }

    private static Envelope request(ByteString key) {
        return Envelope.newBuilder().setContactRequest(ContactRequest.newBuilder().setRequestId(Samples.bytes(16, 8))
                .setEndpoint(EndpointGrant.newBuilder().setEndpointId(Samples.bytes(32, 0x11)).setClientAuthKey(key)))
                .build();
    }

    /**
     * §3: unknown fields are ignored, but nesting is bounded: a ContactRequest carrying deeply
     * nested unknown groups (inside the message or at the top level of the Envelope) is a
     * clean PROTOCOL_ERROR, never a stack overflow, in a frame of the largest size.
     */
    @Test
    void deeplyNestedUnknownGroupsAreAProtocolError() throws Exception {
        int depth = 15_000; // 2 bytes per start and per end tag: fits the 64 KiB post-auth cap
        byte[] groups = nestedGroups(99, depth);
        ContactRequest inner = ContactRequest.newBuilder().setRequestId(Samples.bytes(16, 8))
                .setEndpoint(EndpointGrant.newBuilder().setEndpointId(Samples.bytes(32, 0x11))
                        .setClientAuthKey(Samples.clampedKey(0x22))).build();
        byte[] innerWithGroups = concat(inner.toByteArray(), groups);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        CodedOutputStream cos = CodedOutputStream.newInstance(body);
        cos.writeByteArray(16, innerWithGroups);
        cos.flush();
        byte[] inside = body.toByteArray();
        assertTrue(inside.length <= Limits.MAX_FRAME_POST_AUTH);
        assertEquals(CloseCode.PROTOCOL_ERROR, assertThrows(FormatException.class, () -> parse(inside)).code());
        byte[] topLevel = concat(request(Samples.clampedKey(0x22)).toByteArray(), groups);
        assertEquals(CloseCode.PROTOCOL_ERROR, assertThrows(FormatException.class, () -> parse(topLevel)).code());
        // Shallow unknown groups are fine (ignored).
        Envelope ok = parse(concat(request(Samples.clampedKey(0x22)).toByteArray(), nestedGroups(99, 3)));
        assertTrue(ok.hasContactRequest());
    }

    private static byte[] nestedGroups(int field, int depth) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        for (int i = 0; i < depth; i++) {
            cos.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_START_GROUP);
        }
        for (int i = 0; i < depth; i++) {
            cos.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_END_GROUP);
        }
        cos.flush();
        return out.toByteArray();
    }
}
