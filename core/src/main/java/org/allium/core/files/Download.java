package org.allium.core.files;

import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.logging.Logger;
import org.allium.contacts.api.FileData;
import org.allium.contacts.api.FileOfferSpec;
import org.allium.contacts.api.FileRecord;
import org.allium.contacts.api.FileState;
import org.allium.contacts.api.StoreException;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.FileAbortReason;
import org.allium.protocol.proto.FileChunk;
import org.allium.protocol.proto.FileHashes;

/**
 * One attempt of the receiver (PROTOCOL.md §9.2): dial the sender's endpoint with purpose
 * FILE_STREAM, say what we have, take the hash list if we lack it, then verify, store and
 * confirm chunks until the file is complete. Heap: one chunk buffer, the hash list (32 bytes
 * a chunk) and a bitmap, whatever the file size.
 */
final class Download {
    private static final Logger LOG = Logger.getLogger(Download.class.getName());
    /** Confirm (after a sync) at least every this many chunks. */
    static final int PROGRESS_BATCH = 16;
    /** Bad chunks tolerated per transfer (re-requested) before it fails. */
    static final int MAX_BAD_CHUNKS = 3;
    static final Duration READ_TIMEOUT = Duration.ofSeconds(120);

    private final FileEngine engine;
    private final Transfer t;

    Download(FileEngine engine, Transfer t) {
        this.engine = engine;
        this.t = t;
    }

