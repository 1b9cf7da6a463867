package org.allium.core.files;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Logger;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.Direction;
import org.allium.contacts.api.FileData;
import org.allium.contacts.api.FileOfferSpec;
import org.allium.contacts.api.FileRecord;
import org.allium.contacts.api.FileState;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.StoreException;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.FileAbortReason;
import org.allium.protocol.proto.FileChunk;
import org.allium.protocol.proto.FileResume;

/**
 * The sender's side of one FILE_STREAM (PROTOCOL.md §9.2): answers the receiver's FileResume
 * with the hash list if asked, then the missing chunks in index order with at most
 * {@code window} unconfirmed, each read from the original file and checked against the hash
 * list first (a file changed since the offer ends the transfer; nothing wrong is sent). A
 * second thread reads the receiver's FileProgress / FileResume / FileDone / FileAbort.
 */
final class Upload {
    private static final Logger LOG = Logger.getLogger(Upload.class.getName());
    static final Duration FIRST_MESSAGE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(120);

    private final FileEngine engine;
    private final ContactId contact;
    private final FileLink link;

    // Guarded by this.
    private final ArrayDeque<Integer> queue = new ArrayDeque<>();
    private final Set<Integer> outstanding = new HashSet<>();
    private BitSet confirmed;
    private int window;
    private boolean done;
    private boolean ended;

    Upload(FileEngine engine, ContactId contact, FileLink link) {
        this.engine = engine;
        this.contact = contact;
        this.link = link;
    }

