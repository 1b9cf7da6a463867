package org.allium.core.dropline;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.DropStore;
import org.allium.contacts.api.FileData;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.StoreException;
import org.allium.core.files.ChunkSender;
import org.allium.core.files.FileEngine;
import org.allium.core.files.FileLink;
import org.allium.core.files.FileLinks;
import org.allium.core.groups.PeerLink;
import org.allium.core.groups.SessionHook;
import org.allium.protocol.OnionAddress;
import org.allium.protocol.proto.DropFile;
import org.allium.protocol.proto.DropItemKind;
import org.allium.protocol.proto.DropOperator;
import org.allium.protocol.proto.DropState;
import org.allium.protocol.proto.DropSync;
import org.allium.protocol.proto.DropSyncAck;
import org.allium.protocol.proto.DropSyncDelete;
import org.allium.protocol.proto.DropSyncFile;
import org.allium.protocol.proto.DropSyncHead;
import org.allium.protocol.proto.DropSyncItem;
import org.allium.protocol.proto.DropSyncSet;
import org.allium.protocol.proto.Envelope;

/**
 * Team mode of a drop line (PROTOCOL.md §13.4), over the ordinary contact sessions.
 *
 * <p>On the drop line: every change of one of its cases (a submission, a reply, a note, a
 * state, an assignment, a deletion) is queued for every operator in the transaction that
 * stores it ({@link DropStore.Fanout}), and sent as {@code DropSync} until acknowledged;
 * operators' requests are applied as if made here (the author is the session's contact,
 * never a name in the message) and so reach every operator. Removing an operator drops its
 * queue in the same transaction and stops sends already handed to its session.
 *
 * <p>On an operator: a drop line's heads and items are kept as copies ({@link DropStore#mirror});
 * the operator's own changes of a copy are queued for that drop line as requests.
 *
 * <p>Thread-safe. {@link #up}/{@link #down} never block; sends run on {@code io}.
 */
public final class OperatorSync implements SessionHook, DropStore.Fanout, FileEngine.OtherFiles {
    private static final Logger LOG = Logger.getLogger(OperatorSync.class.getName());
    /** Messages handed to one session at once (each is acknowledged by id). */
    static final int WINDOW = 64;

    /** What the sync tells the drop line's front ends. */
    public interface Listener {
        /** A drop line's case changed on this operator's copy (0: unknown which); say only "New submission" for new ones. */
        void mirrored(long caseId, boolean newSubmission);
    }

    private final Profile profile;
    private final DropStore store;
    private final SecureRandom random;
    private final Executor io;
    private final Supplier<DropStore.Person> self;
    private final DropStore.Quotas quotas;
    private final Listener listener;
    private final Map<Long, Peer> peers = new ConcurrentHashMap<>();
    /** Per contact, the {@link PeerLink#order} of the newest session told; guarded by itself. */
    private final Map<Long, Long> newestSession = new java.util.HashMap<>();
    /** Bumped when a contact stops being an operator: what was handed to its session is dropped. */
    private final Map<Long, AtomicLong> generation = new ConcurrentHashMap<>();

    private static final class Peer {
        final PeerLink link;
        final Set<MessageId> inFlight = ConcurrentHashMap.newKeySet();

        Peer(PeerLink link) {
            this.link = link;
        }
    }

    private volatile AttachmentFetcher fetcher;
    /** FILE_STREAMs serving our attachments to each operator now (closed when it stops being one). */
    private final Map<Long, Set<FileLink>> serving = new ConcurrentHashMap<>();
    private final Map<Long, java.util.concurrent.atomic.AtomicInteger> streams = new ConcurrentHashMap<>();
    /** Attachment streams served to one operator at once. */
    static final int MAX_STREAMS_PER_OPERATOR = 2;

    /**
     * Attachments (PROTOCOL.md §13.5): as an operator, fetch the drop lines' attachments over
     * {@code links}; {@code changed} hears of each copy's progress. Set once, before sessions come up.
     */
    public void attachFiles(FileLinks links, java.util.concurrent.ScheduledExecutorService timers,
                            java.util.function.BiConsumer<Long, MessageId> changed) {
        this.fetcher = new AttachmentFetcher(store, links, io, timers, changed::accept);
    }

