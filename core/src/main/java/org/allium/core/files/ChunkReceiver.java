package org.allium.core.files;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.allium.contacts.api.FileData;
import org.allium.contacts.api.FileOfferSpec;
import org.allium.contacts.api.MessageId;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.FileAbortReason;
import org.allium.protocol.proto.FileChunk;
import org.allium.protocol.proto.FileHashes;

/**
 * The receiver's side of one file's data (PROTOCOL.md §9.2) over any stream, into data kept in
 * the profile, for transfers that are not a contact's offer (a drop line's attachments: the drop
 * line taking a source's upload, an operator fetching from its drop line). Says what it has
 * (FileResume), takes and checks the hash list if it lacks it, verifies each chunk against it
 * before writing, confirms chunks (FileProgress) only once they are durable, checks the whole
 * file and sends FileDone. Heap: one chunk buffer, the hash list and a bitmap.
 */
public final class ChunkReceiver {
    /** Bad chunks tolerated (asked for again) before the transfer fails. */
    static final int MAX_BAD_CHUNKS = 3;

    /** How a receive ended; {@code reason} is a sentence for people when it failed. */
    public record Result(boolean complete, boolean abortedBySender, String reason) {
        static final Result COMPLETE = new Result(true, false, null);

        static Result failed(String why) {
            return new Result(false, false, why);
        }
    }

    /** Told how many bytes are verified and durable, after each confirmation. */
    @FunctionalInterface
    public interface Progress {
        void stored(long bytes) throws IOException;
    }

    private ChunkReceiver() {
    }

    /** Bytes of the chunks already stored whole in {@code data} (each is decrypted once). */
    public static BitSet have(FileData data, FileOfferSpec spec) throws IOException {
        int count = spec.chunkCount();
        BitSet have = new BitSet(count);
        byte[] buf = new byte[Math.max(1, spec.chunkSize())];
        for (int i = 0; i < count; i++) {
            if (data.readChunk(i, buf) == spec.chunkLength(i)) {
                have.set(i);
            }
        }
        return have;
    }

    /**
     * Receives the rest of file {@code id} on {@code link}, starting with our FileResume.
     * Blocks until the end.
     *
     * @throws IOException if the stream broke or timed out (nothing verified is lost: resume later)
     */
    public static Result receive(FileLink link, MessageId id, FileOfferSpec spec, FileData data, Progress progress)
            throws IOException {
        int count = spec.chunkCount();
        byte[] hashes = count == 0 ? new byte[0] : data.readHashes().orElse(null);
        BitSet have = have(data, spec);
        long bytes = bytes(have, spec);
        link.send(Wire.resume(id, Download.bitmap(have, count), FileEngine.WINDOW, hashes == null));
        if (hashes == null) {
            hashes = receiveHashes(link, id, spec);
            if (hashes == null) {
                link.send(Wire.abort(id, FileAbortReason.HASH_MISMATCH));
                return Result.failed("The sender's hash list does not match its announcement.");
            }
            try {
                data.writeHashes(hashes);
            } catch (org.allium.contacts.api.DiskFullException e) {
                throw new IOException("the disk is full", e); // stops here; resumed when there is room
            }
        }
        byte[] buf = new byte[Math.max(1, spec.chunkSize())];
        List<Integer> pending = new ArrayList<>();
        try {
            return receiveChunks(link, id, spec, data, progress, hashes, have, bytes, buf, pending);
        } catch (IOException e) {
            // The stream broke: what was verified and written still counts once it is durable.
            if (!pending.isEmpty()) {
                try {
                    data.force();
                    progress.stored(bytes(have, spec));
                } catch (IOException ignored) {
                    // the next attempt finds what is there
                }
            }
            throw e;
        }
    }

    private static long bytes(BitSet have, FileOfferSpec spec) {
        long n = 0;
        for (int i = have.nextSetBit(0); i >= 0 && i < spec.chunkCount(); i = have.nextSetBit(i + 1)) {
            n += spec.chunkLength(i);
        }
        return n;
    }

