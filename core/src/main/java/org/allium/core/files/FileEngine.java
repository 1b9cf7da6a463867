package org.allium.core.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.allium.contacts.api.ContactState;
import org.allium.contacts.api.ContactStateException;
import org.allium.contacts.api.Direction;
import org.allium.contacts.api.FileData;
import org.allium.contacts.api.FileOfferSpec;
import org.allium.contacts.api.FileRecord;
import org.allium.contacts.api.FileState;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.StoreException;
import org.allium.core.api.ContactId;
import org.allium.core.api.FileEvent;
import org.allium.core.api.FileTransfer;
import org.allium.core.api.FileTransfers;
import org.allium.core.api.IllegalContactStateException;
import org.allium.core.api.MessengerException;
import org.allium.core.api.StorageException;
import org.allium.core.api.Subscription;
import org.allium.core.api.UnknownContactException;
import org.allium.protocol.Envelopes;
import org.allium.protocol.Limits;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.FileAbortReason;
import org.allium.protocol.proto.FileOffer;

/**
 * The file transfer engine (PROTOCOL.md §9): offers go through the conversation's outbox; the
 * receiver pulls the data over FILE_STREAM connections it dials ({@link Download}); the sender
 * serves them ({@link Upload}). Thread-safe: each transfer's live state is guarded by its
 * {@link Transfer}; store and network work runs on the injected io executor; events go out
 * in order on the injected event executor.
 */