    public OperatorSync(Profile profile, SecureRandom random, Executor io, Supplier<DropStore.Person> self,
                        DropStore.Quotas quotas, Listener listener) {
        this.profile = profile;
        this.store = profile.drops();
        this.random = random;
        this.io = io;
        this.self = self;
        this.quotas = quotas;
        this.listener = listener;
        store.setFanout(this);
    }

    /** Whether {@code e} is one of the operator sync's messages. */
    public static boolean handles(Envelope e) {
        return e.getBodyCase() == Envelope.BodyCase.DROP_SYNC || e.getBodyCase() == Envelope.BodyCase.DROP_SYNC_ACK;
    }

    // ---- what a change sends (inside the storing transaction) ----

    @Override
    public List<DropStore.Outgoing> of(DropStore.Change c) {
        List<DropStore.Outgoing> out = new ArrayList<>();
        DropStore.Case after = c.after();
        if (after.line() == null) {
            // One of our own cases: the whole team gets the case as it is now, then the item.
            for (long op : c.operators()) {
                if (c.deleted()) {
                    out.add(message(op, c.ref(), b -> b.setDelete(DropSyncDelete.getDefaultInstance())));
                    continue;
                }
                if (c.attachment() != null) {
                    out.add(message(op, c.ref(), b -> b.setFile(file(c.attachment()))));
                    continue;
                }
                out.add(message(op, c.ref(), b -> b.setHead(head(after))));
                if (c.item() != null) {
                    out.add(message(op, c.ref(), b -> b.setItem(item(c.item()))));
                }
            }
            return out;
        }
        // A drop line's case on this operator: our own change goes to that drop line as a request.
        long line = after.line();
        if (c.deleted()) {
            out.add(message(line, c.ref(), b -> b.setDelete(DropSyncDelete.getDefaultInstance())));
        }
        if (c.item() != null && c.item().kind() != DropStore.Kind.SUBMISSION) {
            out.add(message(line, c.ref(), b -> b.setItem(item(c.item()))));
        }
        if (c.stateSet() != null || c.assigned()) {
            DropSyncSet.Builder s = DropSyncSet.newBuilder();
            if (c.stateSet() != null && c.stateSet() != DropStore.State.NEW) {
                s.setState(state(c.stateSet()));
            }
            if (c.assigned()) {
                s.setSetAssignee(true);
                if (after.assignedTo() != null) {
                    s.setAssignee(ByteString.copyFrom(after.assignedTo().key().publicKey()));
                }
            }
            out.add(message(line, c.ref(), b -> b.setSet(s)));
        }
        return out;
    }

    private DropStore.Outgoing message(long contact, MessageId ref, java.util.function.Consumer<DropSync.Builder> op) {
        MessageId id = MessageId.random(random);
        DropSync.Builder b = DropSync.newBuilder().setId(ByteString.copyFrom(id.toBytes()))
                .setCaseRef(ByteString.copyFrom(ref.toBytes()));
        op.accept(b);
        return new DropStore.Outgoing(contact, id, Envelope.newBuilder().setDropSync(b).build().toByteArray());
    }

    private static DropSyncHead head(DropStore.Case c) {
        DropSyncHead.Builder h = DropSyncHead.newBuilder().setPseudonym(c.pseudonym()).setState(state(c.state()))
                .setCreatedAtMs(c.created().toEpochMilli()).setUpdatedAtMs(c.updated().toEpochMilli());
        if (c.assignedTo() != null) {
            h.setAssignee(operator(c.assignedTo()));
        }
        return h.build();
    }

    private static DropSyncItem item(DropStore.Item i) {
        DropSyncItem.Builder b = DropSyncItem.newBuilder().setItemId(ByteString.copyFrom(i.id().toBytes()))
                .setKind(switch (i.kind()) {
                    case SUBMISSION -> DropItemKind.DROP_ITEM_SUBMISSION;
                    case REPLY -> DropItemKind.DROP_ITEM_REPLY;
                    case NOTE -> DropItemKind.DROP_ITEM_NOTE;
                }).setComposedAtMs(i.composed().toEpochMilli()).setText(i.text());
        if (i.by() != null) {
            b.setAuthor(operator(i.by()));
        }
        return b.build();
    }

    private static DropSyncFile file(DropStore.Attachment a) {
        org.allium.contacts.api.FileOfferSpec f = a.spec();
        return DropSyncFile.newBuilder().setItemId(ByteString.copyFrom(a.item().toBytes()))
                .setFile(DropFile.newBuilder().setId(ByteString.copyFrom(a.fileId().toBytes())).setName(f.name())
                        .setSize(f.size()).setChunkSize(f.chunkSize()).setFileSha256(ByteString.copyFrom(f.fileSha256()))
                        .setChunkHashesSha256(ByteString.copyFrom(f.chunkHashesSha256()))).build();
    }