    private static Result receiveChunks(FileLink link, MessageId id, FileOfferSpec spec, FileData data,
                                        Progress progress, byte[] hashes, BitSet have, long bytes, byte[] buf,
                                        List<Integer> pending) throws IOException {
        int count = spec.chunkCount();
        MessageDigest md = Hashing.sha256();
        int bad = 0;
        while (have.cardinality() < count) {
            Envelope e = link.receive();
            if (e == null) {
                throw new java.io.EOFException("the sender closed the stream");
            }
            if (e.hasFileAbort()) {
                return new Result(false, true, "The sender ended the transfer.");
            }
            if (!e.hasFileChunk()) {
                continue;
            }
            FileChunk c = e.getFileChunk();
            int idx = c.getIndex();
            if (!Wire.id(c.getFileId()).equals(id) || idx < 0 || idx >= count || c.getData().size() != spec.chunkLength(idx)) {
                link.send(Wire.abort(id, FileAbortReason.FILE_ABORT_UNSPECIFIED));
                return Result.failed("The sender sent data that does not belong to this file.");
            }
            if (have.get(idx)) {
                continue; // in flight when we asked again
            }
            int len = c.getData().size();
            c.getData().copyTo(buf, 0);
            if (!Hashing.matches(md, buf, 0, len, hashes, idx)) {
                if (++bad >= MAX_BAD_CHUNKS) {
                    link.send(Wire.abort(id, FileAbortReason.HASH_MISMATCH));
                    return Result.failed("The sender's data repeatedly did not match its announcement.");
                }
                bytes = confirm(data, link, id, pending, bytes, 0, progress);
                link.send(Wire.resume(id, Download.bitmap(have, count), FileEngine.WINDOW, false));
                continue;
            }
            try {
                data.writeChunk(idx, buf, 0, len);
            } catch (org.allium.contacts.api.DiskFullException full) {
                throw new IOException("the disk is full", full); // stops here; resumed when there is room
            }
            have.set(idx);
            pending.add(idx);
            if (pending.size() >= Download.PROGRESS_BATCH || !link.inputPending()) {
                bytes = confirm(data, link, id, pending, bytes, spec, progress);
            }
        }
        bytes = confirm(data, link, id, pending, bytes, spec, progress);
        if (!wholeFileMatches(data, spec, buf)) {
            link.send(Wire.abort(id, FileAbortReason.HASH_MISMATCH));
            return Result.failed("The received file does not match its announced hash.");
        }
        link.send(Wire.done(id));
        return Result.COMPLETE;
    }

    private static long confirm(FileData data, FileLink link, MessageId id, List<Integer> pending, long bytes,
                                FileOfferSpec spec, Progress progress) throws IOException {
        long added = 0;
        for (int i : pending) {
            added += spec.chunkLength(i);
        }
        return confirm(data, link, id, pending, bytes, added, progress);
    }

    /** Makes the pending chunks durable, then reports them (a crash re-sends at most a window). */
    private static long confirm(FileData data, FileLink link, MessageId id, List<Integer> pending, long bytes,
                                long added, Progress progress) throws IOException {
        if (pending.isEmpty()) {
            return bytes;
        }
        data.force();
        link.send(Wire.progress(id, pending));
        pending.clear();
        long now = bytes + added;
        progress.stored(now);
        return now;
    }

    /** The hash list in runs, checked against the announcement; null if it does not match. */
    private static byte[] receiveHashes(FileLink link, MessageId id, FileOfferSpec spec) throws IOException {
        int count = spec.chunkCount();
        byte[] hashes = new byte[count * 32];
        int next = 0;
        while (next < count) {
            Envelope e = link.receive();
            if (e == null) {
                throw new java.io.EOFException("closed during the hash list");
            }
            if (e.hasFileAbort()) {
                return null;
            }
            if (!e.hasFileHashes()) {
                continue;
            }
            FileHashes h = e.getFileHashes();
            int n = h.getHashes().size() / 32;
            if (!Wire.id(h.getFileId()).equals(id) || h.getFirstIndex() != next || next + n > count) {
                return null;
            }
            h.getHashes().copyTo(hashes, next * 32);
            next += n;
        }
        return MessageDigest.isEqual(Hashing.sha256().digest(hashes), spec.chunkHashesSha256()) ? hashes : null;
    }

    private static boolean wholeFileMatches(FileData data, FileOfferSpec spec, byte[] buf) throws IOException {
        MessageDigest md = Hashing.sha256();
        for (int i = 0; i < spec.chunkCount(); i++) {
            int n = data.readChunk(i, buf);
            if (n != spec.chunkLength(i)) {
                return false;
            }
            md.update(buf, 0, n);
        }
        return MessageDigest.isEqual(md.digest(), spec.fileSha256());
    }
}