    void run() {
        Transfer t = null;
        try {
            link.setReadTimeout(FIRST_MESSAGE_TIMEOUT);
            Envelope first = link.receive();
            if (first == null || !first.hasFileResume()) {
                return;
            }
            FileResume res = first.getFileResume();
            MessageId id = Wire.id(res.getFileId());
            t = engine.find(contact, Direction.OUTGOING, id);
            if (t == null && engine.serveOther(contact, res, link)) {
                return; // someone else's file (a drop line's attachment for its operator)
            }
            if (t == null) {
                link.send(Wire.abort(id, FileAbortReason.UNKNOWN_FILE));
                link.finish();
                return;
            }
            FileRecord r;
            FileLink old;
            synchronized (t) {
                r = t.rec;
                old = t.link;
                t.link = link;
            }
            if (old != null) {
                old.close(); // the receiver redialled: the old stream is dead to it
            }
            switch (r.state()) {
                case CANCELLED -> {
                    link.send(Wire.abort(id, FileAbortReason.CANCELLED));
                    link.finish();
                    return;
                }
                case FAILED, DECLINED -> {
                    link.send(Wire.abort(id, FileEngine.SOURCE_GONE_HERE.equals(r.reason())
                            ? FileAbortReason.SOURCE_CHANGED : FileAbortReason.UNKNOWN_FILE));
                    link.finish();
                    return;
                }
                case PAUSED -> {
                    link.finish(); // not now: the receiver tries again later
                    return;
                }
                case OFFERED -> engine.setState(t, FileState.ACTIVE, null);
                default -> {
                }
            }
            serve(t, r, res);
        } catch (IOException e) {
            LOG.fine("file stream ended: " + e.getClass().getSimpleName());
        } catch (StoreException e) {
            LOG.warning("file transfer store failure: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            link.close();
            if (t != null) {
                synchronized (t) {
                    if (t.link == link) {
                        t.link = null;
                    }
                    t.idle();
                }
            }
        }
    }

    private void serve(Transfer t, FileRecord r, FileResume res) throws IOException, StoreException,
            InterruptedException {
        FileOfferSpec o = r.offer();
        int count = o.chunkCount();
        byte[] hashes;
        try (FileData data = engine.profile().files().open(r)) {
            hashes = count == 0 ? new byte[0] : data.readHashes().orElse(null);
        }
        if (hashes == null) {
            link.send(Wire.abort(r.id(), FileAbortReason.UNKNOWN_FILE));
            engine.fail(t, "The file's hash list is missing from the profile.");
            return;
        }
        FileChannel source;
        try {
            source = FileChannel.open(Path.of(r.sourcePath()), StandardOpenOption.READ);
        } catch (IOException e) {
            sourceChanged(t, r);
            return;
        }
        try (source) {
            if (source.size() != o.size()) {
                sourceChanged(t, r);
                return;
            }
            if (res.getNeedHashes()) {
                for (int i = 0; i < count; i += 1024) {
                    link.send(Wire.hashes(r.id(), i, hashes, i, Math.min(1024, count - i)));
                }
            }
            synchronized (this) {
                restart(res, count);
            }
            updateDone(t, o);
            link.setReadTimeout(READ_TIMEOUT);
            try {
                engine.io().execute(() -> readLoop(t, o, count));
            } catch (RejectedExecutionException e) {
                return;
            }
            ByteString fileId = Wire.id(r.id());
            ByteBuffer buf = ByteBuffer.allocate(o.chunkSize());
            MessageDigest md = Hashing.sha256();
            while (true) {
                int idx;
                synchronized (this) {
                    while (!ended && !done && (queue.isEmpty() || outstanding.size() >= window)) {
                        wait();
                    }
                    if (ended) {
                        return;
                    }
                    if (done) {
                        break;
                    }
                    idx = queue.poll();
                    outstanding.add(idx);
                }
                int len = o.chunkLength(idx);
                try {
                    Hashing.readFully(source, buf, (long) idx * o.chunkSize(), len);
                } catch (IOException e) {
                    sourceChanged(t, r);
                    return;
                }
                if (!Hashing.matches(md, buf.array(), 0, len, hashes, idx)) {
                    sourceChanged(t, r);
                    return;
                }
                // send() encodes and writes before it returns, so the buffer may be reused.
                link.send(Envelope.newBuilder().setFileChunk(FileChunk.newBuilder().setFileId(fileId).setIndex(idx)
                        .setData(UnsafeByteOperations.unsafeWrap(buf.array(), 0, len))).build());
                engine.countSent();
            }
            engine.setState(t, FileState.COMPLETE, null);
            engine.progress(t, true);
            link.finish();
        }
    }

    private void sourceChanged(Transfer t, FileRecord r) throws IOException {
        link.send(Wire.abort(r.id(), FileAbortReason.SOURCE_CHANGED));
        engine.fail(t, FileEngine.SOURCE_GONE_HERE);
    }

    /** Caller holds the lock: what to send after a (new) FileResume. */
    private void restart(FileResume res, int count) {
        BitSet have = Download.fromBitmap(res.getHave(), count);
        confirmed = have;
        queue.clear();
        outstanding.clear();
        for (int i = have.nextClearBit(0); i < count; i = have.nextClearBit(i + 1)) {
            queue.add(i);
        }
        window = Math.max(1, Math.min(FileEngine.WINDOW, res.getWindow()));
        notifyAll();
    }

    private void updateDone(Transfer t, FileOfferSpec o) {
        long bytes = 0;
        synchronized (this) {
            for (int i = confirmed.nextSetBit(0); i >= 0; i = confirmed.nextSetBit(i + 1)) {
                bytes += o.chunkLength(i);
            }
        }
        synchronized (t) {
            t.done = bytes;
        }
    }

    private void readLoop(Transfer t, FileOfferSpec o, int count) {
        try {
            while (true) {
                Envelope e = link.receive();
                if (e == null) {
                    break;
                }
                if (e.hasFileProgress()) {
                    long added = 0;
                    synchronized (this) {
                        for (int i : e.getFileProgress().getVerifiedList()) {
                            outstanding.remove(i);
                            if (i >= 0 && i < count && !confirmed.get(i)) {
                                confirmed.set(i);
                                added += o.chunkLength(i);
                            }
                        }
                        notifyAll();
                    }
                    synchronized (t) {
                        t.done += added;
                    }
                    engine.progress(t, false);
                } else if (e.hasFileResume()) {
                    synchronized (this) {
                        restart(e.getFileResume(), count);
                    }
                } else if (e.hasFileDone()) {
                    synchronized (this) {
                        done = true;
                        notifyAll();
                    }
                    return;
                } else if (e.hasFileAbort()) {
                    engine.aborted(t, e.getFileAbort().getReason());
                    break;
                }
            }
        } catch (IOException e) {
            LOG.fine("file stream read ended: " + e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            LOG.warning("file stream reader failed: " + e);
        }
        synchronized (this) {
            ended = true;
            notifyAll();
        }
        link.close();
    }
}
