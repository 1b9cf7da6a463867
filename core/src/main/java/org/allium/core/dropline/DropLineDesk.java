package org.allium.core.dropline;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.allium.contacts.api.DropStore;
import org.allium.contacts.api.FileData;
import org.allium.contacts.api.FileOfferSpec;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.StoreException;
import org.allium.core.api.DropEvent;
import org.allium.core.api.DropLine;
import org.allium.core.api.DropLineException;
import org.allium.core.api.Subscription;
import org.allium.core.files.ChunkReceiver;
import org.allium.core.files.FileLink;
import org.allium.protocol.DropCodename;
import org.allium.protocol.Envelopes;
import org.allium.protocol.Limits;
import org.allium.protocol.proto.Ack;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.DropCase;
import org.allium.protocol.proto.DropFile;
import org.allium.protocol.proto.DropFileStatus;
import org.allium.protocol.proto.DropRefusal;
import org.allium.protocol.proto.DropReply;
import org.allium.protocol.proto.DropState;
import org.allium.protocol.proto.DropSubmission;
import org.allium.protocol.proto.Envelope;

/**
 * The drop line of one profile: serves {@code DROP_SUBMISSION} connections handed over by
 * the identity onion (PROTOCOL.md §13.1) and implements the operators' {@link DropLine}.
 * Settings live in the profile ({@code drop.*}); cases in its {@link DropStore}.
 * Thread-safe.
 */
public final class DropLineDesk implements DropLine {
    private static final Logger LOG = Logger.getLogger(DropLineDesk.class.getName());
    static final String ENABLED = "drop.enabled";
    static final String ACK = "drop.ack";
    static final String RETENTION = "drop.retention-days";

    /** What the desk tells the engine and front ends. */
    public interface Listener {
        /** The drop line was switched on or off: host or unhost the identity onion. */
        default void enabledChanged(boolean on) {
        }

        /** A new submission was stored in case {@code caseId} (say only "New submission"). */
        default void submitted(long caseId) {
        }

        /** The organisation changed a case (reply, note, state, assignment, deletion). */
        default void caseChanged(long caseId) {
        }
    }

    private final Profile profile;
    private final DropStore store;
    private final SecureRandom random;
    private final Clock clock;
    private final DropStore.Quotas quotas;
    private final Duration stepTimeout;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final org.allium.protocol.OnionAddress me;
    private volatile boolean enabled;
    private volatile OperatorSync sync;
    private final List<Consumer<DropEvent>> subscribers = new CopyOnWriteArrayList<>();
    private volatile java.util.concurrent.Executor events = Runnable::run;

    /** @param me this profile's identity (the drop line's address, or the operator's) */
    public DropLineDesk(Profile profile, SecureRandom random, Clock clock, DropStore.Quotas quotas, Duration stepTimeout,
                        org.allium.protocol.OnionAddress me) {
        this.me = me;
        this.profile = profile;
        this.store = profile.drops();
        this.random = random;
        this.clock = clock;
        this.quotas = quotas;
        this.stepTimeout = stepTimeout;
        boolean on = false;
        try {
            on = "true".equals(profile.settings().get(ENABLED).orElse("false"));
        } catch (StoreException e) {
            LOG.warning("reading the drop-line setting failed: " + e.getMessage());
        }
        this.enabled = on;
        try {
            store.sweepAttachments(); // data of attachments whose case went while we were down
        } catch (StoreException | IOException e) {
            LOG.warning("sweeping attachment data failed: " + e.getClass().getSimpleName());
        }
    }

