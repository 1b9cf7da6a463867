package org.allium.protocol;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.allium.protocol.proto.*;

/** One valid Envelope of every message type, with every field set. */
final class Samples {
    private Samples() {
    }

    static ByteString bytes(int n, int fill) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) fill);
        return ByteString.copyFrom(b);
    }

    static EndpointGrant grant() {
        return EndpointGrant.newBuilder().setEndpointId(bytes(32, 0x11)).setClientAuthKey(clampedKey(0x22)).build();
    }

    /** 32 bytes of {@code fill}, clamped as an x25519 private key must be (PROTOCOL.md §2.3). */
    static ByteString clampedKey(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        k[0] &= (byte) 248;
        k[31] &= 127;
        k[31] |= 64;
        return ByteString.copyFrom(k);
    }

    static List<Envelope> all() {
        List<Envelope> out = new ArrayList<>();
        out.add(Envelope.newBuilder().setHello(Hello.newBuilder().addVersions(1).addVersions(7).setClientNonce(bytes(32, 1))
                .setClientId(bytes(32, 2)).setPurpose(Purpose.CONTACT_SESSION).setDialledId(bytes(32, 3))).build());
        out.add(Envelope.newBuilder().setChallenge(Challenge.newBuilder().setVersion(1).setServerNonce(bytes(32, 4))
                .setServerId(bytes(32, 5))).build());
        out.add(Envelope.newBuilder().setAuth(Auth.newBuilder().setClientSignature(bytes(64, 6))).build());
        out.add(Envelope.newBuilder().setAuthOk(AuthOk.newBuilder().setServerSignature(bytes(64, 7))).build());
        out.add(Envelope.newBuilder().setClose(Close.newBuilder().setCode(CloseCode.AUTH_FAILED).setText("bye ✓")).build());
        out.add(Envelope.newBuilder().setKeepAlive(KeepAlive.getDefaultInstance()).build());
        out.add(Envelope.newBuilder().setContactRequest(ContactRequest.newBuilder().setRequestId(bytes(16, 8))
                .setNickname("Ada").setText("hi, it's me").setEndpoint(grant()).setComposedAtMs(1_700_000_000_000L)).build());
        out.add(Envelope.newBuilder().setContactResponse(ContactResponse.newBuilder().setRequestId(bytes(16, 8))
                .setAccepted(true).setEndpoint(grant())).build());
        out.add(Envelope.newBuilder().setChatMessage(ChatMessage.newBuilder().setId(bytes(16, 9)).setSequence(42)
                .setComposedAtMs(1_700_000_000_123L).setText("héllo 🌍")).build());
        out.add(Envelope.newBuilder().setAck(Ack.newBuilder().addIds(bytes(16, 9)).addIds(bytes(16, 10))).build());
        DropFile dropFile = DropFile.newBuilder().setId(bytes(16, 26)).setName("memo ✓.pdf").setSize(100_000)
                .setChunkSize(61440).setFileSha256(bytes(32, 27)).setChunkHashesSha256(bytes(32, 28)).build();
        out.add(Envelope.newBuilder().setDropSubmission(DropSubmission.newBuilder().setId(bytes(16, 12))
                .setComposedAtMs(5).setText("a tip").setReplyEndpoint(grant()).addFiles(dropFile)).build());
        out.add(Envelope.newBuilder().setDropCheckIn(DropCheckIn.getDefaultInstance()).build());
        out.add(Envelope.newBuilder().setDropCase(DropCase.newBuilder().setState(DropState.DROP_REPLIED)
                .setRefusal(DropRefusal.DROP_SOURCE_QUOTA).setAcknowledgement("Received ✓").setReplyCount(2)
                .addFiles(DropFileStatus.newBuilder().setId(bytes(16, 26)).setName("memo ✓.pdf").setSize(100_000)
                        .setReceived(61440))).build());
        out.add(Envelope.newBuilder().setDropCase(DropCase.newBuilder().setState(DropState.DROP_RECEIVED)
                .setRefusal(DropRefusal.DROP_TOO_LARGE).setMaxFileSize(1L << 30)).build());
        out.add(Envelope.newBuilder().setDropReply(DropReply.newBuilder().setId(bytes(16, 18)).setComposedAtMs(7)
                .setText("thank you ✓")).build());
        // PROTOCOL.md §13.4: the operator sync, one of each operation.
        org.allium.protocol.proto.DropOperator op = org.allium.protocol.proto.DropOperator.newBuilder()
                .setKey(bytes(32, 19)).setName("Ada ✓").build();
        out.add(Envelope.newBuilder().setDropSync(org.allium.protocol.proto.DropSync.newBuilder().setId(bytes(16, 20))
                .setCaseRef(bytes(16, 21)).setHead(org.allium.protocol.proto.DropSyncHead.newBuilder()
                        .setPseudonym("calm otter 12").setState(DropState.DROP_READ).setCreatedAtMs(8).setUpdatedAtMs(9)
                        .setAssignee(op))).build());
        out.add(Envelope.newBuilder().setDropSync(org.allium.protocol.proto.DropSync.newBuilder().setId(bytes(16, 22))
                .setCaseRef(bytes(16, 21)).setItem(org.allium.protocol.proto.DropSyncItem.newBuilder()
                        .setItemId(bytes(16, 23)).setKind(org.allium.protocol.proto.DropItemKind.DROP_ITEM_REPLY)
                        .setComposedAtMs(10).setAuthor(op).setText("who else was there?"))).build());
        out.add(Envelope.newBuilder().setDropSync(org.allium.protocol.proto.DropSync.newBuilder().setId(bytes(16, 24))
                .setCaseRef(bytes(16, 21)).setSet(org.allium.protocol.proto.DropSyncSet.newBuilder()
                        .setState(DropState.DROP_CLOSED).setSetAssignee(true).setAssignee(bytes(32, 19)))).build());
        out.add(Envelope.newBuilder().setDropSync(org.allium.protocol.proto.DropSync.newBuilder().setId(bytes(16, 25))
                .setCaseRef(bytes(16, 21)).setDelete(org.allium.protocol.proto.DropSyncDelete.getDefaultInstance())).build());
        out.add(Envelope.newBuilder().setDropSync(org.allium.protocol.proto.DropSync.newBuilder().setId(bytes(16, 29))
                .setCaseRef(bytes(16, 21)).setFile(org.allium.protocol.proto.DropSyncFile.newBuilder()
                        .setItemId(bytes(16, 23)).setFile(dropFile))).build());
        out.add(Envelope.newBuilder().setDropSyncAck(org.allium.protocol.proto.DropSyncAck.newBuilder()
                .addIds(bytes(16, 20)).addIds(bytes(16, 22))).build());
        out.add(Envelope.newBuilder().setFileOffer(FileOffer.newBuilder().setId(bytes(16, 13)).setSequence(43)
                .setComposedAtMs(6).setName("report.pdf").setSize(1_000_000).setChunkSize(61440)
                .setFileSha256(bytes(32, 14)).setChunkHashesSha256(bytes(32, 15))).build());
        out.add(Envelope.newBuilder().setFileAccept(FileAccept.newBuilder().setFileId(bytes(16, 13))).build());
        out.add(Envelope.newBuilder().setFileDecline(FileDecline.newBuilder().setFileId(bytes(16, 13))).build());
        out.add(Envelope.newBuilder().setFileResume(FileResume.newBuilder().setFileId(bytes(16, 13))
                .setHave(bytes(3, 0x0f)).setWindow(16).setNeedHashes(true)).build());
        out.add(Envelope.newBuilder().setFileHashes(FileHashes.newBuilder().setFileId(bytes(16, 13)).setFirstIndex(0)
                .setHashes(bytes(64, 16))).build());
        out.add(Envelope.newBuilder().setFileChunk(FileChunk.newBuilder().setFileId(bytes(16, 13)).setIndex(3)
                .setData(bytes(61440, 17))).build());
        out.add(Envelope.newBuilder().setFileProgress(FileProgress.newBuilder().setFileId(bytes(16, 13)).addVerified(0)
                .addVerified(3)).build());
        out.add(Envelope.newBuilder().setFileDone(FileDone.newBuilder().setFileId(bytes(16, 13))).build());
        out.add(Envelope.newBuilder().setFileAbort(FileAbort.newBuilder().setFileId(bytes(16, 13))
                .setReason(FileAbortReason.HASH_MISMATCH)).build());
        out.add(Envelope.newBuilder().setGroupInvitation(GroupVectors.invitation()).build());
        out.add(Envelope.newBuilder().setGroupMessage(GroupVectors.post()).build());
        out.add(Envelope.newBuilder().setGroupSummary(GroupVectors.summary()).build());
        Set<Envelope.BodyCase> covered = EnumSet.noneOf(Envelope.BodyCase.class);
        out.forEach(e -> covered.add(e.getBodyCase()));
        Set<Envelope.BodyCase> expected = EnumSet.allOf(Envelope.BodyCase.class);
        expected.remove(Envelope.BodyCase.BODY_NOT_SET);
        if (!covered.equals(expected)) {
            throw new AssertionError("samples miss " + expected.removeAll(covered) + expected);
        }
        return out;
    }
}
