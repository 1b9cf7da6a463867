package org.allium.core.groups;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactState;
import org.allium.contacts.api.GroupStore;
import org.allium.contacts.api.GroupStore.GroupMessageRow;
import org.allium.contacts.api.GroupStore.GroupRow;
import org.allium.contacts.api.GroupStore.NewGroupMessage;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.StoreException;
import org.allium.core.api.ContactId;
import org.allium.core.api.MessengerException;
import org.allium.core.api.StorageException;
import org.allium.core.api.Subscription;
import org.allium.core.api.TextTooLongException;
import org.allium.core.api.UnknownContactException;
import org.allium.protocol.GroupMessages;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.GroupAction;
import org.allium.protocol.proto.GroupHead;
import org.allium.protocol.proto.GroupInvitation;
import org.allium.protocol.proto.GroupMember;
import org.allium.protocol.proto.GroupMessage;
import org.allium.protocol.proto.GroupSummary;

/**
 * The private-groups engine: the {@link Groups} API and the {@link SessionHook} that syncs
 * groups over contact sessions (PROTOCOL.md §12.4).
 *
 * <p>Thread-safety: the map of groups is concurrent; each {@link GroupState} is guarded by
 * its own monitor, held across validation, apply and the store write so storage order and
 * in-memory order agree. Per-session sync state ({@link PeerGroup}) is guarded by its own
 * monitor. Store and socket work never happens under the peers map. Events go out in order
 * on one thread ({@code allium-core-groups}).
 */
public final class GroupsImpl implements Groups, SessionHook {
    private static final Logger LOG = Logger.getLogger(GroupsImpl.class.getName());
    /** Messages stored together (one disk sync) and answered by one receipt. */
    static final int BATCH = 64;
    /** Invalid messages a session may send before we close it. */
    static final int MAX_INVALID_PER_SESSION = 1000;
    private static final int PAGE = 256;