    /** An operator's copy of an attachment got more bytes or completed (from the fetcher). */
    public void attachmentChanged(long caseId, MessageId fileId) {
        publish(new DropEvent(DropEvent.Kind.ATTACHMENT, caseId, fileId));
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** Where {@link #subscribe} listeners are called: one thread, in order (set once by the engine). */
    public void publishOn(java.util.concurrent.Executor events) {
        this.events = events;
    }

    @Override
    public Subscription subscribe(Consumer<DropEvent> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    /** Tells the subscribers (on the event thread; a throwing one is logged and kept). */
    void publish(DropEvent e) {
        if (subscribers.isEmpty()) {
            return;
        }
        try {
            events.execute(() -> {
                for (Consumer<DropEvent> l : subscribers) {
                    try {
                        l.accept(e);
                    } catch (RuntimeException ex) {
                        LOG.log(java.util.logging.Level.WARNING, "drop-line event listener threw", ex);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException ex) {
            LOG.finest("drop-line event after stop");
        }
    }

    /** The team sync (set once by the engine); told to send after every change. */
    public void setSync(OperatorSync sync) {
        this.sync = sync;
    }

    /** This profile as the team sees it: its identity and nickname. */
    public DropStore.Person self() {
        String nick = "";
        try {
            nick = profile.nickname().orElse("");
        } catch (StoreException e) {
            LOG.fine("reading the nickname failed: " + e.getMessage());
        }
        return new DropStore.Person(me, nick);
    }

    /** A contact is blocked or removed: it is no operator any more (blocks on the store). */
    public void contactGone(long contact) {
        try {
            removeOperator(contact);
        } catch (DropLineException e) {
            LOG.warning("removing an operator failed: " + e.getMessage());
        }
    }

    /** A drop line's case changed on this operator's copy (from {@link OperatorSync}). */
    public void mirrored(long caseId, boolean newSubmission) {
        for (Listener l : listeners) {
            if (newSubmission) {
                l.submitted(caseId);
            } else {
                l.caseChanged(caseId);
            }
        }
        publish(new DropEvent(newSubmission ? DropEvent.Kind.SUBMITTED : DropEvent.Kind.CHANGED, caseId, null));
    }

    private void kick() {
        OperatorSync s = sync;
        if (s != null) {
            s.kick();
        }
    }

    /** Whether the identity onion takes DROP_SUBMISSION now (no store access). */
    public boolean isOpen() {
        return enabled;
    }

    // ---- the source's connection ----

    /**
     * Serves one authenticated source: reads its one message, answers, and returns; the
     * caller closes the channel. Never throws for bad input: answers with a Close.
     *
     * @throws IOException if the connection failed
     * @throws StoreException if the store failed (nothing was acknowledged)
     */
    public void serve(DropChannel ch) throws IOException, StoreException {
        ch.setReadTimeout(stepTimeout);
        Envelope in = ch.receive();
        byte[] source = ch.source().publicKey();
        switch (in.getBodyCase()) {
            case DROP_SUBMISSION -> {
                DropSubmission m = in.getDropSubmission();
                MessageId id = MessageId.fromBytes(m.getId().toByteArray());
                List<DropStore.NewAttachment> files = new java.util.ArrayList<>();
                long announced = 0;
                for (DropFile f : m.getFilesList()) {
                    files.add(new DropStore.NewAttachment(MessageId.fromBytes(f.getId().toByteArray()),
                            new FileOfferSpec(f.getName(), f.getSize(), f.getChunkSize(), f.getFileSha256().toByteArray(),
                                    f.getChunkHashesSha256().toByteArray())));
                    announced += f.getSize();
                }
                DropStore.Submitted s = announced > 0 && !roomFor(announced)
                        ? new DropStore.Submitted(DropStore.Outcome.LINE_FULL, null)
                        : store.submit(source, DropCodename.pseudonym(source), id,
                                Instant.ofEpochMilli(m.getComposedAtMs()), m.getText(), files, quotas);
                switch (s.outcome()) {
                    case STORED, DUPLICATE -> {
                        ch.send(Envelope.newBuilder().setAck(Ack.newBuilder().addIds(m.getId())).build());
                        answer(ch, store.get(s.caseId()), DropRefusal.DROP_ACCEPTED);
                        if (s.outcome() == DropStore.Outcome.STORED) {
                            kick();
                            for (Listener l : listeners) {
                                l.submitted(s.caseId());
                            }
                            publish(new DropEvent(DropEvent.Kind.SUBMITTED, s.caseId(), null));
                        }
                        if (!files.isEmpty() && !upload(ch, s.caseId(), id)) {
                            return;
                        }
                    }
                    case SOURCE_QUOTA -> answer(ch, Optional.empty(), DropRefusal.DROP_SOURCE_QUOTA);
                    case LINE_FULL -> answer(ch, Optional.empty(), DropRefusal.DROP_LINE_FULL);
                    case TOO_LARGE -> answer(ch, Optional.empty(), DropRefusal.DROP_TOO_LARGE, quotas.maxFileBytes());
                }
            }
            case DROP_CHECK_IN -> answer(ch, store.caseOf(source), DropRefusal.DROP_ACCEPTED);
            case CLOSE -> {
                return;
            }
            default -> {
                ch.send(Envelopes.close(CloseCode.UNEXPECTED_MESSAGE, "a drop line takes one submission or check-in"));
                return;
            }
        }
        ch.send(Envelopes.close(CloseCode.NORMAL, ""));
    }

    /** Silence that ends an upload (PROTOCOL.md §9.2's FILE_STREAM silence). */
    static final Duration UPLOAD_READ_TIMEOUT = Duration.ofSeconds(120);
    /** Uploads at once over all sources (each holds a thread and a chunk buffer while it lasts). */
    static final int MAX_UPLOADS = 4;
    /** Free space kept beyond the announced attachments. */
    static final long DISK_MARGIN = 64L << 20;
    private final java.util.concurrent.Semaphore uploads = new java.util.concurrent.Semaphore(MAX_UPLOADS);

    /** Whether the profile's disk has room for {@code bytes} more (unknown: yes; writing reports a full disk). */
    private boolean roomFor(long bytes) {
        try {
            return java.nio.file.Files.getFileStore(profile.directory()).getUsableSpace()
                    >= bytes + bytes / 3000 + DISK_MARGIN;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * The upload phase (PROTOCOL.md §13.5): for each attachment of submission {@code item} not
     * complete yet, in order, we send FileResume and take the file as FILE_STREAM's receiver.
     *
     * @return whether to end with Close(NORMAL) (false: a Close was sent already)
     */
    private boolean upload(DropChannel ch, long caseId, MessageId item) throws IOException, StoreException {
        List<DropStore.Attachment> todo = new java.util.ArrayList<>();
        for (DropStore.Attachment a : store.attachments(caseId)) {
            if (a.item().equals(item) && !a.complete()) {
                todo.add(a);
            }
        }
        if (todo.isEmpty()) {
            return true;
        }
        if (!uploads.tryAcquire()) {
            ch.send(Envelopes.close(CloseCode.RATE_LIMITED, "too many uploads at once; try again later"));
            return false;
        }
        try {
            ch.longLived();
            ch.setReadTimeout(UPLOAD_READ_TIMEOUT);
            FileLink link = new ChannelLink(ch);
            for (DropStore.Attachment a : todo) {
                ChunkReceiver.Result r;
                try (FileData d = store.openAttachment(a)) {
                    r = ChunkReceiver.receive(link, a.fileId(), a.spec(), d, bytes -> {
                        try {
                            store.attachmentProgress(caseId, a.fileId(), bytes);
                        } catch (StoreException e) {
                            throw new IOException("recording progress failed", e);
                        }
                        publish(new DropEvent(DropEvent.Kind.ATTACHMENT, caseId, a.fileId()));
                    });
                }
                if (r.complete()) {
                    store.attachmentComplete(caseId, a.fileId());
                    kick();
                    publish(new DropEvent(DropEvent.Kind.ATTACHMENT, caseId, a.fileId()));
                    continue;
                }
                if (!r.abortedBySender()) {
                    // what the source announced does not hold together: start afresh if it tries again
                    LOG.fine("an attachment upload failed verification");
                    store.deleteAttachmentData(a);
                }
                ch.send(Envelopes.close(CloseCode.NORMAL, ""));
                return false;
            }
            return true;
        } finally {
            uploads.release();
        }
    }

    /** A source's connection as the file transfer code sees it. */
    private static final class ChannelLink implements FileLink {
        private final DropChannel ch;

        ChannelLink(DropChannel ch) {
            this.ch = ch;
        }

        @Override
        public void send(Envelope message) throws IOException {
            ch.send(message);
        }

        @Override
        public Envelope receive() throws IOException {
            while (true) {
                Envelope e = ch.receive();
                if (e.hasClose()) {
                    return null;
                }
                if (!e.hasKeepAlive()) {
                    return e;
                }
            }
        }

        @Override
        public boolean inputPending() throws IOException {
            return ch.inputPending();
        }

        @Override
        public void setReadTimeout(Duration timeout) throws IOException {
            ch.setReadTimeout(timeout);
        }

        @Override
        public void finish() {
        }

        @Override
        public void close() {
        }
    }

    /** DropCase, its replies and attachments; an unknown source gets what a fresh case without replies gets. */
    private void answer(DropChannel ch, Optional<DropStore.Case> c, DropRefusal refusal) throws IOException, StoreException {
        answer(ch, c, refusal, 0);
    }

    /** As above; {@code maxFileSize} (bytes, 0: none) goes with DROP_TOO_LARGE only (PROTOCOL.md §13.1). */
    private void answer(DropChannel ch, Optional<DropStore.Case> c, DropRefusal refusal, long maxFileSize)
            throws IOException, StoreException {
        List<DropStore.Item> replies = c.isPresent() && refusal == DropRefusal.DROP_ACCEPTED
                ? store.replies(c.get().id(), Limits.MAX_DROP_REPLIES) : List.of();
        List<DropStore.Attachment> files = c.isPresent() && refusal == DropRefusal.DROP_ACCEPTED
                ? store.attachments(c.get().id()) : List.of();
        if (files.size() > Limits.MAX_DROP_FILE_STATUSES) {
            files = files.subList(files.size() - Limits.MAX_DROP_FILE_STATUSES, files.size());
        }
        DropState state = c.map(x -> switch (x.state()) {
            case NEW -> DropState.DROP_RECEIVED;
            case READ -> DropState.DROP_READ;
            case REPLIED -> DropState.DROP_REPLIED;
            case CLOSED -> DropState.DROP_CLOSED;
        }).orElse(DropState.DROP_RECEIVED);
        DropCase.Builder b = DropCase.newBuilder().setState(state).setRefusal(refusal)
                .setAcknowledgement(acknowledgementQuietly()).setReplyCount(replies.size()).setMaxFileSize(maxFileSize);
        for (DropStore.Attachment a : files) {
            b.addFiles(DropFileStatus.newBuilder().setId(ByteString.copyFrom(a.fileId().toBytes()))
                    .setName(a.spec().name()).setSize(a.spec().size())
                    .setReceived(Math.min(a.received(), a.spec().size())).setComplete(a.complete()));
        }
        ch.send(Envelope.newBuilder().setDropCase(b).build());
        for (DropStore.Item r : replies) {
            ch.send(Envelope.newBuilder().setDropReply(DropReply.newBuilder()
                    .setId(ByteString.copyFrom(r.id().toBytes())).setComposedAtMs(r.composed().toEpochMilli())
                    .setText(r.text())).build());
        }
    }

    private String acknowledgementQuietly() throws StoreException {
        return profile.settings().get(ACK).orElse(DEFAULT_ACKNOWLEDGEMENT);
    }

    // ---- the operators' API ----

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean on) throws DropLineException {
        run(() -> profile.settings().put(ENABLED, Boolean.toString(on)));
        enabled = on;
        for (Listener l : listeners) {
            l.enabledChanged(on);
        }
        publish(new DropEvent(DropEvent.Kind.SWITCHED, 0, null));
    }

    @Override
    public String acknowledgement() throws DropLineException {
        return get(this::acknowledgementQuietly);
    }

    @Override
    public void setAcknowledgement(String text) throws DropLineException {
        if (text == null || text.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_DROP_ACK_BYTES) {
            throw new IllegalArgumentException("the acknowledgement is at most " + Limits.MAX_DROP_ACK_BYTES + " bytes");
        }
        run(() -> profile.settings().put(ACK, text));
    }

    @Override
    public int retentionDays() throws DropLineException {
        return get(() -> Integer.parseInt(profile.settings().get(RETENTION).orElse("0")));
    }

    @Override
    public void setRetentionDays(int days) throws DropLineException {
        if (days < 0 || days > 36500) {
            throw new IllegalArgumentException("retention is 0..36500 days");
        }
        run(() -> profile.settings().put(RETENTION, Integer.toString(days)));
    }

    @Override
    public List<DropStore.Case> cases() throws DropLineException {
        return get(store::cases);
    }

    @Override
    public DropStore.Case get(long caseId) throws DropLineException {
        return get(() -> store.get(caseId)).orElseThrow(() -> new DropLineException("There is no case " + caseId + "."));
    }

    @Override
    public List<DropStore.Item> read(long caseId) throws DropLineException {
        get(caseId);
        List<DropStore.Item> items = get(() -> {
            store.markRead(caseId);
            return store.items(caseId);
        });
        kick();
        return items;
    }

    @Override
    public DropStore.Item reply(long caseId, String text) throws DropLineException {
        return add(caseId, DropStore.Kind.REPLY, text);
    }

    @Override
    public DropStore.Item note(long caseId, String text) throws DropLineException {
        return add(caseId, DropStore.Kind.NOTE, text);
    }

    private DropStore.Item add(long caseId, DropStore.Kind kind, String text) throws DropLineException {
        checkReply(text);
        get(caseId);
        DropStore.Person by = self();
        DropStore.Item item = get(() -> store.add(caseId, kind, MessageId.random(random), clock.instant(), null, by, text));
        changed(caseId);
        return item;
    }

    /** 1..8192 UTF-8 bytes, the wire's limit for a reply. */
    static void checkReply(String text) {
        if (text == null || text.isEmpty() || text.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_DROP_REPLY_BYTES) {
            throw new IllegalArgumentException("a reply or note is 1.." + Limits.MAX_DROP_REPLY_BYTES + " bytes");
        }
    }

    @Override
    public void setState(long caseId, DropStore.State state) throws DropLineException {
        run(() -> store.setState(caseId, state));
        changed(caseId);
    }

    @Override
    public void assign(long caseId, Long operator) throws DropLineException {
        if (operator == null) {
            run(() -> store.assign(caseId, null, null));
        } else {
            org.allium.contacts.api.Contact c = get(() -> profile.contacts().get(new org.allium.contacts.api.ContactId(operator)))
                    .orElseThrow(() -> new DropLineException("There is no contact " + operator + "."));
            if (!get(store::operators).contains(operator)) {
                throw new DropLineException("Contact " + operator + " is not an operator of this drop line.");
            }
            run(() -> store.assign(caseId, operator, new DropStore.Person(c.address(), c.nickname())));
        }
        changed(caseId);
    }

    @Override
    public void take(long caseId) throws DropLineException {
        DropStore.Person by = self();
        get(caseId);
        run(() -> store.assign(caseId, null, by));
        changed(caseId);
    }

    @Override
    public List<Long> operators() throws DropLineException {
        return get(store::operators);
    }

    @Override
    public boolean addOperator(long contact) throws DropLineException {
        org.allium.contacts.api.Contact c = get(() -> profile.contacts().get(new org.allium.contacts.api.ContactId(contact)))
                .orElseThrow(() -> new DropLineException("There is no contact " + contact + "."));
        if (c.state() != org.allium.contacts.api.ContactState.ACCEPTED) {
            throw new DropLineException("Only an accepted contact can be an operator.");
        }
        boolean added = get(() -> store.addOperator(contact));
        kick();
        return added;
    }

    @Override
    public boolean removeOperator(long contact) throws DropLineException {
        OperatorSync s = sync;
        if (s != null) {
            s.stopped(contact);
        }
        boolean was = get(() -> store.removeOperator(contact));
        if (s != null) {
            s.stopped(contact);
        }
        return was;
    }

    @Override
    public void delete(long caseId) throws DropLineException {
        boolean was = get(() -> store.delete(caseId));
        if (!was) {
            throw new DropLineException("There is no case " + caseId + ".");
        }
        changed(caseId);
    }

    @Override
    public int applyRetention() throws DropLineException {
        int days = retentionDays();
        if (days == 0) {
            return 0;
        }
        return get(() -> store.deleteClosedBefore(clock.instant().minus(Duration.ofDays(days))));
    }

    private void changed(long caseId) {
        kick();
        for (Listener l : listeners) {
            l.caseChanged(caseId);
        }
        publish(new DropEvent(DropEvent.Kind.CHANGED, caseId, null));
    }

    @Override
    public List<DropStore.Attachment> attachments(long caseId) throws DropLineException {
        get(caseId);
        return get(() -> store.attachments(caseId));
    }

    @Override
    public java.nio.file.Path export(long caseId, MessageId fileId, java.nio.file.Path dir) throws DropLineException {
        DropStore.Attachment a = get(() -> store.attachment(caseId, fileId))
                .orElseThrow(() -> new DropLineException("There is no such attachment in case " + caseId + "."));
        if (!a.complete()) {
            throw new DropLineException("The attachment has not fully arrived yet.");
        }
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
            throw new DropLineException("Not a directory to save into.");
        }
        try (org.allium.contacts.api.FileData d = store.openAttachment(a)) {
            return org.allium.core.files.Exporter.export(d, a.spec(), dir);
        } catch (IOException e) {
            throw new DropLineException("Saving the attachment failed: " + e.getMessage(), e);
        }
    }

    private interface StoreCall<T> {
        T call() throws StoreException;
    }

    private interface StoreRun {
        void run() throws StoreException;
    }

    private static <T> T get(StoreCall<T> c) throws DropLineException {
        try {
            return c.call();
        } catch (StoreException e) {
            throw new DropLineException("The drop line's store failed: " + e.getMessage(), e);
        }
    }

    private static void run(StoreRun r) throws DropLineException {
        try {
            r.run();
        } catch (StoreException e) {
            throw new DropLineException("The drop line's store failed: " + e.getMessage(), e);
        }
    }
}
