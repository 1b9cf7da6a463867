package org.allium.protocol;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.allium.protocol.proto.DropCase;
import org.allium.protocol.proto.DropReply;
import org.allium.protocol.proto.DropState;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.Purpose;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md §13: codenames, the source key, the drop-line messages and their golden vectors. */
class DropProtocolTest {
    static List<String> committed() throws IOException {
        return GoldenVectorsTest.resourceLines("golden-drop-v1.txt");
    }

    @Test
    void generatorReproducesTheCommittedVectors() throws IOException {
        assertEquals(String.join("\n", committed()), String.join("\n", DropGoldenVectors.generate()));
    }

    @Test
    void committedFramesDecodeAndValidate() throws IOException {
        List<Envelope> decoded = GoldenVectorsTest.frames(committed());
        assertEquals(16, decoded.size());
        assertEquals(Purpose.DROP_SUBMISSION, decoded.get(0).getHello().getPurpose());
        assertTrue(decoded.get(4).hasDropSubmission());
        assertTrue(decoded.get(6).hasDropCase());
        assertTrue(decoded.get(12).hasDropCheckIn());
        assertEquals(1, decoded.get(13).getDropCase().getReplyCount());
        assertTrue(decoded.get(14).hasDropReply());
    }

    @Test
    void theSourceKeyDependsOnCodenameAndDropLineOnly() {
        DropCodename c = DropCodename.parse("  Abacus ZOOM\tt-shirt felt-tip   quarters yo-yo mutable\n");
        assertEquals(DropGoldenVectors.CODENAME, c.text());
        OnionAddress line = GoldenVectors.BOB.address();
        OnionAddress other = GoldenVectors.ALICE.address();
        // a cheap cost for the comparisons; the golden vector covers the real cost
        IdentityKeyPair a = c.sourceKey(line, 1024, 1);
        assertArrayEquals(a.publicKey(), DropCodename.parse(DropGoldenVectors.CODENAME).sourceKey(line, 1024, 1).publicKey());
        assertFalse(java.util.Arrays.equals(a.publicKey(), c.sourceKey(other, 1024, 1).publicKey()));
        DropCodename typo = DropCodename.parse("abacus zoom t-shirt felt-tip quarters yo-yo mutation");
        assertFalse(java.util.Arrays.equals(a.publicKey(), typo.sourceKey(line, 1024, 1).publicKey()));
    }