    private final Profile profile;
    private final IdentityKeyPair me;
    private final ByteString myKey;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService eventThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "allium-core-groups");
        t.setDaemon(true);
        return t;
    });
    private final List<Consumer<GroupEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Map<ByteString, GroupState> groups = new ConcurrentHashMap<>();
    private final Map<Long, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    /**
     * Held shared by whatever stores group data and announces it (a received frame, our own
     * message); {@link #stop} takes it exclusively, so what was stored is announced before the
     * event thread ends, and nothing is stored after it.
     */
    private final java.util.concurrent.locks.ReentrantReadWriteLock running =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    /** Set by {@link #stop} under {@link #running}'s write lock. */
    private boolean stopped;
    private final AtomicLong sentLive = new AtomicLong();
    private final AtomicLong sentFromStore = new AtomicLong();
    private final AtomicLong storeReads = new AtomicLong();
    /** Per contact, the newest session told to {@link #up} (kept after its down). Guarded by itself. */
    private final Map<Long, Long> newestSession = new HashMap<>();

    /** One connected contact. */
    private static final class Peer {
        final PeerLink link;
        final ByteString key;
        final Map<ByteString, PeerGroup> groups = new ConcurrentHashMap<>();
        /** Reader thread only. */
        final List<GroupMessage> pending = new ArrayList<>();
        int invalid;

        Peer(PeerLink link) {
            this.link = link;
            this.key = ByteString.copyFrom(link.peer().publicKey());
        }

        PeerGroup group(ByteString id) {
            return groups.computeIfAbsent(id, k -> new PeerGroup());
        }
    }

    /** What we know a peer holds of one group on this session. Guarded by its monitor. */
    private static final class PeerGroup {
        final Map<ByteString, Long> heads = new HashMap<>();
        boolean summaryKnown;
        /** Every stored row of the group up to here has been considered for this peer (sent or not its turn). */
        long cursor;
        boolean pumpQueued;
        GroupSummary lastSent;
        /** Counts the rewinds (see {@link #rewind}): a pump under way starts over from the rewound cursor. */
        long rewinds;
        /** The heads of the peer's latest summary (authors we know): what a resend rewinds to. */
        final Map<ByteString, Long> reported = new HashMap<>();
        /** When the last rewind was carried out ({@link System#nanoTime}); valid once {@code rewound}. */
        long lastRewind;
        boolean rewound;
        /** A rewind asked for too soon waits for its turn, scheduled once; more asks join it. */
        boolean rewindDue;
        /** The rewind due is a resend's (back to {@link #reported}), not only the cursor's. */
        boolean rewindHeads;
        /**
         * It sent us a message whose parents we lack (not stored, yet counted as held there — a
         * member that left sends only its own): once we store something, we ask for it again.
         */
        boolean askAgain;
        /** Rows stored since the queued push was queued, by position: sent from memory (§ live fan-out). */
        final java.util.TreeMap<Long, Fresh> live = new java.util.TreeMap<>();
        boolean pushQueued;
        /** More than {@link #MAX_LIVE} rows waited: the push reads the store instead. */
        boolean liveOverflow;
        /**
         * Per author, the highest sequence the peer sent us since its last summary: it holds
         * that (an engine stores before it sends, and sends in order), so nothing sends it back.
         */
        final Map<ByteString, Long> sentUs = new HashMap<>();
        /**
         * What it sent us that its last summary did not show: a summary can be built just
         * before a message it sends ahead of it, so one more summary decides. A peer whose next
         * summary still lacks what it sent (a modified client) is considered for everything again.
         */
        final Map<ByteString, Long> doubted = new HashMap<>();

        /** The highest sequence of {@code author} the peer is known to hold contiguously. */
        long held(ByteString author) {
            return Math.max(heads.getOrDefault(author, 0L),
                    Math.max(sentUs.getOrDefault(author, 0L), doubted.getOrDefault(author, 0L)));
        }
        /**
         * A peer we do not sync with yet (we do not know it joined, or not even that it was
         * added: we were away) whose summary holds what we lack: we sent it our summary and take
         * what it sends, each message checked as always, so that we learn of it from itself.
         */
        boolean learning;
    }

    /**
     * A row just stored, as the live fan-out sends it: {@code before} is the group's previous
     * stored position (nothing of the group lies between), {@code envelope} null for a row
     * never sent (a tombstone).
     */
    private record Fresh(long before, long pos, ByteString author, long seq, Envelope envelope) {
    }

    /** Rows a push keeps in memory per peer and group at most; beyond, it reads them from the store. */
    static final int MAX_LIVE = 256;

    private final Introductions introductions;

    private final GroupLimits limits;

    /** {@code desk} is used for introductions (§12.5) only, never on a session thread. */
    public GroupsImpl(Profile profile, IdentityKeyPair me, Clock clock, ContactDesk desk) {
        this(profile, me, clock, desk, GroupLimits.Config.DEFAULTS);
    }

    /** As above, with the rate limits on what peers push ({@link GroupLimits}). */
    public GroupsImpl(Profile profile, IdentityKeyPair me, Clock clock, ContactDesk desk, GroupLimits.Config limits) {
        this.profile = profile;
        this.me = me;
        this.myKey = ByteString.copyFrom(me.publicKey());
        this.clock = clock;
        this.introductions = new Introductions(profile, myKey, desk, groups::values);
        this.limits = new GroupLimits(limits, System::nanoTime);
    }

    /** Reads every group and replays its messages. Call once before sessions come up. Blocks on the store. */
    public void load() throws StoreException {
        for (GroupRow row : profile.groups().groups()) {
            groups.put(ByteString.copyFrom(row.id()), rebuild(row));
        }
    }

    private GroupState rebuild(GroupRow row) throws StoreException {
        GroupState s = new GroupState(row.id(), row.state());
        if (row.invitation() != null) {
            try {
                GroupInvitation inv = GroupInvitation.parseFrom(row.invitation());
                s.provisional(inv.getCreate(), inv.getAdd());
                s.inviter = inv.getAdd().getAuthor();
                s.invitationName = inv.getName();
                s.addId = ByteString.copyFrom(GroupMessages.messageId(inv.getAdd()));
            } catch (InvalidProtocolBufferException e) {
                LOG.warning("a stored invitation does not parse");
            }
        }
        long after = 0;
        while (true) {
            List<GroupMessageRow> rows = profile.groups().messages(row.id(), after, GroupStoreLimits.PAGE);
            for (GroupMessageRow r : rows) {
                after = r.pos();
                if (r.raw() == null) {
                    continue;
                }
                try {
                    GroupMessage m = GroupMessage.parseFrom(r.raw());
                    s.apply(m, ByteString.copyFrom(r.msgId()), r.pos());
                } catch (InvalidProtocolBufferException e) {
                    LOG.warning("a stored group message does not parse");
                }
            }
            if (rows.size() < GroupStoreLimits.PAGE) {
                break;
            }
        }
        return s;
    }

    /** Ends event delivery. */
    public void stop() {
        introductions.stop();
        limits.stop();
        // A session's reader may be storing a batch right now: it announces it before the event
        // thread ends. Its Posted events were dropped before (stop ended the thread meanwhile),
        // and as the batch is stored nobody sends it again: the member never showed those posts.
        java.util.concurrent.locks.Lock w = running.writeLock();
        boolean locked = false;
        try {
            locked = w.tryLock(10, java.util.concurrent.TimeUnit.SECONDS);
            if (!locked) {
                LOG.warning("group work still running 10 s after stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            stopped = true;
        } finally {
            if (locked) {
                w.unlock();
            }
        }
        eventThread.shutdown();
        try {
            if (!eventThread.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warning("group events not delivered within 5 s of stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes {@link #running} shared; false (nothing taken) once stopped. */
    private boolean enter() {
        running.readLock().lock();
        if (stopped) {
            running.readLock().unlock();
            return false;
        }
        return true;
    }

    private void exit() {
        running.readLock().unlock();
    }

    /** A contact request arrived (the messenger tells us): accepted if a shared group vouches for it. Never blocks. */
    public void requestReceived(String serviceId) {
        introductions.requestReceived(serviceId);
    }

    // ---- API ----

    @Override
    public GroupId create(String name) throws MessengerException {
        String n = checkName(name);
        byte[] salt = new byte[GroupMessages.SALT_LENGTH];
        random.nextBytes(salt);
        byte[] id = GroupMessages.groupId(me.publicKey(), salt);
        GroupState s = new GroupState(id, GroupStore.GroupState.JOINED);
        try {
            if (!profile.groups().addGroup(new GroupRow(id, GroupStore.GroupState.JOINED, null, null, 0, 0))) {
                throw new GroupException("group id collision");
            }
        } catch (StoreException e) {
            throw storage(e);
        }
        groups.put(s.groupId, s);
        author(s, GroupAction.CREATE, n, ByteString.copyFrom(salt), 0);
        return GroupId.of(id);
    }

    @Override
    public void invite(GroupId group, ContactId contact) throws MessengerException {
        GroupState s = joined(group);
        Contact c;
        try {
            c = profile.contacts().get(new org.allium.contacts.api.ContactId(contact.value()))
                    .orElseThrow(() -> new UnknownContactException("no such contact"));
        } catch (StoreException e) {
            throw storage(e);
        }
        if (c.state() != ContactState.ACCEPTED) {
            throw new GroupException("only accepted contacts can be invited");
        }
        ByteString subject = ByteString.copyFrom(c.address().publicKey());
        synchronized (s) {
            if (!s.isAdmin(myKey)) {
                throw new GroupException("only an admin can invite");
            }
            GroupState.Member m = s.members.get(subject);
            if (m != null && m.added) {
                throw new GroupException(m.current() ? "already a member" : "a member who left or was removed cannot be added again");
            }
            if (s.currentCount() >= MAX_MEMBERS) {
                throw new GroupException("a group has at most " + MAX_MEMBERS + " members");
            }
        }
        String nick = c.nickname() == null ? "" : truncate(c.nickname(), org.allium.protocol.Limits.MAX_NICKNAME_BYTES);
        author(s, GroupAction.ADD, nick, subject, 0);
        Peer p = peers.get(c.id().value());
        if (p != null) {
            sendInvitation(p, s, subject);
        }
    }

    @Override
    public void accept(GroupId group) throws MessengerException {
        answer(group, true);
    }

    @Override
    public void decline(GroupId group) throws MessengerException {
        answer(group, false);
    }

    private void answer(GroupId group, boolean join) throws MessengerException {
        GroupState s = state(group);
        synchronized (s) {
            if (s.status != GroupStore.GroupState.INVITED) {
                throw new GroupException("there is no open invitation to this group");
            }
        }
        setStatus(s, join ? GroupStore.GroupState.JOINED : GroupStore.GroupState.LEFT);
        author(s, join ? GroupAction.JOIN : GroupAction.LEAVE, "", ByteString.EMPTY, 0);
        changed(s);
    }

    @Override
    public GroupPost send(GroupId group, String text) throws MessengerException {
        if (text == null || text.isBlank()) {
            throw new GroupException("a post needs text");
        }
        if (text.length() > MAX_POST_LENGTH
                || text.getBytes(StandardCharsets.UTF_8).length > GroupMessages.MAX_POST_BYTES) {
            throw new TextTooLongException("a post", MAX_POST_LENGTH);
        }
        GroupState s = joined(group);
        return author(s, GroupAction.POST, text, ByteString.EMPTY, 0);
    }

    @Override
    public void leave(GroupId group) throws MessengerException {
        GroupState s = joined(group);
        synchronized (s) {
            if (myKey.equals(s.creator)) {
                throw new GroupException("the creator cannot leave (the group needs its creator's admin rights)");
            }
        }
        setStatus(s, GroupStore.GroupState.LEFT);
        author(s, GroupAction.LEAVE, "", ByteString.EMPTY, 0);
        changed(s);
    }

    @Override
    public void remove(GroupId group, String memberAddress) throws MessengerException {
        GroupState s = joined(group);
        ByteString subject = key(memberAddress);
        long keep;
        synchronized (s) {
            GroupState.Member m = s.members.get(subject);
            if (m == null || !m.current()) {
                throw new GroupException("not a member");
            }
            if (!s.isAdmin(myKey) || subject.equals(s.creator) || (m.admin && !myKey.equals(s.creator))) {
                throw new GroupException("not allowed: admins remove members; only the creator removes admins");
            }
            keep = s.head(subject);
        }
        author(s, GroupAction.REMOVE, "", subject, keep);
    }

    @Override
    public void rename(GroupId group, String name) throws MessengerException {
        String n = checkName(name);
        GroupState s = joined(group);
        synchronized (s) {
            if (!s.isAdmin(myKey)) {
                throw new GroupException("only an admin can rename the group");
            }
        }
        author(s, GroupAction.RENAME, n, ByteString.EMPTY, 0);
    }

    @Override
    public void appoint(GroupId group, String memberAddress) throws MessengerException {
        GroupState s = joined(group);
        ByteString subject = key(memberAddress);
        synchronized (s) {
            if (!myKey.equals(s.creator)) {
                throw new GroupException("only the creator appoints admins");
            }
            if (!s.isCurrent(subject)) {
                throw new GroupException("not a member");
            }
        }
        author(s, GroupAction.APPOINT, "", subject, 0);
    }

    @Override
    public List<GroupPost> history(GroupId group, int limit) throws MessengerException {
        GroupState s = state(group);
        Names names = names();
        try {
            List<GroupPost> out = new ArrayList<>();
            for (GroupMessageRow r : profile.groups().latest(s.id, Long.MAX_VALUE, Math.max(0, limit))) {
                GroupPost p = post(s, r, names);
                if (p != null) {
                    out.add(p);
                }
            }
            return out;
        } catch (StoreException e) {
            throw storage(e);
        }
    }

    @Override
    public List<org.allium.core.groups.GroupMember> members(GroupId group) throws MessengerException {
        GroupState s = state(group);
        Names names = names();
        List<org.allium.core.groups.GroupMember> out = new ArrayList<>();
        synchronized (s) {
            for (GroupState.Member m : s.members.values()) {
                if (!m.current()) {
                    continue;
                }
                OnionAddress a = OnionAddress.fromPublicKey(m.key.toByteArray());
                out.add(new org.allium.core.groups.GroupMember(a.serviceId(), names.name(m.key, m.suggestedName),
                        names.contactId(m.key), m.key.equals(myKey), m.admin || m.key.equals(s.creator),
                        m.key.equals(s.creator), m.joined || m.key.equals(s.creator)));
            }
        }
        return out;
    }

    @Override
    public List<Group> list() throws MessengerException {
        List<Group> out = new ArrayList<>();
        try {
            for (GroupRow row : profile.groups().groups()) {
                GroupState s = groups.get(ByteString.copyFrom(row.id()));
                if (s != null) {
                    out.add(view(s, row));
                }
            }
        } catch (StoreException e) {
            throw storage(e);
        }
        return out;
    }

    @Override
    public Group get(GroupId group) throws MessengerException {
        GroupState s = state(group);
        try {
            return view(s, profile.groups().group(s.id).orElseThrow(() -> new GroupException("no such group")));
        } catch (StoreException e) {
            throw storage(e);
        }
    }

    @Override
    public int introduce(GroupId group) throws MessengerException {
        GroupState s = joined(group);
        author(s, GroupAction.INTRODUCE, "", ByteString.EMPTY, 0);
        try {
            return introductions.introduceMe(s);
        } catch (StoreException e) {
            throw storage(e);
        }
    }

    @Override
    public boolean acceptsIntroductions() {
        return introductions.accepting();
    }

    @Override
    public void setAcceptIntroductions(boolean accept) throws MessengerException {
        try {
            introductions.setAccepting(accept);
        } catch (StoreException e) {
            throw storage(e);
        }
    }

    @Override
    public void markRead(GroupId group) throws MessengerException {
        GroupState s = state(group);
        long pos;
        synchronized (s) {
            pos = s.lastPos;
        }
        try {
            profile.groups().markRead(s.id, pos);
        } catch (StoreException e) {
            throw storage(e);
        }
        changed(s);
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    /**
     * Received group messages and invitations refused by the limits so far (not stored; honest
     * peers offer them again).
     */
    public long limited() {
        return limits.refused();
    }

    /**
     * Diagnostics: how many (peer, group, author) heads we keep from connected peers' summaries —
     * bounded by the authors and members of our groups, whatever peers send.
     */
    public int peerHeadsKept() {
        int n = 0;
        for (Peer p : peers.values()) {
            for (PeerGroup pg : p.groups.values()) {
                synchronized (pg) {
                    n += pg.heads.size();
                }
            }
        }
        return n;
    }

    /**
     * What the sync has sent so far: {@code live} group messages straight from memory as they
     * were stored, {@code fromStore} read back from the store (catch-up, or a peer that was
     * behind), in {@code storeReads} reads. For figures and tests; never blocks.
     */
    public record Sends(long live, long fromStore, long storeReads) {
    }

    /** See {@link Sends}. */
    public Sends sends() {
        return new Sends(sentLive.get(), sentFromStore.get(), storeReads.get());
    }

    @Override
    public Subscription subscribe(Consumer<GroupEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    // ---- authoring ----

    /** Signs, stores and applies one message of ours, then sends it to every peer that syncs the group. */
    private GroupPost author(GroupState s, GroupAction action, String text, ByteString subject, long subjectSeq)
            throws MessengerException {
        if (!enter()) {
            throw new GroupException("the messenger is stopped");
        }
        try {
            return authorRunning(s, action, text, subject, subjectSeq);
        } finally {
            exit();
        }
    }

    private GroupPost authorRunning(GroupState s, GroupAction action, String text, ByteString subject,
            long subjectSeq) throws MessengerException {
        GroupMessage m;
        ByteString id;
        GroupMessageRow row;
        List<Runnable> handed;
        synchronized (s) {
            long now = Math.max(clock.millis(), s.lastComposed(myKey));
            if (s.writtenOnDay(myKey, now) >= GroupState.MAX_PER_DAY) {
                throw new GroupException("at most " + GroupState.MAX_PER_DAY + " messages a day in one group");
            }
            GroupMessage.Builder b = GroupMessage.newBuilder().setGroupId(s.groupId).setAuthor(myKey)
                    .setSequence(s.head(myKey) + 1).setComposedAtMs(now).setAction(action).setText(text)
                    .setSubject(subject).setSubjectSeq(subjectSeq).addAllParents(s.parents(myKey));
            if ((action == GroupAction.JOIN || action == GroupAction.LEAVE) && s.head(myKey) == 0 && s.addId != null) {
                b.clearParents().addParents(s.addId); // the invitation's ADD: whoever takes our answer holds it
            }
            m = GroupMessages.sign(b.build(), me);
            id = ByteString.copyFrom(GroupMessages.messageId(m));
            try {
                List<GroupMessageRow> stored = profile.groups().append(s.id,
                        List.of(new NewGroupMessage(me.publicKey(), m.getSequence(), id.toByteArray(), m.toByteArray())));
                row = stored.get(0);
            } catch (StoreException e) {
                throw storage(e);
            }
            Fresh fresh = new Fresh(s.lastPos, row.pos(), myKey, m.getSequence(),
                    Envelope.newBuilder().setGroupMessage(m).build());
            s.apply(m, id, row.pos());
            handed = handOut(s, List.of(fresh));
        }
        // Sent first (from memory, once durable), before the view and its event.
        handed.forEach(Runnable::run);
        GroupPost post = post(s, row, namesOnDemand()); // our own: no contact is looked up
        publish(new GroupEvent.Posted(post));
        if (action != GroupAction.POST) {
            changed(s);
        }
        return post;
    }

    // ---- session hook ----

    @Override
    public void up(PeerLink link) {
        Peer p = new Peer(link);
        long contact = link.contact().value();
        synchronized (newestSession) {
            Long newest = newestSession.get(contact);
            if (newest != null && link.order() < newest) {
                return; // an older session told late (two were dialled at once): the newer one stays
            }
            newestSession.put(contact, link.order());
            peers.put(contact, p);
        }
        for (GroupState s : groups.values()) {
            boolean summary;
            boolean invite;
            synchronized (s) {
                summary = syncsWith(s, p.key) || (s.status == GroupStore.GroupState.LEFT && s.isCurrent(p.key));
                GroupState.Member m = s.members.get(p.key);
                invite = s.status == GroupStore.GroupState.JOINED && m != null && m.current() && !m.joined
                        && myKey.equals(m.addedBy);
            }
            if (invite) {
                sendInvitation(p, s, p.key);
            }
            if (summary) {
                sendSummary(p, s, true);
            }
        }
    }

    @Override
    public void down(PeerLink link) {
        Peer p = peers.get(link.contact().value());
        if (p != null && p.link == link) {
            peers.remove(link.contact().value(), p);
        }
    }

    @Override
    public boolean receive(PeerLink link, Envelope e, boolean moreBuffered) throws StoreException {
        if (!enter()) {
            return true; // stopped: nothing is stored, so the peer sends it again on a later session
        }
        try {
            return receiveRunning(link, e, moreBuffered);
        } finally {
            exit();
        }
    }

    private boolean receiveRunning(PeerLink link, Envelope e, boolean moreBuffered) throws StoreException {
        Peer p = peers.get(link.contact().value());
        if (p == null || p.link != link) {
            return true; // a session being replaced
        }
        if (e.hasGroupMessage()) {
            if (!p.pending.isEmpty() && !p.pending.get(0).getGroupId().equals(e.getGroupMessage().getGroupId())) {
                flush(p);
            }
            p.pending.add(e.getGroupMessage());
            if (moreBuffered && p.pending.size() < BATCH) {
                return true;
            }
            flush(p);
        } else {
            flush(p);
            if (e.hasGroupSummary()) {
                onSummary(p, e.getGroupSummary());
            } else if (e.hasGroupInvitation()) {
                onInvitation(p, e.getGroupInvitation());
            }
        }
        return p.invalid <= MAX_INVALID_PER_SESSION;
    }

    private boolean syncsWith(GroupState s, ByteString peer) {
        if (s.status != GroupStore.GroupState.JOINED || !s.isCurrent(myKey) || !s.isCurrent(peer)) {
            return false;
        }
        GroupState.Member m = s.members.get(peer);
        return m.joined || peer.equals(s.creator) || myKey.equals(m.addedBy) || peer.equals(s.inviter);
    }

    /**
     * Whether we, a current member, take what {@code peer} sends although we do not sync with
     * it: not known to have left or been removed (a member that joined, or was added, while we
     * were away). Every message is checked as from any member. Caller holds {@code s}.
     */
    private boolean mayLearnFrom(GroupState s, ByteString peer) {
        if (s.status != GroupStore.GroupState.JOINED || !s.isCurrent(myKey)) {
            return false;
        }
        GroupState.Member m = s.members.get(peer);
        return m == null || (!m.left && !m.removed);
    }

    /** Caller holds {@code s}. */
    private boolean learnsFrom(GroupState s, Peer p) {
        PeerGroup pg = p.groups.get(s.groupId);
        if (pg == null || !mayLearnFrom(s, p.key)) {
            return false;
        }
        synchronized (pg) {
            return pg.learning;
        }
    }

    private void flush(Peer p) throws StoreException {
        if (p.pending.isEmpty()) {
            return;
        }
        List<GroupMessage> batch = new ArrayList<>(p.pending);
        p.pending.clear();
        GroupState s = groups.get(batch.get(0).getGroupId());
        if (s == null) {
            return; // not a group of ours (any more)
        }
        List<GroupMessage> taken = new ArrayList<>();
        List<GroupMessageRow> rows;
        List<Fresh> fresh = new ArrayList<>();
        List<Runnable> handed;
        boolean membership = false;
        boolean removedMe = false;
        List<GroupMessage> removals = new ArrayList<>();
        List<ByteString> introduced = new ArrayList<>();
        long contact = p.link.contact().value();
        java.time.Duration wait = null;
        boolean lacksParents = false;
        boolean storedAfter = false;
        synchronized (s) {
            if (!syncsWith(s, p.key) && !learnsFrom(s, p)) {
                return; // from a non-member, or a group we left: not ours to store
            }
            List<NewGroupMessage> toStore = new ArrayList<>();
            List<ByteString> takenIds = new ArrayList<>();
            List<GroupMessage> held = new ArrayList<>();
            long now = clock.millis();
            for (GroupMessage m : batch) {
                ByteString id = ByteString.copyFrom(GroupMessages.messageId(m));
                if (m.getSequence() == s.head(m.getAuthor()) + 1
                        && (wait = limits.admitPeer(s.groupId, contact)) != null) {
                    continue; // the peer is over what it may make us check: as a refusal below
                }
                GroupState.Verdict v = s.check(m, id, now);
                if (v == GroupState.Verdict.ACCEPT && (wait = limits.admitFresh(s.groupId, m, now)) != null) {
                    continue; // over a rate limit: not stored, not in our receipt; asked for again below
                }
                if (v == GroupState.Verdict.ACCEPT || v == GroupState.Verdict.DUPLICATE) {
                    held.add(m);
                }
                if (v == GroupState.Verdict.ACCEPT) {
                    storedAfter |= lacksParents;
                    s.apply(m, id, 0); // the stored position follows below
                    taken.add(m);
                    takenIds.add(id);
                    toStore.add(new NewGroupMessage(m.getAuthor().toByteArray(), m.getSequence(), id.toByteArray(),
                            m.toByteArray()));
                } else if (v == GroupState.Verdict.DROP) {
                    dropped.incrementAndGet();
                    p.invalid++;
                } else if (v == GroupState.Verdict.LATER && m.getSequence() == s.head(m.getAuthor()) + 1) {
                    lacksParents = true; // not a gap in its chain (a rate limit's is asked for below)
                }
            }
            if (toStore.isEmpty()) {
                rows = List.of();
            } else {
                try {
                    rows = profile.groups().append(s.id, toStore);
                } catch (StoreException e) {
                    reload(s);
                    throw e;
                }
                long before = s.lastPos;
                for (GroupMessageRow r : rows) {
                    GroupMessage m = taken.get(takenIds.indexOf(ByteString.copyFrom(r.msgId())));
                    fresh.add(new Fresh(before, r.pos(), m.getAuthor(), m.getSequence(),
                            Envelope.newBuilder().setGroupMessage(m).build()));
                    before = r.pos();
                    s.lastPos = Math.max(s.lastPos, r.pos());
                }
                for (GroupMessage m : taken) {
                    if (m.getAction() == GroupAction.REMOVE) {
                        byte[] mid = GroupMessages.messageId(m);
                        for (GroupMessageRow r : rows) {
                            if (java.util.Arrays.equals(r.msgId(), mid)) {
                                GroupState.removedAt(s.member(m.getSubject()), r.pos());
                            }
                        }
                    }
                }
            }
            for (GroupMessage m : taken) {
                if (m.getAction() != GroupAction.POST) {
                    membership = true;
                }
                if (m.getAction() == GroupAction.INTRODUCE) {
                    introduced.add(m.getAuthor());
                }
                if (m.getAction() == GroupAction.REMOVE) {
                    removals.add(m);
                    removedMe |= m.getSubject().equals(myKey);
                }
            }
            if (removedMe) {
                s.status = GroupStore.GroupState.LEFT;
            }
            // The peer holds what it sent us: no push or pump sends it back (PeerGroup.sentUs).
            PeerGroup from = p.group(s.groupId);
            synchronized (from) {
                for (GroupMessage m : held) {
                    from.sentUs.merge(m.getAuthor(), m.getSequence(), Math::max);
                }
            }
            handed = fresh.isEmpty() ? List.of() : handOut(s, fresh);
        }
        for (GroupMessage r : removals) {
            profile.groups().hideAfter(s.id, r.getSubject().toByteArray(), r.getSubjectSeq());
        }
        if (removedMe) {
            profile.groups().setState(s.id, GroupStore.GroupState.LEFT);
            Optional<GroupRow> row = profile.groups().group(s.id);
            if (row.isPresent()) {
                publish(new GroupEvent.Removed(view(s, row.get())));
            }
        }
        for (ByteString author : introduced) {
            introductions.introduced(author);
        }
        // The receipt, then what others lack — before the events below, which read the authors'
        // contacts from the store: the sender and the next hop need not wait for that.
        sendSummary(p, s, false);
        if (wait != null) {
            limits.later(contact, s.groupId, wait, () -> {
                if (peers.get(contact) == p) {
                    sendSummary(p, s, true, true);
                }
            });
        }
        handed.forEach(Runnable::run);
        if (!rows.isEmpty()) {
            Names names = namesOnDemand(); // the batch's authors only (usually one), not every contact
            for (GroupMessageRow r : rows) {
                GroupPost post = post(s, r, names);
                if (post != null) {
                    publish(new GroupEvent.Posted(post));
                }
            }
            if (membership) {
                changed(s);
            }
        }
        if (lacksParents && storedAfter) {
            sendSummary(p, s, true, true); // what came after it may hold its parents (an invitee's ADD)
        } else if (lacksParents) {
            PeerGroup pg = p.group(s.groupId);
            synchronized (pg) {
                pg.askAgain = true;
            }
        }
    }

    private void reload(GroupState s) {
        try {
            Optional<GroupRow> row = profile.groups().group(s.id);
            if (row.isPresent()) {
                groups.put(s.groupId, rebuild(row.get()));
            }
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "reloading a group failed: {0}", e.getMessage());
        }
    }

    /**
     * A peer's summary is recorded whatever we think of the peer now (it may be a member whose
     * JOIN has not reached us yet): what it holds is a fact that later decisions need. Whether
     * anything is sent is decided by membership, now and again at every send.
     */
    private void onSummary(Peer p, GroupSummary summary) {
        GroupState s = groups.get(summary.getGroupId());
        if (s == null) {
            return;
        }
        boolean weLack = false;
        boolean theyLack = false;
        boolean sync;
        boolean leftOnly;
        boolean notice;
        Duration later = null;
        synchronized (s) {
            sync = syncsWith(s, p.key);
            leftOnly = !sync && s.status == GroupStore.GroupState.LEFT && s.isCurrent(p.key);
            notice = s.noticeUpTo(p.key, myKey) > 0;
            PeerGroup pg = p.group(s.groupId);
            synchronized (pg) {
                pg.reported.clear();
                for (GroupHead h : summary.getHeadsList()) {
                    if (s.members.containsKey(h.getAuthor()) || s.heads.containsKey(h.getAuthor())) {
                        // Only authors we know: a peer's summaries of made-up authors would grow this
                        // map without bound. One we learn of later is sent to it again at worst.
                        pg.reported.merge(h.getAuthor(), h.getSequence(), Math::max);
                    }
                    if (h.getSequence() > s.head(h.getAuthor())) {
                        weLack = true;
                    }
                }
                if (summary.getResend()) {
                    // It refused some of what we sent (a rate limit) and holds just this: send it
                    // what it lacks again, from the start of our storage order — at our pace.
                    later = rewind(pg, true);
                }
                for (Map.Entry<ByteString, Long> h : pg.reported.entrySet()) {
                    pg.heads.merge(h.getKey(), h.getValue(), Math::max);
                }
                pg.summaryKnown = true;
                // What it sent us before this summary is in its heads now (PeerGroup.doubted).
                boolean rewind = false;
                for (Map.Entry<ByteString, Long> d : pg.doubted.entrySet()) {
                    rewind |= pg.heads.getOrDefault(d.getKey(), 0L) < d.getValue();
                }
                pg.doubted.clear();
                if (rewind) {
                    if (!summary.getResend()) { // a resend's rewind covers it
                        later = rewind(pg, false);
                    }
                } else {
                    for (Map.Entry<ByteString, Long> sent : pg.sentUs.entrySet()) {
                        if (pg.heads.getOrDefault(sent.getKey(), 0L) < sent.getValue()) {
                            pg.doubted.put(sent.getKey(), sent.getValue());
                        }
                    }
                }
                pg.sentUs.clear();
                for (Map.Entry<ByteString, Long> h : s.heads.entrySet()) {
                    if ((!leftOnly || h.getKey().equals(myKey)) && pg.held(h.getKey()) < h.getValue()) {
                        theyLack = true;
                    }
                }
            }
            if (s.isCurrent(p.key)) {
                s.reported.put(p.key, heads(summary));
            }
        }
        if (later != null) {
            PeerGroup pg = p.group(s.groupId);
            limits.after(later, () -> rewindDue(p, s, pg));
        }
        if (notice) {
            pump(p, s); // a removed member: what leads up to its REMOVE, so that it learns
            return;
        }
        if (!sync && !leftOnly) {
            boolean learn;
            synchronized (s) {
                learn = weLack && mayLearnFrom(s, p.key);
            }
            if (learn) {
                PeerGroup pg = p.group(s.groupId);
                synchronized (pg) {
                    pg.learning = true;
                }
                sendSummary(p, s, true); // it sends us what we lack, its ADD and JOIN among it
            }
            return; // one that left, or one we do not sync with yet: nothing of ours
        }
        publish(new GroupEvent.Delivery(GroupId.of(s.id)));
        if (theyLack) {
            pump(p, s);
        }
        if (weLack && sync) {
            // Always, even if unchanged: the peer pumps to us only once it knows what we hold, and the
            // summary we sent before may have reached it before it knew the group (an invitee's case).
            sendSummary(p, s, true);
        }
    }

    /**
     * Rewinds what we believe {@code pg}'s peer holds, so that the next pump re-reads the group
     * from the start of our storage order and sends what it lacks again: {@code toReported}
     * (a {@code resend} summary) also forgets what we sent it, back to the heads of its latest
     * summary. A peer can ask for that as often as it likes and each costs a read of the whole
     * group and a re-send of all it claims to lack, so rewinds are paced: at most one per
     * {@link GroupLimits#REWIND_SPACING} per peer and group (an honest receiver asks again at
     * most that often: {@link GroupLimits#later}); one asked sooner is carried out when its turn
     * comes, and further asks meanwhile join it. Returns how long until that turn if it is to be
     * scheduled now (the caller calls {@link #rewindDue} then), else null. Caller holds {@code pg}.
     */
    private static Duration rewind(PeerGroup pg, boolean toReported) {
        if (pg.rewindDue) {
            pg.rewindHeads |= toReported;
            return null; // joins the one that waits
        }
        long now = System.nanoTime();
        long wait = pg.rewound ? pg.lastRewind + GroupLimits.REWIND_SPACING.toNanos() - now : 0;
        if (wait > 0) {
            pg.rewindDue = true;
            pg.rewindHeads = toReported;
            return Duration.ofNanos(wait);
        }
        if (toReported) {
            pg.heads.clear();
            pg.heads.putAll(pg.reported);
        }
        pg.cursor = 0;
        pg.rewinds++;
        pg.lastRewind = now;
        pg.rewound = true;
        return null;
    }

    /** A rewind's turn came ({@link #rewind}): carried out, and the peer sent what it lacks. */
    private void rewindDue(Peer p, GroupState s, PeerGroup pg) {
        if (peers.get(p.link.contact().value()) != p) {
            return; // the session is gone: a new one starts from the peer's summary anyway
        }
        synchronized (pg) {
            if (!pg.rewindDue) {
                return;
            }
            pg.rewindDue = false;
            pg.rewound = false; // its turn: now
            rewind(pg, pg.rewindHeads);
        }
        pump(p, s);
    }

    private static Map<ByteString, Long> heads(GroupSummary summary) {
        Map<ByteString, Long> out = new HashMap<>();
        for (GroupHead h : summary.getHeadsList()) {
            out.put(h.getAuthor(), h.getSequence());
        }
        return out;
    }

    private void onInvitation(Peer p, GroupInvitation inv) throws StoreException {
        GroupMessage create = inv.getCreate();
        GroupMessage add = inv.getAdd();
        byte[] gid = create.getGroupId().toByteArray();
        boolean valid = create.getAction() == GroupAction.CREATE && add.getAction() == GroupAction.ADD
                && java.util.Arrays.equals(gid, GroupMessages.groupId(create.getAuthor().toByteArray(),
                        create.getSubject().toByteArray()))
                && add.getSubject().equals(myKey) && add.getAuthor().equals(p.key)
                && GroupMessages.verify(create) && GroupMessages.verify(add);
        if (!valid) {
            dropped.incrementAndGet();
            p.invalid++;
            return;
        }
        GroupState known = groups.get(create.getGroupId());
        if (known != null) {
            boolean answered;
            synchronized (known) {
                answered = known.status != GroupStore.GroupState.INVITED;
            }
            if (answered) {
                sendSummary(p, known, true); // tells the inviter we answered already
            }
            // Not answered yet: no summary, or the inviter would send us what we drop while invited.
            return;
        }
        if (!limits.admitInvitation(openInvitationsFrom(p.key))) {
            return; // the inviter sends it again on a later session, once we answered some
        }
        GroupRow row = new GroupRow(gid, GroupStore.GroupState.INVITED, p.link.contact(), inv.toByteArray(), 0, 0);
        GroupState s = new GroupState(gid, GroupStore.GroupState.INVITED);
        s.provisional(create, add);
        s.inviter = add.getAuthor();
        s.invitationName = inv.getName();
        s.addId = ByteString.copyFrom(GroupMessages.messageId(add));
        try {
            if (!profile.groups().addGroup(row)) {
                return;
            }
        } catch (StoreException e) {
            if (e.getMessage() != null && e.getMessage().contains("most groups")) {
                LOG.fine("invitation dropped: group cap reached");
                return;
            }
            throw e;
        }
        groups.put(s.groupId, s);
        try {
            publish(new GroupEvent.Invited(view(s, row)));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "invitation event failed", e);
        }
    }

    /** Invitations from {@code inviter} not answered yet. */
    private int openInvitationsFrom(ByteString inviter) {
        int n = 0;
        for (GroupState s : groups.values()) {
            synchronized (s) {
                if (s.status == GroupStore.GroupState.INVITED && inviter.equals(s.inviter)) {
                    n++;
                }
            }
        }
        return n;
    }

    // ---- sending ----

    private void sendInvitation(Peer p, GroupState s, ByteString subject) {
        GroupInvitation inv;
        synchronized (s) {
            GroupState.Member m = s.members.get(subject);
            if (s.createMessage == null || m == null || m.addMessage == null) {
                return;
            }
            GroupInvitation.Builder b = GroupInvitation.newBuilder().setCreate(s.createMessage).setAdd(m.addMessage)
                    .setName(s.name.isEmpty() ? "?" : s.name);
            Names names = namesQuietly(); // every member's name: one read of all contacts
            for (GroupState.Member x : s.members.values()) {
                if (x.current() && b.getMembersCount() < GroupMessages.MAX_MEMBERS) {
                    b.addMembers(GroupMember.newBuilder().setKey(x.key).setNickname(truncate(
                            x.key.equals(myKey) ? "" : names.name(x.key, x.suggestedName),
                            org.allium.protocol.Limits.MAX_NICKNAME_BYTES)));
                }
            }
            inv = b.build();
        }
        Envelope e = Envelope.newBuilder().setGroupInvitation(inv).build();
        p.link.submit(out -> out.send(e));
    }

    private void sendSummary(Peer p, GroupState s, boolean always) {
        sendSummary(p, s, always, false);
    }

    /** {@code resend}: the peer is to send what this summary lacks even if it sent it before (§12.4, rate limits). */
    private void sendSummary(Peer p, GroupState s, boolean always, boolean resend) {
        GroupSummary.Builder b = GroupSummary.newBuilder().setGroupId(s.groupId);
        synchronized (s) {
            for (Map.Entry<ByteString, Long> h : s.heads.entrySet()) {
                if (b.getHeadsCount() < GroupMessages.MAX_HEADS) {
                    b.addHeads(GroupHead.newBuilder().setAuthor(h.getKey()).setSequence(h.getValue()));
                }
            }
        }
        GroupSummary summary = b.build();
        PeerGroup pg = p.group(s.groupId);
        synchronized (pg) {
            if (!always && summary.equals(pg.lastSent)) {
                return;
            }
            pg.lastSent = summary;
        }
        Envelope e = Envelope.newBuilder().setGroupSummary(resend ? summary.toBuilder().setResend(true).build()
                : summary).build();
        p.link.submit(out -> out.send(e));
    }

    /**
     * After a change: every connected peer that syncs the group gets what it lacks, and one we
     * have not yet told of the group (it just joined, we just accepted) gets our summary first.
     */
    private void pumpAll(GroupState s) {
        for (Peer p : peers.values()) {
            boolean eligible;
            boolean notice;
            synchronized (s) {
                eligible = syncsWith(s, p.key) || (s.status == GroupStore.GroupState.LEFT && s.isCurrent(p.key));
                notice = !eligible && s.noticeUpTo(p.key, myKey) > 0;
            }
            if (notice) {
                pump(p, s); // once its summary is known; no summary of ours goes to a removed member
                continue;
            }
            if (!eligible) {
                boolean ask = false;
                synchronized (s) {
                    if (learnsFrom(s, p)) {
                        PeerGroup pg = p.groups.get(s.groupId);
                        synchronized (pg) {
                            ask = pg.askAgain;
                            pg.askAgain = false;
                        }
                    }
                }
                if (ask) {
                    sendSummary(p, s, true, true); // one we learn from: its JOIN may fit now
                }
                continue;
            }
            PeerGroup pg = p.groups.get(s.groupId);
            boolean told;
            if (pg == null) {
                told = false;
            } else {
                synchronized (pg) {
                    told = pg.lastSent != null;
                }
            }
            boolean ask = false;
            if (pg != null) {
                synchronized (pg) {
                    ask = pg.askAgain;
                    pg.askAgain = false;
                }
            }
            if (ask) {
                sendSummary(p, s, true, true); // we stored something new: what lacked parents may fit now
            } else if (!told) {
                sendSummary(p, s, true);
            }
            pump(p, s);
        }
    }

    /**
     * Right after rows were stored (ours or received, in storage order), under the group's
     * monitor: hands them to the push of every peer that syncs the group, so that whatever
     * runs on its writer next — a push, or a pump a summary asked for — sends them from memory,
     * not one store read per peer and row. Returns what to do once the monitor is released:
     * queue those pushes, and (as {@link #pumpAll}) tell a peer not told of the group yet our
     * summary, pump a removed member what leads to its removal.
     */
    private List<Runnable> handOut(GroupState s, List<Fresh> fresh) {
        List<Runnable> then = new ArrayList<>();
        for (Peer p : peers.values()) {
            boolean eligible = syncsWith(s, p.key) || (s.status == GroupStore.GroupState.LEFT && s.isCurrent(p.key));
            if (!eligible) {
                if (s.noticeUpTo(p.key, myKey) > 0) {
                    then.add(() -> pump(p, s));
                } else if (learnsFrom(s, p)) {
                    PeerGroup pg = p.groups.get(s.groupId);
                    synchronized (pg) {
                        if (pg.askAgain) {
                            pg.askAgain = false;
                            then.add(() -> sendSummary(p, s, true, true)); // one we learn from: its JOIN may fit now
                        }
                    }
                }
                continue;
            }
            PeerGroup pg = p.groups.get(s.groupId);
            if (pg == null) {
                then.add(() -> sendSummary(p, s, true));
                continue;
            }
            boolean queue;
            synchronized (pg) {
                if (pg.askAgain) {
                    pg.askAgain = false;
                    then.add(() -> sendSummary(p, s, true, true)); // we stored something new: what lacked parents may fit now
                } else if (pg.lastSent == null) {
                    then.add(() -> sendSummary(p, s, true));
                }
                if (!pg.summaryKnown) {
                    continue; // its summary brings a pump, which reads what it lacks
                }
                if (!pg.liveOverflow) {
                    for (Fresh f : fresh) {
                        pg.live.put(f.pos(), f);
                    }
                    if (pg.live.size() > MAX_LIVE) {
                        pg.live.clear();
                        pg.liveOverflow = true;
                    }
                }
                queue = !pg.pushQueued;
                pg.pushQueued = true;
            }
            if (queue) {
                then.add(() -> {
                    if (!p.link.submit(out -> runPush(p, s, pg, out))) {
                        synchronized (pg) {
                            pg.pushQueued = false;
                            pg.live.clear();
                            pg.liveOverflow = false;
                        }
                    }
                });
            }
        }
        return then;
    }

    /**
     * On the peer's writer: sends the rows handed to the push that the peer lacks, in storage
     * order, by the same rule as {@link #sendLacking} (a row goes when it is its author's next
     * for the peer) — from memory while they follow on what the peer was considered for; from
     * the store after a gap (rows this push was not handed), an overflow, or for a peer the
     * live rules do not cover (removed, or a group we left).
     */
    private void runPush(Peer p, GroupState s, PeerGroup pg, PeerLink.Sender out) throws java.io.IOException {
        synchronized (pg) {
            pg.pushQueued = false;
        }
        if (sendLive(p, s, pg, out)) {
            sendLacking(p, s, pg, out);
        }
    }

    /** Sends the rows handed to the push from memory as {@link #runPush} says; returns whether the store is needed. */
    private boolean sendLive(Peer p, GroupState s, PeerGroup pg, PeerLink.Sender out) throws java.io.IOException {
        List<Fresh> rows;
        boolean fromStore;
        synchronized (pg) {
            rows = new ArrayList<>(pg.live.values());
            pg.live.clear();
            fromStore = pg.liveOverflow;
            pg.liveOverflow = false;
        }
        List<Envelope> send = new ArrayList<>();
        synchronized (s) {
            if (groups.get(s.groupId) != s) {
                return false; // reloaded or gone
            }
            if (!syncsWith(s, p.key)) {
                fromStore = true;
            } else if (!fromStore) {
                GroupState.Member m = s.members.get(p.key);
                boolean answered = m == null || m.joined || p.key.equals(s.creator);
                synchronized (pg) {
                    if (!answered && !pg.heads.containsKey(p.key)) {
                        return false; // an invitee that has not accepted: as sendLacking
                    }
                    for (Fresh f : rows) {
                        if (f.pos() <= pg.cursor) {
                            continue; // a pump got there first
                        }
                        if (f.before() > pg.cursor) {
                            fromStore = true; // rows in between were not handed to us
                            break;
                        }
                        pg.cursor = f.pos();
                        long head = pg.held(f.author());
                        GroupState.Member author = s.members.get(f.author());
                        boolean cutOff = author != null && f.seq() > author.cutoff; // hidden in the store since
                        if (f.envelope() != null && !cutOff && f.seq() == head + 1) {
                            pg.heads.put(f.author(), f.seq());
                            send.add(f.envelope());
                        }
                    }
                }
            }
        }
        for (Envelope e : send) {
            out.send(e);
            sentLive.incrementAndGet();
        }
        return fromStore;
    }

    /** Queues, at most once at a time, sending the peer what it lacks of the group, in storage order. */
    private void pump(Peer p, GroupState s) {
        PeerGroup pg = p.groups.get(s.groupId);
        if (pg == null) {
            return;
        }
        synchronized (pg) {
            if (!pg.summaryKnown || pg.pumpQueued) {
                return;
            }
            pg.pumpQueued = true;
        }
        if (!p.link.submit(out -> runPump(p, s, pg, out))) {
            synchronized (pg) {
                pg.pumpQueued = false;
            }
        }
    }

    private void runPump(Peer p, GroupState s, PeerGroup pg, PeerLink.Sender out) throws java.io.IOException {
        synchronized (pg) {
            pg.pumpQueued = false;
        }
        // Rows handed to a push that has not run yet go from memory first: a summary asking for
        // what is on its way then costs no store read.
        sendLive(p, s, pg, out);
        sendLacking(p, s, pg, out);
    }

    /** On the peer's writer: sends what the peer lacks of the group, read from the store after its cursor. */
    private void sendLacking(Peer p, GroupState s, PeerGroup pg, PeerLink.Sender out) throws java.io.IOException {
        boolean leftOnly;
        long last;
        long upTo;
        synchronized (s) {
            GroupState current = groups.get(s.groupId);
            if (current != s) {
                return; // reloaded or gone
            }
            boolean sync = syncsWith(s, p.key);
            leftOnly = !sync && s.status == GroupStore.GroupState.LEFT && s.isCurrent(p.key);
            long notice = sync || leftOnly ? 0 : s.noticeUpTo(p.key, myKey);
            if (!sync && !leftOnly && notice == 0) {
                return; // nothing for them from the moment we know
            }
            // A removed member gets what we stored up to its REMOVE (included), never anything after.
            upTo = notice > 0 ? notice : Long.MAX_VALUE;
            GroupState.Member m = s.members.get(p.key);
            boolean answered = m == null || m.joined || p.key.equals(s.creator);
            synchronized (pg) {
                if (pg.cursor >= upTo) {
                    return;
                }
                if (sync && !answered && !pg.heads.containsKey(p.key)) {
                    // An invitee whose summary holds nothing of its own has not accepted: it drops
                    // what we send while invited, and we would count it as held. Its JOIN comes first.
                    return;
                }
            }
            last = s.lastPos;
            boolean lacks = false;
            synchronized (pg) {
                for (Map.Entry<ByteString, Long> h : s.heads.entrySet()) {
                    if (pg.held(h.getKey()) < h.getValue()) {
                        lacks = true;
                        break;
                    }
                }
                if (!lacks) {
                    pg.cursor = Math.max(pg.cursor, last);
                    return;
                }
            }
        }
        while (true) {
            long cursor;
            long rewinds;
            synchronized (pg) {
                cursor = pg.cursor;
                rewinds = pg.rewinds;
            }
            List<GroupMessageRow> rows;
            try {
                rows = profile.groups().messages(s.id, cursor, PAGE);
                storeReads.incrementAndGet();
            } catch (StoreException e) {
                throw new java.io.IOException("reading group messages failed: " + e.getMessage(), e);
            }
            boolean rewound = false;
            for (GroupMessageRow r : rows) {
                if (r.pos() > upTo) {
                    return;
                }
                ByteString author = ByteString.copyFrom(r.author());
                boolean send;
                synchronized (pg) {
                    if (pg.rewinds != rewinds) {
                        rewound = true; // the peer asked to start over: read again from its cursor
                        break;
                    }
                    pg.cursor = r.pos();
                    long head = pg.held(author);
                    send = r.raw() != null && !r.hidden() && r.seq() == head + 1 && (!leftOnly || author.equals(myKey));
                    if (send) {
                        pg.heads.put(author, r.seq());
                    }
                }
                if (send) {
                    try {
                        out.send(Envelope.newBuilder().setGroupMessage(GroupMessage.parseFrom(r.raw())).build());
                        sentFromStore.incrementAndGet();
                    } catch (InvalidProtocolBufferException e) {
                        LOG.warning("a stored group message does not parse");
                    }
                }
            }
            if (!rewound && rows.size() < PAGE) {
                return;
            }
        }
    }

    // ---- views ----

    private GroupState state(GroupId group) throws GroupException {
        GroupState s = groups.get(ByteString.copyFrom(group.bytes()));
        if (s == null) {
            throw new GroupException("no such group");
        }
        return s;
    }

    private GroupState joined(GroupId group) throws GroupException {
        GroupState s = state(group);
        synchronized (s) {
            if (s.status != GroupStore.GroupState.JOINED || !s.isCurrent(myKey)) {
                GroupState.Member m = s.members.get(myKey);
                throw new GroupException(m != null && m.removed ? "you were removed from this group"
                        : "not a member of this group");
            }
        }
        return s;
    }

    private void setStatus(GroupState s, GroupStore.GroupState status) throws StorageException {
        try {
            profile.groups().setState(s.id, status);
        } catch (StoreException e) {
            throw storage(e);
        }
        synchronized (s) {
            s.status = status;
        }
    }

    private Group view(GroupState s, GroupRow row) {
        int unread = 0;
        try {
            for (GroupMessageRow r : profile.groups().messages(s.id, row.readUpTo(), 2000)) {
                if (!r.hidden() && r.raw() != null && !java.util.Arrays.equals(r.author(), me.publicKey())) {
                    unread++;
                }
            }
        } catch (StoreException e) {
            LOG.fine("counting unread failed: " + e.getMessage());
        }
        String inviter = null;
        ByteString inviterKey;
        synchronized (s) {
            inviterKey = s.inviter;
        }
        // The inviter's contact only (no store read under the group's monitor).
        Contact inviterContact = inviterKey == null ? null : namesOnDemand().contact(inviterKey);
        synchronized (s) {
            if (s.inviter != null) {
                GroupState.Member m = s.members.get(s.inviter);
                inviter = Names.name(s.inviter.equals(inviterKey) ? inviterContact : null,
                        m == null ? "" : m.suggestedName);
            }
            Group.Status status = switch (s.status) {
                case INVITED -> Group.Status.INVITED;
                case JOINED -> Group.Status.JOINED;
                case LEFT -> s.members.containsKey(myKey) && s.members.get(myKey).removed ? Group.Status.REMOVED
                        : Group.Status.LEFT;
            };
            String name = !s.name.isEmpty() ? s.name : s.invitationName != null ? s.invitationName : "";
            return new Group(GroupId.of(s.id), name, status, inviter, s.currentCount(), unread,
                    s.isAdmin(myKey), myKey.equals(s.creator));
        }
    }

    private GroupPost post(GroupState s, GroupMessageRow r, Names names) {
        if (r.raw() == null || r.hidden()) {
            return null;
        }
        GroupMessage m;
        try {
            m = GroupMessage.parseFrom(r.raw());
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
        ByteString author = m.getAuthor();
        boolean mine = author.equals(myKey);
        GroupPost.Kind kind = switch (m.getAction()) {
            case CREATE -> GroupPost.Kind.CREATED;
            case JOIN -> GroupPost.Kind.JOINED;
            case LEAVE -> GroupPost.Kind.LEFT;
            case ADD -> GroupPost.Kind.ADDED;
            case REMOVE -> GroupPost.Kind.REMOVED;
            case RENAME -> GroupPost.Kind.RENAMED;
            case APPOINT -> GroupPost.Kind.APPOINTED;
            case INTRODUCE -> GroupPost.Kind.INTRODUCED;
            default -> GroupPost.Kind.POST;
        };
        String subject = null;
        if (m.getSubject().size() == 32) {
            subject = OnionAddress.fromPublicKey(m.getSubject().toByteArray()).serviceId();
        }
        int delivered = 0;
        int of = 0;
        String authorName;
        Contact authorContact = mine ? null : names.contact(author); // any store read before the monitor
        synchronized (s) {
            GroupState.Member a = s.members.get(author);
            authorName = mine ? "me" : Names.name(authorContact, a == null ? "" : a.suggestedName);
            if (mine) {
                for (GroupState.Member x : s.members.values()) {
                    if (x.current() && !x.key.equals(myKey)) {
                        of++;
                        Map<ByteString, Long> rep = s.reported.get(x.key);
                        if (rep != null && rep.getOrDefault(myKey, 0L) >= m.getSequence()) {
                            delivered++;
                        }
                    }
                }
            }
        }
        String text = m.getAction() == GroupAction.POST || m.getAction() == GroupAction.CREATE
                || m.getAction() == GroupAction.RENAME ? m.getText() : "";
        return new GroupPost(GroupId.of(s.id), java.util.HexFormat.of().formatHex(r.msgId()), kind,
                OnionAddress.fromPublicKey(author.toByteArray()).serviceId(), authorName, mine, m.getSequence(),
                Instant.ofEpochMilli(m.getComposedAtMs()), text, subject, delivered, of);
    }

    /**
     * Display names of the accepted contacts, by identity key: either all of them read at once
     * ({@link #names}, for lists of members), or each looked up when first asked for and then
     * remembered ({@link #namesOnDemand}, for a batch's few authors). One thread at a time; a
     * lookup reads the store, so never call {@link #contact} under a group's monitor.
     */
    private final class Names {
        final Map<ByteString, Contact> byKey = new HashMap<>();
        /** {@link #byKey} holds every accepted contact: a key not in it is none. */
        final boolean complete;

        Names(boolean complete) {
            this.complete = complete;
        }

        /** The accepted contact with this identity key, or null. May read the store (see above). */
        Contact contact(ByteString key) {
            if (complete || byKey.containsKey(key)) {
                return byKey.get(key);
            }
            Contact c = null;
            try {
                c = profile.contacts().find(OnionAddress.fromPublicKey(key.toByteArray()))
                        .filter(x -> x.state() == ContactState.ACCEPTED).orElse(null);
            } catch (StoreException | RuntimeException e) {
                LOG.fine("looking up a contact failed: " + e.getClass().getSimpleName()); // named without one, as before
            }
            byKey.put(key, c);
            return c;
        }

        String name(ByteString key, String suggested) {
            return name(contact(key), suggested);
        }

        static String name(Contact c, String suggested) {
            if (c != null && c.nickname() != null && !c.nickname().isBlank()) {
                return c.nickname();
            }
            if (suggested != null && !suggested.isBlank()) {
                return suggested;
            }
            // No name at all: empty, as for a contact without a nickname (front ends show a
            // placeholder); never a piece of the address, which reads like a name and is not one.
            return "";
        }

        ContactId contactId(ByteString key) {
            Contact c = contact(key);
            return c == null ? null : new ContactId(c.id().value());
        }
    }

    /** Every accepted contact, read at once. */
    private Names names() throws StorageException {
        try {
            Names n = new Names(true);
            for (Contact c : profile.contacts().list()) {
                if (c.state() == ContactState.ACCEPTED) {
                    n.byKey.put(ByteString.copyFrom(c.address().publicKey()), c);
                }
            }
            return n;
        } catch (StoreException e) {
            throw storage(e);
        }
    }

    /** As {@link #names}; none if the store fails (everyone named by their suggested name). */
    private Names namesQuietly() {
        try {
            return names();
        } catch (StorageException e) {
            return new Names(true);
        }
    }

    /** Contacts looked up by key when first needed: for naming a few authors, not every contact. */
    private Names namesOnDemand() {
        return new Names(false);
    }

    private void changed(GroupState s) {
        try {
            Optional<GroupRow> row = profile.groups().group(s.id);
            if (row.isPresent()) {
                publish(new GroupEvent.Changed(view(s, row.get())));
            }
        } catch (StoreException e) {
            LOG.fine("reading a changed group failed: " + e.getMessage());
        }
    }

    private void publish(GroupEvent e) {
        try {
            eventThread.execute(() -> {
                for (Consumer<GroupEvent> l : listeners) {
                    try {
                        l.accept(e);
                    } catch (RuntimeException ex) {
                        LOG.log(Level.WARNING, "a group listener threw {0}", ex.getClass().getName());
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException ex) {
            LOG.finest("event after stop dropped");
        }
    }

    // ---- helpers ----

    private static ByteString key(String address) throws GroupException {
        try {
            return ByteString.copyFrom(OnionAddress.parse(address).publicKey());
        } catch (RuntimeException e) {
            throw new GroupException("not an address");
        }
    }

    private static String checkName(String name) throws GroupException {
        if (name == null || name.isBlank()) {
            throw new GroupException("a group needs a name");
        }
        String n = name.strip();
        if (n.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new GroupException("a group name is at most " + MAX_NAME_BYTES + " bytes");
        }
        return n;
    }

    static String truncate(String s, int maxBytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= maxBytes) {
            return s;
        }
        int end = maxBytes;
        while (end > 0 && (b[end] & 0xc0) == 0x80) {
            end--;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    private static StorageException storage(StoreException e) {
        return new StorageException(e.getMessage(), e);
    }

    private static final class GroupStoreLimits {
        static final int PAGE = 1000;
    }
}