    private static DropOperator operator(DropStore.Person p) {
        return DropOperator.newBuilder().setKey(ByteString.copyFrom(p.key().publicKey()))
                .setName(org.allium.protocol.Envelopes.truncateUtf8(p.name(), org.allium.protocol.Limits.MAX_DROP_NAME_BYTES))
                .build();
    }

    static DropState state(DropStore.State s) {
        return switch (s) {
            case NEW -> DropState.DROP_RECEIVED;
            case READ -> DropState.DROP_READ;
            case REPLIED -> DropState.DROP_REPLIED;
            case CLOSED -> DropState.DROP_CLOSED;
        };
    }

    static DropStore.State state(DropState s) {
        return switch (s) {
            case DROP_READ -> DropStore.State.READ;
            case DROP_REPLIED -> DropStore.State.REPLIED;
            case DROP_CLOSED -> DropStore.State.CLOSED;
            default -> DropStore.State.NEW;
        };
    }

    // ---- sending ----

    /** Sends what is queued to every online contact (after a change was stored). */
    public void kick() {
        for (long contact : peers.keySet()) {
            flush(contact);
        }
    }

    /** A contact stopped being an operator: nothing handed to its session goes out any more. */
    public void stopped(long contact) {
        generation.computeIfAbsent(contact, k -> new AtomicLong()).incrementAndGet();
        Peer p = peers.get(contact);
        if (p != null) {
            p.inFlight.clear();
        }
        Set<FileLink> s = serving.get(contact);
        if (s != null) {
            for (FileLink l : s) {
                l.close();
            }
        }
    }