public final class FileEngine implements FileTransfers {
    private static final Logger LOG = Logger.getLogger(FileEngine.class.getName());
    static final String MAX_INCOMING = "files.max-incoming-bytes";
    static final String AUTO_ACCEPT = "files.auto-accept.";
    static final String SAVE_TO = "files.save-to.";
    /** Chunk size of our offers: the largest the protocol allows. */
    public static final int CHUNK_SIZE = Limits.MAX_CHUNK_SIZE;
    /** Chunks the sender may have in flight (the protocol's maximum). */
    static final int WINDOW = Limits.MAX_WINDOW;
    /** {@link #WINDOW}, for tests and figures outside the package. */
    public static final int WINDOW_CHUNKS = WINDOW;
    /** Incoming offers waiting for an answer, per contact; more are declined (offer floods). */
    static final int MAX_WAITING_OFFERS = 50;
    /** File streams served to one contact at once (a striping sender uses a few). */
    static final int MAX_STREAMS_PER_CONTACT = 4;
    /**
     * File streams served at once over all contacts: each holds an io thread for as long as it
     * lasts, so without this many contacts together could grow threads without bound.
     */
    static final int MAX_STREAMS_SERVED = 16;
    private final java.util.concurrent.Semaphore servingSlots =
            new java.util.concurrent.Semaphore(MAX_STREAMS_SERVED);
    /** Downloads running per contact: at most {@link #MAX_STREAMS_PER_CONTACT}, what the sender serves us. */
    private final Map<org.allium.contacts.api.ContactId, java.util.concurrent.atomic.AtomicInteger> downloading =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** How long a stream beyond the bounds waits for a slot before it is closed ({@link #serve}). */
    static final Duration SLOT_WAIT = Duration.ofSeconds(5);
    private final Map<org.allium.contacts.api.ContactId, java.util.concurrent.Semaphore> serving =
            new ConcurrentHashMap<>();
    /** Free space kept beyond an accepted file. */
    static final long DISK_MARGIN = 64L << 20;
    static final long EVENT_INTERVAL_NANOS = 250_000_000L;
    /** Why an outgoing transfer failed when its original changed or vanished. */
    static final String SOURCE_GONE_HERE = "The file changed or was removed since it was offered.";
    /** Why an incoming transfer failed when the sender's original changed or vanished. */
    static final String SOURCE_GONE_THERE = "The file changed or was removed on the sender's side.";
    /** Why an incoming transfer is paused when the profile's disk is full; it goes on by itself. */
    public static final String DISK_FULL =
            "Paused: the disk is full. Nothing received is lost; it goes on by itself once there is room.";

    private final Profile profile;
    private final FileLinks links;
    private final ExecutorService io;
    private final ScheduledExecutorService timers;
    private final Executor events;
    private final Duration retryCap;
    /**
     * A running download whose stream has received nothing for this long when the contact's
     * session comes up again is taken for dead and dialled anew ({@link #contactOnline}).
     */
    volatile Duration staleAfter = Duration.ofSeconds(5);
    private final java.security.SecureRandom random = new java.security.SecureRandom();
    private final Map<MessageId, Transfer> transfers = new ConcurrentHashMap<>();
    private final List<Consumer<FileEvent>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;
    /** Goes on with the downloads paused for a full disk when the store has room again. */
    private final org.allium.contacts.api.StoreListener diskListener = e -> {
        if (e instanceof org.allium.contacts.api.StoreEvent.DiskSpaceChanged d && d.bytesNeeded() == 0) {
            diskSpaceRestored();
        }
    };
    private final java.util.concurrent.atomic.AtomicLong chunksSent = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong chunksReceived = new java.util.concurrent.atomic.AtomicLong();

    /** Chunks this engine sent since it started (tests and figures: re-sent chunks after interruptions). */
    public long chunksSent() {
        return chunksSent.get();
    }

    /** Chunk messages this engine received since it started, duplicates included. */
    public long chunksReceived() {
        return chunksReceived.get();
    }

    void countSent() {
        chunksSent.incrementAndGet();
    }

    void countReceived() {
        chunksReceived.incrementAndGet();
    }

    /**
     * @param io       may block (dials, streams, store, disk)
     * @param timers   retry timers only, never blocks
     * @param events   one thread, ordered event delivery
     * @param retryCap longest wait between attempts to reach a contact's file stream
     */
    public FileEngine(Profile profile, FileLinks links, ExecutorService io, ScheduledExecutorService timers,
            Executor events, Duration retryCap) {
        this.profile = profile;
        this.links = links;
        this.io = io;
        this.timers = timers;
        this.events = events;
        this.retryCap = retryCap;
    }

    /** Loads the stored transfers and removes orphaned data. Blocks on store I/O. */
    public void load() throws StoreException {
        try {
            int n = profile.files().sweep();
            if (n > 0) {
                LOG.fine("removed " + n + " orphaned file data files");
            }
        } catch (IOException e) {
            LOG.warning("sweeping file data failed: " + e.getClass().getSimpleName());
        }
        for (FileRecord r : profile.files().list()) {
            Transfer t = new Transfer(r);
            profile.settings().get(SAVE_TO + r.id().toHex()).ifPresent(p -> t.saveTo = Path.of(p));
            transfers.put(r.id(), t);
        }
        profile.addListener(diskListener);
    }

    /**
     * The contact's session came up: start its accepted downloads, and try again those paused
     * for a full disk (the disk may have room again since a restart). Non-blocking.
     */
    public void contactOnline(org.allium.contacts.api.ContactId contact) {
        for (Transfer t : transfers.values()) {
            synchronized (t) {
                if (t.rec.contact().equals(contact) && pausedForDisk(t)) {
                    goOnAfterDiskFull(t);
                    continue;
                }
                if (t.rec.contact().equals(contact) && t.rec.direction() == Direction.INCOMING
                        && t.rec.state() == FileState.ACTIVE && !t.running) {
                    if (t.retry != null) {
                        t.retry.cancel(false);
                        t.retry = null;
                    }
                    t.failures = 0;
                    startDownload(t);
                } else if (t.rec.contact().equals(contact) && t.rec.direction() == Direction.INCOMING
                        && t.running && t.link != null && System.nanoTime() - t.lastInputNanos > staleAfter.toNanos()) {
                    // The contact came back (perhaps restarted) while our stream to it has been
                    // silent: its far end is most likely gone, and tor may not tell us for minutes
                    // (seen on CI: 120 s until the read timeout). Dial a fresh stream now; at most
                    // a window of chunks is sent again.
                    LOG.fine("a download's stream was silent when the contact came back: dialling anew");
                    t.redialNow = true;
                    t.link.close();
                }
            }
        }
    }

    /**
     * A contact is being removed or blocked: ends its transfers and deletes their data.
     * Call before the store forgets the contact. Blocks on store I/O.
     */
    public void contactGone(org.allium.contacts.api.ContactId contact) {
        for (Transfer t : transfers.values()) {
            FileRecord r;
            FileLink link;
            synchronized (t) {
                if (!t.rec.contact().equals(contact)) {
                    continue;
                }
                r = t.rec;
                link = t.link;
                t.link = null;
                if (t.retry != null) {
                    t.retry.cancel(false);
                }
            }
            transfers.remove(r.id());
            if (link != null) {
                link.close();
            }
            try {
                if (!r.state().isFinal()) {
                    profile.files().setState(r.contact(), r.direction(), r.id(), FileState.CANCELLED,
                            "The contact was removed.");
                }
                profile.settings().remove(SAVE_TO + r.id().toHex());
            } catch (StoreException e) {
                LOG.fine("marking a transfer cancelled failed: " + e.getMessage());
            }
            try {
                profile.files().deleteData(r);
            } catch (IOException e) {
                LOG.warning("deleting a transfer's data failed: " + e.getClass().getSimpleName());
            }
        }
    }

    /**
     * Serves FILE_STREAMs that ask for a file this engine does not hold as an offer: the drop
     * line's attachments, which its operators fetch (PROTOCOL.md §13.5). Called on an io thread
     * with the stream's first FileResume; the stream is closed after it returns.
     */
    public interface OtherFiles {
        /** @return false if {@code first} names no file of ours (the engine answers UNKNOWN_FILE) */
        boolean serve(org.allium.contacts.api.ContactId contact, org.allium.protocol.proto.FileResume first, FileLink link)
                throws IOException;
    }

    private volatile OtherFiles otherFiles;

    /** Sets who serves files that are not offers (once, before start). */
    public void setOtherFiles(OtherFiles otherFiles) {
        this.otherFiles = otherFiles;
    }

    boolean serveOther(org.allium.contacts.api.ContactId contact, org.allium.protocol.proto.FileResume first,
                       FileLink link) throws IOException {
        OtherFiles o = otherFiles;
        return o != null && o.serve(contact, first, link);
    }

    /** Closes every stream; no new attempts. */
    public void stop() {
        stopped = true;
        profile.removeListener(diskListener);
        for (Transfer t : transfers.values()) {
            FileLink l;
            synchronized (t) {
                l = t.link;
                if (t.retry != null) {
                    t.retry.cancel(false);
                }
            }
            if (l != null) {
                l.close();
            }
        }
    }

    // ---- hooks for the connection manager ----

    /**
     * The FileOffer to send for an outgoing conversation item, or null if it is a chat
     * message. Non-blocking (no store read).
     */
    public Envelope offerFor(Message m) {
        Transfer t = transfers.get(m.id());
        if (t == null || t.rec.direction() != Direction.OUTGOING) {
            return null;
        }
        FileOfferSpec o = t.rec.offer();
        return Envelope.newBuilder().setFileOffer(FileOffer.newBuilder().setId(Wire.id(m.id()))
                .setSequence(m.seq()).setComposedAtMs(m.composed().toEpochMilli()).setName(o.name())
                .setSize(o.size()).setChunkSize(o.chunkSize())
                .setFileSha256(com.google.protobuf.ByteString.copyFrom(o.fileSha256()))
                .setChunkHashesSha256(com.google.protobuf.ByteString.copyFrom(o.chunkHashesSha256()))).build();
    }

    /**
     * A file message on the contact's chat session (validated by the protocol module).
     * Blocks on store I/O.
     *
     * @return the id to acknowledge (a durably stored offer), or null
     * @throws StoreException if an offer could not be stored (not acknowledged: the sender resends)
     */
    public MessageId onSessionMessage(org.allium.contacts.api.ContactId contact, Envelope e) throws StoreException {
        switch (e.getBodyCase()) {
            case FILE_OFFER -> {
                return receiveOffer(contact, e.getFileOffer());
            }
            case FILE_ACCEPT -> {
                Transfer t = find(contact, Direction.OUTGOING, Wire.id(e.getFileAccept().getFileId()));
                if (t != null && t.rec.state() == FileState.OFFERED) {
                    setState(t, FileState.ACTIVE, null);
                }
            }
            case FILE_DECLINE -> {
                Transfer t = find(contact, Direction.OUTGOING, Wire.id(e.getFileDecline().getFileId()));
                if (t != null && !t.rec.state().isFinal()) {
                    setState(t, FileState.DECLINED, null);
                    closeLink(t);
                }
            }
            case FILE_ABORT -> {
                MessageId id = Wire.id(e.getFileAbort().getFileId());
                for (Direction d : Direction.values()) {
                    Transfer t = find(contact, d, id);
                    if (t != null && !t.rec.state().isFinal()) {
                        aborted(t, e.getFileAbort().getReason());
                    }
                }
            }
            default -> {
                // stream messages on a chat session: ignored (unknown file ids are the application's)
            }
        }
        return null;
    }

    private MessageId receiveOffer(org.allium.contacts.api.ContactId contact, FileOffer o) throws StoreException {
        MessageId id = Wire.id(o.getId());
        if (find(contact, Direction.INCOMING, id) != null) {
            return id; // a resend: acknowledge again
        }
        FileOfferSpec spec = new FileOfferSpec(o.getName(), o.getSize(), o.getChunkSize(),
                o.getFileSha256().toByteArray(), o.getChunkHashesSha256().toByteArray());
        FileState initial = FileState.OFFERED;
        String reason = null;
        if (spec.size() > maxIncoming()) {
            initial = FileState.DECLINED;
            reason = "Declined: larger than the limit for incoming files.";
        } else if (profile.files().countIncoming(contact, FileState.OFFERED) >= MAX_WAITING_OFFERS) {
            initial = FileState.DECLINED;
            reason = "Declined: too many offers from this contact are waiting.";
        } else if (autoAccept(contact) > 0 && spec.size() <= autoAccept(contact) && spaceFor(spec.size()) == null) {
            initial = FileState.ACTIVE;
        }
        boolean fresh = profile.files().acceptIncomingOffer(contact, id, o.getSequence(),
                Instant.ofEpochMilli(o.getComposedAtMs()), spec, initial, reason);
        if (fresh) {
            Optional<FileRecord> r = profile.files().get(contact, Direction.INCOMING, id);
            if (r.isPresent()) {
                Transfer t = new Transfer(r.get());
                t.done = 0;
                transfers.put(id, t);
                publish(FileEvent.Kind.OFFERED, t);
                if (initial == FileState.DECLINED) {
                    links.sendOnSession(contact, Wire.decline(id));
                } else if (initial == FileState.ACTIVE) {
                    links.sendOnSession(contact, Wire.accept(id));
                    synchronized (t) {
                        startDownload(t);
                    }
                }
            }
        }
        return id;
    }

    /**
     * An authenticated FILE_STREAM from the contact: serve the file it asks for. Blocks until done.
     * At most {@link #MAX_STREAMS_PER_CONTACT} streams per contact and {@link #MAX_STREAMS_SERVED} in all
     * are served at once (a stream lasts, so the listener's handler bound does not cover it); a
     * stream beyond that waits up to {@link #SLOT_WAIT} for one to end, then is closed. The wait
     * covers the moment between a receiver ending a stream and our side of it ending: the
     * receiver then dials its next one, which was closed at once — and an empty file on it was
     * complete at the receiver (which reads nothing from us for it) but never here.
     */
    public void serve(org.allium.contacts.api.ContactId contact, FileLink link) {
        java.util.concurrent.Semaphore mine = serving.computeIfAbsent(contact,
                k -> new java.util.concurrent.Semaphore(MAX_STREAMS_PER_CONTACT));
        try {
            if (!mine.tryAcquire(SLOT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.fine("contact " + contact.value() + ": too many file streams at once; one closed");
                link.close();
                return;
            }
            if (!servingSlots.tryAcquire(SLOT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                mine.release();
                LOG.fine("too many file streams at once over all contacts; one closed");
                link.close();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            link.close();
            return;
        }
        try {
            new Upload(this, contact, link).run();
        } finally {
            servingSlots.release();
            mine.release();
        }
    }

    /** File streams being served now over all contacts (tests). */
    int servingTotal() {
        return MAX_STREAMS_SERVED - servingSlots.availablePermits();
    }

    /** File streams being served to the contact now (tests). */
    int servingNow(org.allium.contacts.api.ContactId contact) {
        java.util.concurrent.Semaphore n = serving.get(contact);
        return n == null ? 0 : MAX_STREAMS_PER_CONTACT - n.availablePermits();
    }

    // ---- API ----

    @Override
    public FileTransfer offer(ContactId contact, Path file) throws MessengerException {
        org.allium.contacts.api.ContactId cid = new org.allium.contacts.api.ContactId(contact.value());
        try {
            var c = profile.contacts().get(cid).orElseThrow(() -> new UnknownContactException("contact"));
            if (c.state() != ContactState.ACCEPTED) {
                throw new IllegalContactStateException("Files can only be sent to accepted contacts.");
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
                throw new MessengerException("Not a readable file.");
            }
            Path abs = file.toAbsolutePath().normalize();
            Hashing.Result h;
            try {
                h = Hashing.hash(abs, CHUNK_SIZE, (long) CHUNK_SIZE * Limits.MAX_CHUNKS);
            } catch (IOException e) {
                throw new MessengerException("The file cannot be read or is too large to send.", e);
            }
            String name = wireName(abs.getFileName() == null ? "file" : abs.getFileName().toString());
            FileOfferSpec spec = new FileOfferSpec(name, h.size(), CHUNK_SIZE, h.fileSha256(), h.chunkHashesSha256());
            long modified = Files.getLastModifiedTime(abs).toMillis();
            // Registered before the store's MessageQueued event reaches the connection manager,
            // which asks offerFor() whether the item is a file.
            MessageId id = MessageId.random(random);
            Transfer t = new Transfer(new FileRecord(cid, Direction.OUTGOING, id, spec, FileState.OFFERED, null,
                    abs.toString(), modified, Instant.now()));
            t.done = 0;
            transfers.put(id, t);
            try {
                Message m = profile.files().offerOutgoing(cid, id, spec, abs.toString(), modified, h.chunkHashes());
                synchronized (t) {
                    t.rec = new FileRecord(cid, Direction.OUTGOING, id, spec, t.rec.state(), t.rec.reason(),
                            abs.toString(), modified, m.composed());
                }
            } catch (StoreException | RuntimeException e) {
                transfers.remove(id);
                throw e;
            }
            publish(FileEvent.Kind.OFFERED, t);
            return view(t);
        } catch (ContactStateException e) {
            throw new IllegalContactStateException("Files can only be sent to accepted contacts.");
        } catch (StoreException e) {
            throw storage(e);
        } catch (IOException e) {
            throw new MessengerException("The file cannot be read.", e);
        }
    }

    /** A plain file name the protocol accepts (PROTOCOL.md §9.1), close to {@code local}. */
    static String wireName(String local) {
        String s = Exporter.safeName(local);
        while (s.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_FILE_NAME_BYTES) {
            s = s.substring(0, s.offsetByCodePoints(0, s.codePointCount(0, s.length()) - 1));
        }
        s = s.strip();
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        return Envelopes.isSafeFileName(s) ? s : "file";
    }

    @Override
    public void accept(org.allium.core.api.MessageId file, Path saveTo) throws MessengerException {
        Transfer t = require(file);
        if (t.rec.direction() != Direction.INCOMING || t.rec.state() != FileState.OFFERED) {
            throw new IllegalContactStateException("Only a waiting incoming offer can be accepted.");
        }
        if (t.rec.offer().size() > maxIncomingChecked()) {
            throw new MessengerException("The file is larger than the limit for incoming files.");
        }
        String space = spaceFor(t.rec.offer().size());
        if (space != null) {
            throw new MessengerException(space);
        }
        try {
            if (saveTo != null) {
                if (!Files.isDirectory(saveTo)) {
                    throw new MessengerException("Not a directory to save into.");
                }
                profile.settings().put(SAVE_TO + t.rec.id().toHex(), saveTo.toAbsolutePath().toString());
                t.saveTo = saveTo.toAbsolutePath();
            }
            setState(t, FileState.ACTIVE, null);
        } catch (StoreException e) {
            throw storage(e);
        }
        links.sendOnSession(t.rec.contact(), Wire.accept(t.rec.id()));
        synchronized (t) {
            startDownload(t);
        }
    }

    @Override
    public void decline(org.allium.core.api.MessageId file) throws MessengerException {
        Transfer t = require(file);
        if (t.rec.direction() != Direction.INCOMING || t.rec.state() != FileState.OFFERED) {
            throw new IllegalContactStateException("Only a waiting incoming offer can be declined.");
        }
        try {
            setState(t, FileState.DECLINED, null);
        } catch (StoreException e) {
            throw storage(e);
        }
        links.sendOnSession(t.rec.contact(), Wire.decline(t.rec.id()));
    }

    @Override
    public void pause(org.allium.core.api.MessageId file) throws MessengerException {
        Transfer t = require(file);
        if (t.rec.state() != FileState.ACTIVE && t.rec.state() != FileState.OFFERED) {
            throw new IllegalContactStateException("Only a running transfer can be paused.");
        }
        try {
            setState(t, FileState.PAUSED, "Paused.");
        } catch (StoreException e) {
            throw storage(e);
        }
        closeLink(t);
    }

    @Override
    public void resume(org.allium.core.api.MessageId file) throws MessengerException {
        Transfer t = require(file);
        if (t.rec.state() != FileState.PAUSED) {
            throw new IllegalContactStateException("Only a paused transfer can be resumed.");
        }
        try {
            setState(t, FileState.ACTIVE, null);
        } catch (StoreException e) {
            throw storage(e);
        }
        if (t.rec.direction() == Direction.INCOMING) {
            synchronized (t) {
                t.failures = 0;
                startDownload(t);
            }
        }
    }

    @Override
    public void cancel(org.allium.core.api.MessageId file) throws MessengerException {
        Transfer t = require(file);
        if (t.rec.state().isFinal()) {
            throw new IllegalContactStateException("The transfer already ended.");
        }
        try {
            setState(t, FileState.CANCELLED, null);
        } catch (StoreException e) {
            throw storage(e);
        }
        closeLink(t);
        links.sendOnSession(t.rec.contact(), Wire.abort(t.rec.id(), FileAbortReason.CANCELLED));
        deleteData(t.rec);
    }

    @Override
    public List<FileTransfer> list(ContactId contact) {
        List<FileTransfer> out = new ArrayList<>();
        List<Transfer> all = new ArrayList<>(transfers.values());
        all.sort(java.util.Comparator.comparing((Transfer t) -> t.rec.created()));
        for (Transfer t : all) {
            if (contact == null || t.rec.contact().value() == contact.value()) {
                out.add(view(t));
            }
        }
        return out;
    }

    @Override
    public Optional<FileTransfer> get(org.allium.core.api.MessageId file) {
        Transfer t = transfers.get(MessageId.fromBytes(java.util.HexFormat.of().parseHex(file.hex())));
        return t == null ? Optional.empty() : Optional.of(view(t));
    }

    @Override
    public Path export(org.allium.core.api.MessageId file, Path target) throws MessengerException {
        Transfer t = require(file);
        if (t.rec.direction() != Direction.INCOMING || t.rec.state() != FileState.COMPLETE) {
            throw new IllegalContactStateException("Only a completely received file can be saved.");
        }
        try (FileData d = profile.files().open(t.rec)) {
            return Exporter.export(d, t.rec.offer(), target);
        } catch (IOException e) {
            throw new MessengerException("Saving the file failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long maxIncomingBytes() throws MessengerException {
        return maxIncomingChecked();
    }

    private long maxIncomingChecked() throws MessengerException {
        try {
            return profile.settings().get(MAX_INCOMING).map(Long::parseLong).orElse(DEFAULT_MAX_INCOMING_BYTES);
        } catch (StoreException e) {
            throw storage(e);
        }
    }

    private long maxIncoming() throws StoreException {
        return profile.settings().get(MAX_INCOMING).map(Long::parseLong).orElse(DEFAULT_MAX_INCOMING_BYTES);
    }

    @Override
    public void setMaxIncomingBytes(long bytes) throws MessengerException {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative limit");
        }
        try {
            profile.settings().put(MAX_INCOMING, Long.toString(bytes));
        } catch (StoreException e) {
            throw storage(e);
        }
    }

    @Override
    public long autoAcceptBytes(ContactId contact) throws MessengerException {
        try {
            return autoAccept(new org.allium.contacts.api.ContactId(contact.value()));
        } catch (StoreException e) {
            throw storage(e);
        }
    }

    private long autoAccept(org.allium.contacts.api.ContactId contact) throws StoreException {
        return profile.settings().get(AUTO_ACCEPT + contact.value()).map(Long::parseLong).orElse(0L);
    }

    @Override
    public void setAutoAcceptBytes(ContactId contact, long bytes) throws MessengerException {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative limit");
        }
        try {
            if (bytes == 0) {
                profile.settings().remove(AUTO_ACCEPT + contact.value());
            } else {
                profile.settings().put(AUTO_ACCEPT + contact.value(), Long.toString(bytes));
            }
        } catch (StoreException e) {
            throw storage(e);
        }
    }

    @Override
    public Subscription subscribe(Consumer<FileEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    // ---- internals shared with Download and Upload ----

    Profile profile() {
        return profile;
    }

    FileLinks links() {
        return links;
    }

    ExecutorService io() {
        return io;
    }

    Transfer find(org.allium.contacts.api.ContactId contact, Direction d, MessageId id) {
        Transfer t = transfers.get(id);
        return t != null && t.rec.contact().equals(contact) && t.rec.direction() == d ? t : null;
    }

    private Transfer require(org.allium.core.api.MessageId file) throws UnknownContactException {
        Transfer t = transfers.get(MessageId.fromBytes(java.util.HexFormat.of().parseHex(file.hex())));
        if (t == null) {
            throw new UnknownContactException("file transfer");
        }
        return t;
    }

    /** Null if there is room for a file of {@code size} in the profile, else a sentence why not. */
    String spaceFor(long size) {
        try {
            long free = Files.getFileStore(profile.directory()).getUsableSpace();
            long need = size + size / 3000 + DISK_MARGIN; // + the GCM tags (16 per 60 KiB chunk)
            return free >= need ? null : "Not enough free disk space for this file.";
        } catch (IOException e) {
            return null; // cannot tell: writing will report a full disk
        }
    }

    void setState(Transfer t, FileState s, String reason) throws StoreException {
        FileRecord r;
        synchronized (t) {
            r = t.rec;
        }
        profile.files().setState(r.contact(), r.direction(), r.id(), s, reason);
        synchronized (t) {
            t.rec = t.rec.withState(s, reason);
            if (s != FileState.ACTIVE) {
                t.idle();
            }
        }
        publish(FileEvent.Kind.CHANGED, t);
    }

    /**
     * A download met a full disk ({@link org.allium.contacts.api.DiskFullException}: the same
     * check and episode as the store's writes): paused with {@link #DISK_FULL}, the chunks
     * confirmed so far kept. If the store refuses to record that too, it is paused here only
     * (the store still says active, so a restart tries again).
     */
    void diskFull(Transfer t) {
        LOG.fine("a download waits for disk space");
        try {
            setState(t, FileState.PAUSED, DISK_FULL);
        } catch (StoreException e) {
            synchronized (t) {
                t.rec = t.rec.withState(FileState.PAUSED, DISK_FULL);
                t.idle();
            }
            publish(FileEvent.Kind.CHANGED, t);
        }
    }

    private static boolean pausedForDisk(Transfer t) {
        return t.rec.direction() == Direction.INCOMING && t.rec.state() == FileState.PAUSED
                && DISK_FULL.equals(t.rec.reason());
    }

    /** The store has room again: goes on with every download paused for a full disk. Non-blocking. */
    void diskSpaceRestored() {
        for (Transfer t : transfers.values()) {
            synchronized (t) {
                if (pausedForDisk(t)) {
                    goOnAfterDiskFull(t);
                }
            }
        }
    }

    // Caller holds t's lock.
    private void goOnAfterDiskFull(Transfer t) {
        if (stopped) {
            return;
        }
        try {
            io.execute(() -> {
                try {
                    setState(t, FileState.ACTIVE, null);
                } catch (StoreException e) {
                    LOG.fine("a download paused for disk space stays paused: " + e.getClass().getSimpleName());
                    return;
                }
                synchronized (t) {
                    t.failures = 0;
                    startDownload(t);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.finest("stopping: no resume");
        }
    }

    /** Ends a transfer after the peer's FileAbort. */
    void aborted(Transfer t, FileAbortReason reason) {
        FileState s = reason == FileAbortReason.CANCELLED ? FileState.CANCELLED : FileState.FAILED;
        String why = switch (reason) {
            case CANCELLED -> null;
            case HASH_MISMATCH -> "The data did not match the offer.";
            case NO_SPACE -> "The receiver has no disk space left.";
            case UNKNOWN_FILE -> "The other side no longer has this file.";
            case SOURCE_CHANGED -> SOURCE_GONE_THERE;
            default -> "The other side ended the transfer.";
        };
        try {
            setState(t, s, why);
        } catch (StoreException e) {
            LOG.warning("storing an aborted transfer failed: " + e.getMessage());
        }
        closeLink(t);
        if (t.rec.direction() == Direction.INCOMING) {
            deleteData(t.rec);
        }
    }

    /** Ends a transfer for a local reason. */
    void fail(Transfer t, String why) {
        try {
            setState(t, FileState.FAILED, why);
        } catch (StoreException e) {
            LOG.warning("storing a failed transfer failed: " + e.getMessage());
        }
        if (t.rec.direction() == Direction.INCOMING) {
            deleteData(t.rec);
        }
    }

    void deleteData(FileRecord r) {
        try {
            profile.files().deleteData(r);
        } catch (IOException e) {
            LOG.warning("deleting a transfer's data failed: " + e.getClass().getSimpleName());
        }
    }

    private void closeLink(Transfer t) {
        FileLink l;
        synchronized (t) {
            l = t.link;
            t.link = null;
        }
        if (l != null) {
            l.close();
        }
    }

    /** Progress: an event at most every 250 ms per transfer (and always at the end). */
    void progress(Transfer t, boolean force) {
        boolean send;
        synchronized (t) {
            long now = System.nanoTime();
            t.measure(now);
            send = force || now - t.lastEventNanos >= EVENT_INTERVAL_NANOS;
            if (send) {
                t.lastEventNanos = now;
            }
        }
        if (send) {
            publish(FileEvent.Kind.PROGRESS, t);
        }
    }

    void publish(FileEvent.Kind kind, Transfer t) {
        FileEvent e = new FileEvent(kind, view(t));
        try {
            events.execute(() -> {
                for (Consumer<FileEvent> l : listeners) {
                    try {
                        l.accept(e);
                    } catch (RuntimeException ex) {
                        LOG.log(Level.WARNING, "file event listener threw", ex);
                    }
                }
            });
        } catch (RejectedExecutionException ex) {
            LOG.finest("file event after stop");
        }
    }

    FileTransfer view(Transfer t) {
        synchronized (t) {
            FileRecord r = t.rec;
            long done = r.state() == FileState.COMPLETE ? r.offer().size() : Math.max(0, t.done);
            return new FileTransfer(new org.allium.core.api.MessageId(r.id().toHex()),
                    new ContactId(r.contact().value()),
                    r.direction() == Direction.OUTGOING ? org.allium.core.api.Direction.OUTGOING
                            : org.allium.core.api.Direction.INCOMING,
                    r.offer().name(), r.offer().size(), FileTransfer.State.valueOf(r.state().name()), done,
                    r.state() == FileState.ACTIVE ? t.rate : 0, r.reason(), r.created(), originalGone(r));
        }
    }

    /**
     * Whether the sender's original is gone: the transfer failed for that, or (outgoing, not
     * ended) the file is no longer where it was offered from. A stat, no read.
     */
    private static boolean originalGone(FileRecord r) {
        if (r.state() == FileState.FAILED) {
            return SOURCE_GONE_HERE.equals(r.reason()) || SOURCE_GONE_THERE.equals(r.reason());
        }
        return r.direction() == Direction.OUTGOING && !r.state().isFinal() && r.sourcePath() != null
                && !Files.isRegularFile(Path.of(r.sourcePath()));
    }

    // ---- download scheduling (caller holds t's lock) ----

    private void startDownload(Transfer t) {
        if (stopped || t.running || t.rec.state() != FileState.ACTIVE
                || t.rec.direction() != Direction.INCOMING || !links.isOnline(t.rec.contact())) {
            return;
        }
        java.util.concurrent.atomic.AtomicInteger n = downloading.computeIfAbsent(t.rec.contact(),
                k -> new java.util.concurrent.atomic.AtomicInteger());
        if (n.incrementAndGet() > MAX_STREAMS_PER_CONTACT) {
            // The sender serves at most that many streams to us and closes the next at once;
            // this one starts when one of ours ends (startWaiting).
            n.decrementAndGet();
            return;
        }
        t.running = true;
        try {
            io.execute(() -> runDownload(t));
        } catch (RejectedExecutionException e) {
            t.running = false;
            n.decrementAndGet();
            retryLater(t); // no io thread now (or stopping)
        }
    }

    /** Starts the contact's downloads that waited for a free stream. Caller holds no transfer's lock. */
    private void startWaiting(org.allium.contacts.api.ContactId contact) {
        for (Transfer x : transfers.values()) {
            synchronized (x) {
                if (x.rec.contact().equals(contact) && !x.running && (x.retry == null || x.retry.isDone())) {
                    startDownload(x);
                }
            }
        }
    }

    // Caller holds t's lock.
    private void retryLater(Transfer t) {
        if (stopped || t.rec.state() != FileState.ACTIVE || (t.retry != null && !t.retry.isDone())) {
            return;
        }
        t.failures = Math.min(t.failures + 1, 20);
        long ms = Math.min(retryCap.toMillis(), 500L << Math.min(t.failures, 10));
        try {
            t.retry = timers.schedule(() -> {
                synchronized (t) {
                    t.retry = null;
                    startDownload(t);
                }
            }, ms, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.finest("retry after stop dropped");
        }
    }

    private void runDownload(Transfer t) {
        boolean finished = false;
        try {
            finished = new Download(this, t).run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a download failed unexpectedly", e);
        } finally {
            org.allium.contacts.api.ContactId contact;
            synchronized (t) {
                contact = t.rec.contact();
                downloading.get(contact).decrementAndGet(); // before a restart of t takes the slot again
                t.running = false;
                t.link = null;
                if (!finished && t.redialNow) {
                    t.redialNow = false;
                    t.failures = 0;
                    startDownload(t);
                } else if (!finished) {
                    retryLater(t);
                }
            }
            startWaiting(contact);
        }
    }

    /** A download completed: export it if the user chose a directory when accepting. */
    void completed(Transfer t) {
        Path dir;
        synchronized (t) {
            dir = t.saveTo;
        }
        if (dir == null) {
            return;
        }
        try (FileData d = profile.files().open(t.rec)) {
            Exporter.export(d, t.rec.offer(), dir);
            profile.settings().remove(SAVE_TO + t.rec.id().toHex());
        } catch (IOException | StoreException e) {
            LOG.warning("saving a received file failed: " + e.getClass().getSimpleName());
        }
    }

    private static StorageException storage(StoreException e) {
        return new StorageException("The profile's store failed: " + e.getMessage(), e);
    }
}