    @Test
    void generatedCodenamesHaveAtLeast80BitsAndParseBack() {
        double bits = DropCodename.WORDS * Math.log(DropCodename.listSize()) / Math.log(2);
        assertTrue(bits >= 80, "codename entropy " + bits);
        SecureRandom r = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            DropCodename c = DropCodename.generate(r);
            assertEquals(DropCodename.WORDS, c.words().size());
            assertEquals(c, DropCodename.parse(c.text()));
            assertTrue(seen.add(c.text()));
            assertFalse(c.toString().contains(c.words().get(0)));
        }
    }

    @Test
    void aMistypedCodenameIsRefusedWithoutEchoingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DropCodename.parse("abacus zoom t-shirt felt-tip quarters yo-yo zzzqqq"));
        assertTrue(e.getMessage().contains("word 7"));
        assertFalse(e.getMessage().contains("zzzqqq"));
        assertThrows(IllegalArgumentException.class, () -> DropCodename.parse("abacus zoom"));
        assertThrows(IllegalArgumentException.class, () -> DropCodename.parse(""));
    }

    @Test
    void pseudonymsAreShortStableAndNotTheCodename() {
        byte[] pk = GoldenVectors.ALICE.publicKey();
        String p = DropCodename.pseudonym(pk);
        assertEquals(p, DropCodename.pseudonym(pk));
        assertTrue(p.matches("[a-z-]+ [a-z-]+ [1-9][0-9]"), p);
        assertNotEquals(p, DropCodename.pseudonym(GoldenVectors.BOB.publicKey()));
    }

    @Test
    void dropMessagesOutsideTheirLimitsAreRejected() {
        byte[] id = new byte[16];
        assertRejected(Envelope.newBuilder().setDropReply(DropReply.newBuilder().setId(ByteString.copyFrom(id))
                .setText("x".repeat(Limits.MAX_DROP_REPLY_BYTES + 1))).build());
        assertRejected(Envelope.newBuilder().setDropReply(DropReply.newBuilder().setId(ByteString.copyFrom(id))
                .setText("")).build());
        assertRejected(Envelope.newBuilder().setDropReply(DropReply.newBuilder().setId(ByteString.copyFrom(new byte[15]))
                .setText("x")).build());
        assertRejected(Envelope.newBuilder().setDropCase(DropCase.newBuilder().setState(DropState.DROP_RECEIVED)
                .setReplyCount(Limits.MAX_DROP_REPLIES + 1)).build());
        assertRejected(Envelope.newBuilder().setDropCase(DropCase.newBuilder().setReplyCount(0)).build());
        assertRejected(Envelope.newBuilder().setDropCase(DropCase.newBuilder().setState(DropState.DROP_CLOSED)
                .setAcknowledgement("x".repeat(Limits.MAX_DROP_ACK_BYTES + 1))).build());
        assertRejected(Envelope.newBuilder().setDropCase(DropCase.newBuilder().setStateValue(9)).build());
        assertDoesNotThrow(() -> Envelopes.validate(Envelope.newBuilder().setDropCase(DropCase.newBuilder()
                .setState(DropState.DROP_CLOSED).setReplyCount(Limits.MAX_DROP_REPLIES)
                .setAcknowledgement("x".repeat(Limits.MAX_DROP_ACK_BYTES))).build()));
    }

    @Test
    void operatorSyncMessagesOutsideTheirLimitsAreRejected() {
        ByteString id = ByteString.copyFrom(new byte[16]);
        java.util.function.Function<org.allium.protocol.proto.DropSync.Builder, Envelope> env =
                b -> Envelope.newBuilder().setDropSync(b.setId(id).setCaseRef(id)).build();
        var item = org.allium.protocol.proto.DropSyncItem.newBuilder().setItemId(id).setText("x")
                .setKind(org.allium.protocol.proto.DropItemKind.DROP_ITEM_REPLY);
        var head = org.allium.protocol.proto.DropSyncHead.newBuilder().setPseudonym("p q 10").setState(DropState.DROP_READ);
        assertDoesNotThrow(() -> Envelopes.validate(env.apply(org.allium.protocol.proto.DropSync.newBuilder().setItem(item))));
        assertDoesNotThrow(() -> Envelopes.validate(env.apply(org.allium.protocol.proto.DropSync.newBuilder().setHead(head))));
        assertRejected(env.apply(org.allium.protocol.proto.DropSync.newBuilder())); // no operation
        assertRejected(Envelope.newBuilder().setDropSync(org.allium.protocol.proto.DropSync.newBuilder().setId(id)
                .setCaseRef(ByteString.copyFrom(new byte[15])).setItem(item)).build());
        assertRejected(env.apply(org.allium.protocol.proto.DropSync.newBuilder().setItem(item.clone()
                .setText("x".repeat(Limits.MAX_DROP_REPLY_BYTES + 1)))));
        assertDoesNotThrow(() -> Envelopes.validate(env.apply(org.allium.protocol.proto.DropSync.newBuilder().setItem(item.clone()
                .setKind(org.allium.protocol.proto.DropItemKind.DROP_ITEM_SUBMISSION).setText("x".repeat(Limits.MAX_DROP_TEXT_BYTES))))));
        assertRejected(env.apply(org.allium.protocol.proto.DropSync.newBuilder().setItem(item.clone().setKindValue(0))));
        assertRejected(env.apply(org.allium.protocol.proto.DropSync.newBuilder().setItem(item.clone().setKindValue(7))));
        assertRejected(env.apply(org.allium.protocol.proto.DropSync.newBuilder().setItem(item.clone()
                .setAuthor(org.allium.protocol.proto.DropOperator.newBuilder().setKey(ByteString.copyFrom(new byte[31]))))));
        assertRejected(env.apply(org.allium.protocol.proto.DropSync.newBuilder().setItem(item.clone()
                .setAuthor(org.allium.protocol.proto.DropOperator.newBuilder().setKey(ByteString.copyFrom(new byte[32]))
                        .setName("n".repeat(Limits.MAX_DROP_NAME_BYTES + 1))))));
        assertRejected(env.apply(org.allium.protocol.proto.DropSync.newBuilder().setHead(head.clone().setPseudonym(""))));
        assertRejected(env.apply(org.allium.protocol.proto.DropSync.newBuilder().setHead(head.clone().setStateValue(0))));
        assertRejected(env.apply(org.allium.protocol.proto.DropSync.newBuilder().setSet(
                org.allium.protocol.proto.DropSyncSet.newBuilder().setState(DropState.DROP_RECEIVED))));
        assertRejected(env.apply(org.allium.protocol.proto.DropSync.newBuilder().setSet(
                org.allium.protocol.proto.DropSyncSet.newBuilder().setAssignee(ByteString.copyFrom(new byte[32])))));
        assertRejected(env.apply(org.allium.protocol.proto.DropSync.newBuilder().setSet(
                org.allium.protocol.proto.DropSyncSet.newBuilder().setSetAssignee(true).setAssignee(ByteString.copyFrom(new byte[5])))));
        assertRejected(Envelope.newBuilder().setDropSyncAck(org.allium.protocol.proto.DropSyncAck.newBuilder()).build());
        var many = org.allium.protocol.proto.DropSyncAck.newBuilder();
        for (int i = 0; i <= Limits.MAX_ACK_IDS; i++) {
            many.addIds(id);
        }
        assertRejected(Envelope.newBuilder().setDropSyncAck(many).build());
    }

    private static void assertRejected(Envelope e) {
        byte[] body = e.toByteArray();
        assertThrows(FormatException.class, () -> Envelopes.parse(body, 0, body.length));
    }
}