    private void flush(long contact) {
        try {
            io.execute(() -> flushNow(contact));
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private void flushNow(long contact) {
        Peer p = peers.get(contact);
        if (p == null) {
            return;
        }
        List<DropStore.Outgoing> queued;
        try {
            queued = store.queued(contact, WINDOW);
        } catch (StoreException e) {
            LOG.warning("reading the drop line's sync queue failed: " + e.getMessage());
            return;
        }
        long gen = generation.computeIfAbsent(contact, k -> new AtomicLong()).get();
        for (DropStore.Outgoing o : queued) {
            if (p.inFlight.size() >= WINDOW || !p.inFlight.add(o.id())) {
                continue;
            }
            Envelope e;
            try {
                e = Envelope.parseFrom(o.body());
            } catch (InvalidProtocolBufferException ex) {
                LOG.warning("a queued drop-line sync message does not parse; dropped");
                acknowledged(contact, List.of(o.id()));
                continue;
            }
            boolean queuedOk = p.link.submit(out -> {
                if (generation.get(contact).get() == gen && peers.get(contact) == p) {
                    out.send(e);
                }
            });
            if (!queuedOk) {
                p.inFlight.remove(o.id());
                return;
            }
        }
    }

    private void acknowledged(long contact, List<MessageId> ids) {
        try {
            store.acknowledged(contact, ids);
        } catch (StoreException e) {
            LOG.warning("storing a drop-line sync acknowledgement failed: " + e.getMessage());
        }
    }

    // ---- SessionHook ----

    @Override
    public void up(PeerLink link) {
        long contact = link.contact().value();
        synchronized (newestSession) {
            Long newest = newestSession.get(contact);
            if (newest != null && link.order() < newest) {
                // An older session told late (two were dialled at once, told on two threads): the
                // newer one stays, or the sync would go to a dead link and stall until the next session.
                return;
            }
            newestSession.put(contact, link.order());
            peers.put(contact, new Peer(link));
        }
        flush(contact);
        AttachmentFetcher f = fetcher;
        if (f != null) {
            f.kick(contact); // attachments of that drop line's cases not fetched yet, if any
        }
    }

    // ---- attachments to operators (FileEngine.OtherFiles) ----

    @Override
    public boolean serve(ContactId contact, org.allium.protocol.proto.FileResume first, FileLink link)
            throws java.io.IOException {
        MessageId id = MessageId.fromBytes(first.getFileId().toByteArray());
        Optional<DropStore.Attachment> a;
        try {
            if (!store.operators().contains(contact.value())) {
                return false;
            }
            a = store.ownAttachment(id);
        } catch (StoreException e) {
            throw new java.io.IOException("reading the drop line's attachments failed", e);
        }
        if (a.isEmpty()) {
            return false;
        }
        java.util.concurrent.atomic.AtomicInteger n = streams.computeIfAbsent(contact.value(),
                k -> new java.util.concurrent.atomic.AtomicInteger());
        if (n.incrementAndGet() > MAX_STREAMS_PER_OPERATOR) {
            n.decrementAndGet();
            link.finish(); // it asks again later
            return true;
        }
        Set<FileLink> mine = serving.computeIfAbsent(contact.value(), k -> ConcurrentHashMap.newKeySet());
        mine.add(link);
        long gen = generation.computeIfAbsent(contact.value(), k -> new AtomicLong()).get();
        try (FileData d = store.openAttachment(a.get())) {
            org.allium.contacts.api.FileOfferSpec spec = a.get().spec();
            byte[] hashes = spec.chunkCount() == 0 ? new byte[0] : d.readHashes().orElse(null);
            if (hashes == null || generation.get(contact.value()).get() != gen) {
                link.send(org.allium.protocol.proto.Envelope.newBuilder().setFileAbort(
                        org.allium.protocol.proto.FileAbort.newBuilder().setFileId(first.getFileId())
                                .setReason(org.allium.protocol.proto.FileAbortReason.UNKNOWN_FILE)).build());
                return true;
            }
            link.setReadTimeout(java.time.Duration.ofSeconds(120));
            if (ChunkSender.send(link, id, spec, hashes, ChunkSender.fromData(d), first, null)
                    == ChunkSender.Result.COMPLETE) {
                link.finish();
            }
            return true;
        } finally {
            mine.remove(link);
            n.decrementAndGet();
        }
    }

    @Override
    public void down(PeerLink link) {
        peers.computeIfPresent(link.contact().value(), (k, p) -> p.link == link ? null : p);
    }

    @Override
    public boolean receive(PeerLink link, Envelope e, boolean moreBuffered) throws StoreException {
        long contact = link.contact().value();
        if (e.getBodyCase() == Envelope.BodyCase.DROP_SYNC_ACK) {
            List<MessageId> ids = new ArrayList<>();
            for (ByteString b : e.getDropSyncAck().getIdsList()) {
                ids.add(MessageId.fromBytes(b.toByteArray()));
            }
            store.acknowledged(contact, ids);
            Peer p = peers.get(contact);
            if (p != null) {
                p.inFlight.removeAll(ids);
            }
            flush(contact);
            return true;
        }
        if (e.getBodyCase() != Envelope.BodyCase.DROP_SYNC) {
            return true;
        }
        DropSync m = e.getDropSync();
        apply(link, m);
        Envelope ack = Envelope.newBuilder().setDropSyncAck(DropSyncAck.newBuilder().addIds(m.getId())).build();
        link.submit(out -> out.send(ack));
        return true;
    }

    /** Stores what {@code m} says, if its sender may say it; anything else is dropped (and acknowledged). */
    private void apply(PeerLink link, DropSync m) throws StoreException {
        long contact = link.contact().value();
        MessageId ref = MessageId.fromBytes(m.getCaseRef().toByteArray());
        boolean operator = store.operators().contains(contact);
        Optional<DropStore.Case> own = operator ? store.byRef(ref, null) : Optional.empty();
        if (own.isPresent()) {
            fromOperator(link, own.get(), m);
            kick();
            return;
        }
        // From a drop line we operate for (any contact may be one; bounded by the quotas).
        switch (m.getOpCase()) {
            case HEAD -> {
                DropSyncHead h = m.getHead();
                Optional<DropStore.Case> before = store.byRef(ref, contact);
                Optional<DropStore.Case> c = store.mirror(contact, ref, h.getPseudonym(), state(h.getState()),
                        Instant.ofEpochMilli(h.getCreatedAtMs()), Instant.ofEpochMilli(h.getUpdatedAtMs()),
                        h.hasAssignee() ? person(h.getAssignee()) : null, quotas);
                c.ifPresent(x -> listener.mirrored(x.id(), before.isEmpty()));
            }
            case ITEM -> {
                Optional<DropStore.Case> c = store.byRef(ref, contact);
                if (c.isPresent()) {
                    DropSyncItem i = m.getItem();
                    DropStore.Kind kind = switch (i.getKind()) {
                        case DROP_ITEM_SUBMISSION -> DropStore.Kind.SUBMISSION;
                        case DROP_ITEM_REPLY -> DropStore.Kind.REPLY;
                        default -> DropStore.Kind.NOTE;
                    };
                    store.mirrorItem(c.get().id(), kind, MessageId.fromBytes(i.getItemId().toByteArray()),
                            Instant.ofEpochMilli(i.getComposedAtMs()), i.hasAuthor() ? person(i.getAuthor()) : null,
                            i.getText());
                    listener.mirrored(c.get().id(), kind == DropStore.Kind.SUBMISSION);
                }
            }
            case DELETE -> {
                Optional<DropStore.Case> c = store.byRef(ref, contact);
                if (c.isPresent() && store.mirrorDelete(c.get().id())) {
                    listener.mirrored(c.get().id(), false);
                }
            }
            case FILE -> {
                Optional<DropStore.Case> c = store.byRef(ref, contact);
                if (c.isPresent()) {
                    DropFile f = m.getFile().getFile();
                    Optional<DropStore.Attachment> a = store.mirrorAttachment(c.get().id(),
                            MessageId.fromBytes(m.getFile().getItemId().toByteArray()),
                            MessageId.fromBytes(f.getId().toByteArray()),
                            new org.allium.contacts.api.FileOfferSpec(f.getName(), f.getSize(), f.getChunkSize(),
                                    f.getFileSha256().toByteArray(), f.getChunkHashesSha256().toByteArray()), quotas);
                    AttachmentFetcher fe = fetcher;
                    if (a.isPresent() && !a.get().complete() && fe != null) {
                        fe.kick(contact);
                    }
                    a.ifPresent(x -> listener.mirrored(c.get().id(), false));
                }
            }
            default -> {
                // a request from someone who is not our operator: ignored
            }
        }
    }

    /** An operator's request on one of our cases, applied as if made here by that operator. */
    private void fromOperator(PeerLink link, DropStore.Case c, DropSync m) throws StoreException {
        long contact = link.contact().value();
        DropStore.Person who = new DropStore.Person(link.peer(), nickname(link.contact()));
        switch (m.getOpCase()) {
            case ITEM -> {
                DropSyncItem i = m.getItem();
                if (i.getKind() == DropItemKind.DROP_ITEM_REPLY || i.getKind() == DropItemKind.DROP_ITEM_NOTE) {
                    store.add(c.id(), i.getKind() == DropItemKind.DROP_ITEM_REPLY ? DropStore.Kind.REPLY : DropStore.Kind.NOTE,
                            MessageId.fromBytes(i.getItemId().toByteArray()), Instant.ofEpochMilli(i.getComposedAtMs()),
                            contact, who, i.getText());
                }
            }
            case SET -> {
                DropSyncSet s = m.getSet();
                if (s.getStateValue() != 0) {
                    DropStore.State st = state(s.getState());
                    if (st == DropStore.State.READ) {
                        if (c.state() == DropStore.State.NEW) {
                            store.markRead(c.id());
                        }
                    } else {
                        store.setState(c.id(), st);
                    }
                }
                if (s.getSetAssignee()) {
                    assignByKey(c.id(), s.getAssignee().toByteArray());
                }
            }
            case DELETE -> store.delete(c.id());
            default -> {
                // a head from an operator means nothing
            }
        }
    }

    private void assignByKey(long caseId, byte[] key) throws StoreException {
        if (key.length == 0) {
            store.assign(caseId, null, null);
            return;
        }
        OnionAddress a = OnionAddress.fromPublicKey(key);
        DropStore.Person me = self.get();
        if (me != null && me.key().equals(a)) {
            store.assign(caseId, null, me);
            return;
        }
        Optional<Contact> c = profile.contacts().find(a);
        if (c.isPresent() && store.operators().contains(c.get().id().value())) {
            store.assign(caseId, c.get().id().value(), new DropStore.Person(a, c.get().nickname()));
        }
        // not an operator: ignored
    }

    private String nickname(ContactId id) throws StoreException {
        return profile.contacts().get(id).map(Contact::nickname).orElse("");
    }

    private static DropStore.Person person(DropOperator o) {
        return new DropStore.Person(OnionAddress.fromPublicKey(o.getKey().toByteArray()), o.getName());
    }
}
