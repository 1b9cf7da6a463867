package org.allium.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.GroupAction;
import org.allium.protocol.proto.GroupMessage;
import org.junit.jupiter.api.Test;

class GroupVectorsTest {
    static List<String> committed() throws IOException {
        return GoldenVectorsTest.resourceLines("group-vectors.txt");
    }

    @Test
    void generatorReproducesTheCommittedVectors() throws IOException {
        assertEquals(String.join("\n", committed()), String.join("\n", GroupVectors.generate()));
    }

    @Test
    void committedFramesDecodeValidateAndVerify() throws IOException {
        int messages = 0;
        for (String line : committed()) {
            if (line.startsWith("frame ")) {
                byte[] frame = GoldenVectors.HEX.parseHex(line.split(" ")[2]);
                Envelope e = new FrameDecoder(Limits.MAX_FRAME_POST_AUTH).poll(frame, 0, frame.length);
                if (e.hasGroupMessage()) {
                    assertTrue(GroupMessages.verify(e.getGroupMessage()), line);
                    messages++;
                }
            }
        }
        assertEquals(5, messages);
    }

    @Test
    void signedBytesAreTheDocumentedLayout() {
        GroupMessage post = GroupVectors.post();
        byte[] s = GroupMessages.signedBytes(post);
        byte[] text = "Welcome, Bob! ☕".getBytes(StandardCharsets.UTF_8);
        int expected = GroupMessages.SIGN_LABEL.length + 16 + 32 + 8 + 8 + 1 + 1 + 16 + 4 + text.length + 1 + 0 + 8;
        assertEquals(expected, s.length);
        assertEquals(1, s[GroupMessages.SIGN_LABEL.length + 16 + 32 + 16]); // action POST
        assertArrayEquals(GroupVectors.groupId(), post.getGroupId().toByteArray());
    }

    @Test
    void everySignedFieldMatters() {
        GroupMessage m = GroupVectors.post();
        assertTrue(GroupMessages.verify(m));
        List<GroupMessage> tampered = List.of(
                m.toBuilder().setSequence(4).build(),
                m.toBuilder().setComposedAtMs(m.getComposedAtMs() + 1).build(),
                m.toBuilder().setText("Welcome, Bob!").build(),
                m.toBuilder().clearParents().build(),
                m.toBuilder().setAction(GroupAction.RENAME).build(),
                m.toBuilder().setAuthor(ByteString.copyFrom(GroupVectors.BOB.publicKey())).build(),
                m.toBuilder().setGroupId(ByteString.copyFrom(new byte[16])).build());
        for (GroupMessage t : tampered) {
            assertFalse(GroupMessages.verify(t), t.toString());
            assertFalse(java.util.Arrays.equals(GroupMessages.messageId(m), GroupMessages.messageId(t)));
        }
        // Someone else's signature over the same bytes does not verify as the author's.
        GroupMessage forged = m.toBuilder().setSignature(ByteString.copyFrom(
                GroupVectors.BOB.sign(GroupMessages.signedBytes(m)))).build();
        assertFalse(GroupMessages.verify(forged));
    }

    @Test
    void limitsAreEnforced() {
        GroupMessage ok = GroupVectors.post();
        List<GroupMessage> bad = List.of(
                ok.toBuilder().setText("").build(),
                ok.toBuilder().setText("x".repeat(GroupMessages.MAX_POST_BYTES + 1)).build(),
                ok.toBuilder().setSequence(0).build(),
                ok.toBuilder().setSubject(ByteString.copyFrom(new byte[32])).build(),
                ok.toBuilder().setSubjectSeq(3).build(),
                ok.toBuilder().setAction(GroupAction.GROUP_ACTION_UNSPECIFIED).build(),
                ok.toBuilder().setSignature(ByteString.copyFrom(new byte[63])).build(),
                ok.toBuilder().addParents(ByteString.copyFrom(new byte[15])).build(),
                GroupVectors.create().toBuilder().setSequence(2).build(),
                GroupVectors.create().toBuilder().setText("n".repeat(101)).build(),
                GroupVectors.join().toBuilder().setText("x").build());
        for (GroupMessage m : bad) {
            assertThrows(FormatException.class,
                    () -> Envelopes.validate(Envelope.newBuilder().setGroupMessage(m).build()), m.toString());
        }
        GroupMessage.Builder many = ok.toBuilder();
        for (int i = 0; i < GroupMessages.MAX_PARENTS; i++) {
            many.addParents(ByteString.copyFrom(new byte[16]));
        }
        assertThrows(FormatException.class,
                () -> Envelopes.validate(Envelope.newBuilder().setGroupMessage(many.build()).build()));
    }

    @Test
    void largestPostFitsAFrame() throws FormatException {
        GroupMessage.Builder b = GroupVectors.post().toBuilder().setText("€".repeat(GroupMessages.MAX_POST_BYTES / 3));
        for (int i = 1; i < GroupMessages.MAX_PARENTS; i++) {
            b.addParents(ByteString.copyFrom(new byte[16]));
        }
        Envelope e = Envelope.newBuilder().setGroupMessage(b.build()).build();
        Envelopes.validate(e);
        assertTrue(e.getSerializedSize() < Limits.MAX_FRAME_POST_AUTH);
    }
}
