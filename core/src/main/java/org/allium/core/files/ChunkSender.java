package org.allium.core.files;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;
import org.allium.contacts.api.FileData;
import org.allium.contacts.api.FileOfferSpec;
import org.allium.contacts.api.MessageId;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.FileAbortReason;
import org.allium.protocol.proto.FileChunk;
import org.allium.protocol.proto.FileResume;

/**
 * The sender's side of one file's data (PROTOCOL.md §9.2) over any stream, for transfers that
 * are not a contact's offer (a drop line's attachments: the source uploading, the drop line
 * serving its operators). Answers the receiver's FileResume with the hash list if asked, then
 * the missing chunks in index order with at most {@code window} unconfirmed, each read and
 * checked against the hash list before it is sent (wrong data is never sent); follows fresh
 * FileResumes; ends at FileDone or FileAbort. One thread: it reads the receiver's messages
 * whenever the window is full. Heap: one chunk buffer and the hash list.
 */
public final class ChunkSender {
    /** How a send ended. */
    public enum Result {
        /** The receiver has the whole file (FileDone). */
        COMPLETE,
        /** The receiver ended it (FileAbort). */
        ABORTED,
        /** Our copy changed or vanished: FileAbort{SOURCE_CHANGED} was sent. */
        SOURCE_CHANGED
    }

    /** Where the chunks come from. */
    @FunctionalInterface
    public interface Chunks {
        /** Reads chunk {@code index} ({@code length} bytes) into the start of {@code buf}; false if it is not there. */
        boolean read(int index, byte[] buf, int length) throws IOException;
    }

    /** A local file prepared for sending: its offer fields (named {@code name}) and chunk hash list. */
    public record Prepared(Path path, FileOfferSpec spec, byte[] chunkHashes) {
        @Override
        public String toString() {
            return "Prepared[" + spec + "]";
        }
    }

    private ChunkSender() {
    }

    /**
     * Hashes a local file once (chunk size {@link FileEngine#CHUNK_SIZE}). Blocks on disk.
     *
     * @param name the plain file name to announce (PROTOCOL.md §9.1)
     * @throws IOException if it cannot be read or is larger than {@code maxSize}
     */
    public static Prepared prepare(Path file, String name, long maxSize) throws IOException {
        Hashing.Result h = Hashing.hash(file, FileEngine.CHUNK_SIZE, maxSize);
        return new Prepared(file, new FileOfferSpec(name, h.size(), FileEngine.CHUNK_SIZE, h.fileSha256(),
                h.chunkHashesSha256()), h.chunkHashes());
    }

    /** The chunks of a local file, which must still be as prepared. Close the returned channel's owner. */
    public static Chunks fromFile(FileChannel ch, FileOfferSpec spec) {
        return (index, buf, length) -> {
            if (ch.size() != spec.size()) {
                return false;
            }
            ByteBuffer b = ByteBuffer.wrap(buf, 0, length);
            long pos = (long) index * spec.chunkSize();
            while (b.hasRemaining()) {
                int n = ch.read(b, pos + b.position());
                if (n < 0) {
                    return false;
                }
            }
            return true;
        };
    }

    /** The chunks of data stored in the profile (as received and verified). */
    public static Chunks fromData(FileData data) {
        return (index, buf, length) -> data.readChunk(index, buf) == length;
    }

    /** Opens a prepared local file for {@link #send}. */
    public static FileChannel open(Prepared p) throws IOException {
        return FileChannel.open(p.path(), StandardOpenOption.READ);
    }

    /**
     * Serves one receiver on {@code link}, from its first FileResume on. Blocks until the end.
     *
     * @param confirmed told the bytes the receiver has confirmed so far (progress); may be null
     * @throws IOException if the stream broke or timed out (the receiver resumes later)
     */
    public static Result send(FileLink link, MessageId id, FileOfferSpec spec, byte[] hashes, Chunks chunks,
                              FileResume first, LongConsumer confirmed) throws IOException {
        int count = spec.chunkCount();
        ByteString fileId = Wire.id(id);
        if (first.getNeedHashes()) {
            for (int i = 0; i < count; i += 1024) {
                link.send(Wire.hashes(id, i, hashes, i, Math.min(1024, count - i)));
            }
        }
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        Set<Integer> outstanding = new HashSet<>();
        BitSet have = Download.fromBitmap(first.getHave(), count);
        int window = restart(first, count, queue, outstanding, have);
        long bytes = bytes(have, spec);
        if (confirmed != null) {
            confirmed.accept(bytes);
        }
        byte[] buf = new byte[Math.max(1, spec.chunkSize())];
        MessageDigest md = Hashing.sha256();
        while (true) {
            while (!queue.isEmpty() && outstanding.size() < window) {
                int idx = queue.poll();
                int len = spec.chunkLength(idx);
                if (!chunks.read(idx, buf, len) || !Hashing.matches(md, buf, 0, len, hashes, idx)) {
                    link.send(Wire.abort(id, FileAbortReason.SOURCE_CHANGED));
                    return Result.SOURCE_CHANGED;
                }
                outstanding.add(idx);
                link.send(Envelope.newBuilder().setFileChunk(FileChunk.newBuilder().setFileId(fileId).setIndex(idx)
                        .setData(UnsafeByteOperations.unsafeWrap(buf, 0, len))).build());
            }
            Envelope e = link.receive();
            if (e == null) {
                throw new java.io.EOFException("the receiver closed the stream");
            }
            if (e.hasFileProgress()) {
                for (int i : e.getFileProgress().getVerifiedList()) {
                    outstanding.remove(i);
                    if (i >= 0 && i < count && !have.get(i)) {
                        have.set(i);
                        bytes += spec.chunkLength(i);
                    }
                }
                if (confirmed != null) {
                    confirmed.accept(bytes);
                }
            } else if (e.hasFileResume()) {
                have = Download.fromBitmap(e.getFileResume().getHave(), count);
                window = restart(e.getFileResume(), count, queue, outstanding, have);
                bytes = bytes(have, spec);
            } else if (e.hasFileDone()) {
                return Result.COMPLETE;
            } else if (e.hasFileAbort()) {
                return Result.ABORTED;
            }
        }
    }

    private static int restart(FileResume res, int count, ArrayDeque<Integer> queue, Set<Integer> outstanding,
                               BitSet have) {
        queue.clear();
        outstanding.clear();
        for (int i = have.nextClearBit(0); i < count; i = have.nextClearBit(i + 1)) {
            queue.add(i);
        }
        return Math.max(1, Math.min(FileEngine.WINDOW, res.getWindow()));
    }

    private static long bytes(BitSet have, FileOfferSpec spec) {
        long bytes = 0;
        for (int i = have.nextSetBit(0); i >= 0 && i < spec.chunkCount(); i = have.nextSetBit(i + 1)) {
            bytes += spec.chunkLength(i);
        }
        return bytes;
    }
}
