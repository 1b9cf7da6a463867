package org.allium.core.files;

import com.google.protobuf.ByteString;
import java.util.Collection;
import org.allium.contacts.api.MessageId;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.FileAbort;
import org.allium.protocol.proto.FileAbortReason;
import org.allium.protocol.proto.FileAccept;
import org.allium.protocol.proto.FileDecline;
import org.allium.protocol.proto.FileDone;
import org.allium.protocol.proto.FileHashes;
import org.allium.protocol.proto.FileProgress;
import org.allium.protocol.proto.FileResume;

/** Builders of the file messages (PROTOCOL.md §9). Stateless. */
final class Wire {
    private Wire() {
    }

    static ByteString id(MessageId id) {
        return ByteString.copyFrom(id.toBytes());
    }

    static MessageId id(ByteString b) {
        return MessageId.fromBytes(b.toByteArray());
    }

    static Envelope accept(MessageId id) {
        return Envelope.newBuilder().setFileAccept(FileAccept.newBuilder().setFileId(id(id))).build();
    }

    static Envelope decline(MessageId id) {
        return Envelope.newBuilder().setFileDecline(FileDecline.newBuilder().setFileId(id(id))).build();
    }

    static Envelope abort(MessageId id, FileAbortReason reason) {
        return Envelope.newBuilder().setFileAbort(FileAbort.newBuilder().setFileId(id(id)).setReason(reason)).build();
    }

    static Envelope done(MessageId id) {
        return Envelope.newBuilder().setFileDone(FileDone.newBuilder().setFileId(id(id))).build();
    }

    static Envelope resume(MessageId id, byte[] have, int window, boolean needHashes) {
        return Envelope.newBuilder().setFileResume(FileResume.newBuilder().setFileId(id(id))
                .setHave(ByteString.copyFrom(have)).setWindow(window).setNeedHashes(needHashes)).build();
    }

    static Envelope hashes(MessageId id, int first, byte[] all, int from, int count) {
        return Envelope.newBuilder().setFileHashes(FileHashes.newBuilder().setFileId(id(id)).setFirstIndex(first)
                .setHashes(ByteString.copyFrom(all, from * 32, count * 32))).build();
    }

    static Envelope progress(MessageId id, Collection<Integer> verified) {
        return Envelope.newBuilder().setFileProgress(FileProgress.newBuilder().setFileId(id(id))
                .addAllVerified(verified)).build();
    }
}