    /** @return true if nothing is left to retry (complete, failed, paused), false to try again later */
    boolean run() {
        FileRecord r;
        synchronized (t) {
            r = t.rec;
        }
        FileOfferSpec o = r.offer();
        int count = o.chunkCount();
        FileLink link = null;
        try (FileData data = engine.profile().files().open(r)) {
            byte[] hashes = count == 0 ? new byte[0] : data.readHashes().orElse(null);
            BitSet have = have(data, o);
            link = engine.links().dial(r.contact());
            synchronized (t) {
                if (t.rec.state() != FileState.ACTIVE) {
                    link.close();
                    return true;
                }
                t.link = link;
                t.lastInputNanos = System.nanoTime();
            }
            link.setReadTimeout(READ_TIMEOUT);
            link.send(Wire.resume(r.id(), bitmap(have, count), FileEngine.WINDOW, hashes == null));
            if (hashes == null) {
                hashes = receiveHashes(link, r);
                if (hashes == null) {
                    return true;
                }
                data.writeHashes(hashes);
            }
            byte[] buf = new byte[o.chunkSize()];
            MessageDigest md = Hashing.sha256();
            List<Integer> pending = new ArrayList<>();
            while (have.cardinality() < count) {
                Envelope e = receive(link);
                if (e == null) {
                    return false;
                }
                if (e.hasFileAbort()) {
                    engine.aborted(t, e.getFileAbort().getReason());
                    return true;
                }
                if (!e.hasFileChunk()) {
                    continue;
                }
                FileChunk c = e.getFileChunk();
                engine.countReceived();
                int idx = c.getIndex();
                if (!Wire.id(c.getFileId()).equals(r.id()) || idx < 0 || idx >= count
                        || c.getData().size() != o.chunkLength(idx)) {
                    link.send(Wire.abort(r.id(), FileAbortReason.FILE_ABORT_UNSPECIFIED));
                    engine.fail(t, "The sender sent data that does not belong to this file.");
                    return true;
                }
                if (have.get(idx)) {
                    continue; // re-sent after a resume while already in flight
                }
                int len = c.getData().size();
                c.getData().copyTo(buf, 0);
                if (!Hashing.matches(md, buf, 0, len, hashes, idx)) {
                    int bad;
                    synchronized (t) {
                        bad = ++t.badChunks;
                    }
                    LOG.fine("a chunk failed verification (" + bad + ")");
                    if (bad >= MAX_BAD_CHUNKS) {
                        link.send(Wire.abort(r.id(), FileAbortReason.HASH_MISMATCH));
                        engine.fail(t, "The sender's data repeatedly did not match the offer.");
                        return true;
                    }
                    confirm(data, link, r, pending);
                    link.send(Wire.resume(r.id(), bitmap(have, count), FileEngine.WINDOW, false)); // ask again
                    continue;
                }
                data.writeChunk(idx, buf, 0, len);
                have.set(idx);
                pending.add(idx);
                synchronized (t) {
                    t.done += len;
                }
                if (pending.size() >= PROGRESS_BATCH || !link.inputPending()) {
                    confirm(data, link, r, pending);
                    engine.progress(t, false);
                }
            }
            confirm(data, link, r, pending);
            if (!wholeFileMatches(data, o, buf)) {
                link.send(Wire.abort(r.id(), FileAbortReason.HASH_MISMATCH));
                engine.fail(t, "The received file does not match the offer's hash.");
                return true;
            }
            link.send(Wire.done(r.id()));
            engine.setState(t, FileState.COMPLETE, null);
            engine.progress(t, true);
            link.finish();
            engine.completed(t);
            return true;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("No space left")) {
                engine.diskFull(t); // e.g. the sync of written chunks (writes themselves say DiskFullException)
                return true;
            }
            LOG.fine("file stream ended: " + e.getClass().getSimpleName());
            return false;
        } catch (org.allium.contacts.api.DiskFullException e) {
            engine.diskFull(t);
            return true;
        } catch (StoreException e) {
            LOG.warning("file transfer store failure: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (link != null) {
                link.close();
            }
            synchronized (t) {
                t.idle();
            }
        }
    }

    /** The next message on the stream, noting when it came (so a silent stream can be told from a busy one). */
    private Envelope receive(FileLink link) throws IOException {
        Envelope e = link.receive();
        t.lastInputNanos = System.nanoTime();
        return e;
    }

    /** Chunks already stored (scanned once, then kept in memory), and the verified byte count. */
    private BitSet have(FileData data, FileOfferSpec o) throws IOException {
        synchronized (t) {
            if (t.have != null) {
                return t.have;
            }
        }
        int count = o.chunkCount();
        BitSet have = new BitSet(count);
        byte[] buf = new byte[o.chunkSize()];
        long done = 0;
        for (int i = 0; i < count; i++) {
            int n = data.readChunk(i, buf);
            if (n == o.chunkLength(i)) {
                have.set(i);
                done += n;
            }
        }
        synchronized (t) {
            t.have = have;
            t.done = done;
        }
        return have;
    }

    /** Makes the pending chunks durable, then reports them (so a crash re-sends at most a window). */
    private static void confirm(FileData data, FileLink link, FileRecord r, List<Integer> pending) throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        data.force();
        link.send(Wire.progress(r.id(), pending));
        pending.clear();
    }

    /** The hash list in runs, checked against the offer; null (transfer failed) if it does not match. */
    private byte[] receiveHashes(FileLink link, FileRecord r) throws IOException {
        int count = r.offer().chunkCount();
        byte[] hashes = new byte[count * 32];
        int next = 0;
        while (next < count) {
            Envelope e = receive(link);
            if (e == null) {
                throw new IOException("closed during the hash list");
            }
            if (e.hasFileAbort()) {
                engine.aborted(t, e.getFileAbort().getReason());
                return null;
            }
            if (!e.hasFileHashes()) {
                continue;
            }
            FileHashes h = e.getFileHashes();
            int n = h.getHashes().size() / 32;
            if (!Wire.id(h.getFileId()).equals(r.id()) || h.getFirstIndex() != next || next + n > count) {
                link.send(Wire.abort(r.id(), FileAbortReason.HASH_MISMATCH));
                engine.fail(t, "The sender's hash list does not match its offer.");
                return null;
            }
            h.getHashes().copyTo(hashes, next * 32);
            next += n;
        }
        if (!MessageDigest.isEqual(Hashing.sha256().digest(hashes), r.offer().chunkHashesSha256())) {
            link.send(Wire.abort(r.id(), FileAbortReason.HASH_MISMATCH));
            engine.fail(t, "The sender's hash list does not match its offer.");
            return null;
        }
        return hashes;
    }

    private static boolean wholeFileMatches(FileData data, FileOfferSpec o, byte[] buf) throws IOException {
        MessageDigest md = Hashing.sha256();
        for (int i = 0; i < o.chunkCount(); i++) {
            int n = data.readChunk(i, buf);
            if (n != o.chunkLength(i)) {
                return false;
            }
            md.update(buf, 0, n);
        }
        return MessageDigest.isEqual(md.digest(), o.fileSha256());
    }

    /** PROTOCOL.md §9.2: bit i = byte i/8, bit i mod 8, least significant first. */
    static byte[] bitmap(BitSet have, int count) {
        byte[] b = new byte[(count + 7) / 8];
        for (int i = have.nextSetBit(0); i >= 0 && i < count; i = have.nextSetBit(i + 1)) {
            b[i >>> 3] |= (byte) (1 << (i & 7));
        }
        return b;
    }

    static BitSet fromBitmap(com.google.protobuf.ByteString b, int count) {
        BitSet s = new BitSet(count);
        int n = Math.min(b.size() * 8, count);
        for (int i = 0; i < n; i++) {
            if ((b.byteAt(i >>> 3) & (1 << (i & 7))) != 0) {
                s.set(i);
            }
        }
        return s;
    }
}
