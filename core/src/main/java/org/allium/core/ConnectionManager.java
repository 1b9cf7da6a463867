package org.allium.core;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.ContactState;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.IncomingMessage;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.MessageStatus;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.StoreException;
import org.allium.core.api.MessengerEvent;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.SocksException;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.Tor;
import org.allium.tor.api.TorException;

/**
 * Keeps one authenticated session per contact over the private endpoint onions: dials at
 * start and after every loss (capped exponential backoff with jitter, at once when the
 * contact reaches us first), accepts inbound sessions, settles duplicates, keeps sessions
 * alive, and delivers: on every (re)connect it resends everything unacknowledged in
 * sequence order; it acknowledges a message only after the store committed it.
 *
 * <p>All link state is guarded by {@code this}; network and store I/O happen outside the
 * lock on io threads; each session's writes go through its own serial executor.
 */
final class ConnectionManager {
    private static final Logger LOG = Logger.getLogger(ConnectionManager.class.getName());
    /** Most chat messages stored in one commit and acknowledged in one frame (the protocol allows 256 ids). */
    static final int MAX_BURST = 64;
    /** Settings key prefix: an acceptance we still have to deliver (value: our x25519 private key for them). */
    static final String ACCEPT_PENDING = "core.accept.";
    /**
     * Tasks queued on one session's writer at most (a flush, acks, pings, a close). A peer that
     * stops reading fills it and loses its session; its messages stay in the outbox.
     */
    static final int WRITER_QUEUE = 64;
    /** Messages handed to a session's writer without a store read at most; beyond, the next flush reads the outbox. */
    static final int MAX_HANDED = 256;
    /**
     * A contact may replace the endpoint it gave us (a ContactResponse for an accepted
     * contact, with another endpoint) at most once in this time: each costs a store write
     * and a tor command.
     */
    static final Duration ENDPOINT_REWRITE_INTERVAL = Duration.ofHours(1);

    private final Profile profile;
    private final IdentityKeyPair me;
    private final Wire wire;
    private final TorSupervisor tor;
    private final OnionHost host;
    private final Timings timings;
    private final ExecutorService io;
    private final ScheduledExecutorService engine;
    private final EventBus bus;
    /** Private groups: told of every session, handed every group frame. */
    private final org.allium.core.groups.SessionHook groups;
    /** Sessions that became a contact's active one so far (PeerLink.order). Guarded by this. */
    private long activations;
    private final Random random = new Random();
    /**
     * Unique per messenger: contact ids repeat across profiles, and profiles sharing one tor
     * (external tor) must never share a circuit (tor closes a circuit beyond MaxStreams).
     */
    private final String isolationPrefix = Long.toHexString(new java.security.SecureRandom().nextLong()) + "-";

    /** Numbers the dials of contact and file streams: each gets a SOCKS isolation, so a circuit, of its own. */
    private final java.util.concurrent.atomic.AtomicLong dials = new java.util.concurrent.atomic.AtomicLong();

    /**
     * The SOCKS isolation of one dial of one {@code kind} to one contact: a circuit of its own.
     * Never reuse one for a new attempt: when the peer died between acknowledging our
     * introduction and answering it, tor keeps that rendezvous circuit "pending join" for
     * minutes, and every new stream with the same isolation waits on it until it times out
     * (seen with real tor on CI: the receiver's file dials to a restarted sender failed for
     * over 3 minutes while a fresh circuit connected in seconds).
     */
    StreamIsolation isolation(String kind, ContactId id, long attempt) {
        return StreamIsolation.of(isolationPrefix + kind + "-" + id.value() + "-" + attempt);
    }

    /** File transfers (set once before load); gets the file messages and FILE_STREAM connections. */
    private volatile org.allium.core.files.FileEngine files;

    void setFiles(org.allium.core.files.FileEngine files) {
        this.files = files;
    }

    // Guarded by this.
    private final Map<Long, Link> links = new HashMap<>();
    private boolean stopping;

    private static final class Link {
        final ContactId id;
        final OnionAddress peer;
        final Backoff backoff;
        OnionAddress ourEndpoint;
        OnionAddress theirEndpoint;
        ClientAuthKeyPair ourClientAuth;
        boolean accepted;
        /** Our endpoint for an unanswered outgoing request is hosted now (RequestDesk decides when). */
        boolean requestWindow;
        boolean authOnTor;
        Conn active;
        boolean dialing;
        ScheduledFuture<?> redial;
        boolean removed;
        /** {@link System#nanoTime()} of the last endpoint rewrite, or null. */
        Long lastRewriteNanos;

        Link(ContactId id, OnionAddress peer, Backoff backoff) {
            this.id = id;
            this.peer = peer;
            this.backoff = backoff;
        }
    }

    private static final class Conn {
        final Session session;
        final SerialExecutor writer;
        final long upNanos = System.nanoTime();
        final Set<MessageId> inFlight = ConcurrentHashMap.newKeySet();
        final AtomicBoolean flushQueued = new AtomicBoolean();
        /** Messages committed by sendMessage since the last flush: sent without reading the outbox again. */
        final Queue<Message> fresh = new ConcurrentLinkedQueue<>();
        /** Size of {@link #fresh} (at most about {@link #MAX_HANDED}). */
        final java.util.concurrent.atomic.AtomicInteger freshCount = new java.util.concurrent.atomic.AtomicInteger();
        /** The next flush reads the whole outbox (a new session, an acceptance, a retry). */
        final AtomicBoolean fullFlush = new AtomicBoolean(true);
        /** Highest sequence number sent on this session, -1 while unknown. Writer thread only. */
        long lastSentSeq = -1;
        /** This session as the groups hook sees it. */
        org.allium.core.groups.PeerLink link;
        /** When it became its contact's active session (see PeerLink.order). Set under the manager's lock. */
        long order;

        Conn(Session session, SerialExecutor writer) {
            this.session = session;
            this.writer = writer;
        }
    }

    ConnectionManager(Profile profile, IdentityKeyPair me, Wire wire, TorSupervisor tor, OnionHost host,
                      Timings timings, ExecutorService io, ScheduledExecutorService engine, EventBus bus,
                      org.allium.core.groups.SessionHook groups) {
        this.profile = profile;
        this.me = me;
        this.wire = wire;
        this.tor = tor;
        this.host = host;
        this.timings = timings;
        this.io = io;
        this.engine = engine;
        this.bus = bus;
        this.groups = groups;
    }

    /** The groups hook's handle on a session: its writes go through the session's writer, in order. */
    private org.allium.core.groups.PeerLink peerLink(Link l, Conn c) {
        return new org.allium.core.groups.PeerLink() {
            @Override
            public ContactId contact() {
                return l.id;
            }

            @Override
            public OnionAddress peer() {
                return l.peer;
            }

            @Override
            public long order() {
                return c.order;
            }

            @Override
            public boolean submit(WriterTask task) {
                boolean queued = c.writer.offer(() -> {
                    try {
                        task.run(e -> c.session.send(new Frame.Group(e)));
                    } catch (IOException | RuntimeException e) {
                        LOG.fine("contact " + l.id.value() + ": group sync write failed: " + e.getMessage());
                        c.session.close();
                    }
                });
                if (!queued) {
                    c.session.close();
                }
                return queued;
            }
        };
    }

    /** Loads every contact with endpoint keys and hosts our endpoints. Blocks on store I/O. */
    void load() throws StoreException, IOException {
        for (Contact c : profile.contacts().list()) {
            if (c.state() == ContactState.ACCEPTED || c.state() == ContactState.OUTGOING_REQUEST) {
                update(c);
            }
        }
        long ms = timings.keepalive().toMillis();
        engine.scheduleWithFixedDelay(this::pingAll, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * (Re)reads a contact's keys after it was added or changed: hosts our endpoint for it,
     * learns theirs, and dials if it can. Blocks on store I/O.
     */
    void update(Contact c) throws StoreException, IOException {
        EndpointKeys keys = profile.contacts().endpointKeys(c.id());
        Link l;
        boolean needAuth;
        synchronized (this) {
            if (stopping) {
                return;
            }
            l = links.computeIfAbsent(c.id().value(), k -> new Link(c.id(), c.address(),
                    new Backoff(timings.redialBase(), timings.redialCap(), random)));
            l.accepted = c.state() == ContactState.ACCEPTED;
            if (keys.ourEndpoint() != null) {
                l.ourEndpoint = keys.ourEndpoint().address();
            }
            needAuth = keys.theirEndpoint() != null
                    && (l.theirEndpoint == null || !l.theirEndpoint.equals(keys.theirEndpoint()));
            if (needAuth) {
                l.theirEndpoint = keys.theirEndpoint();
                l.ourClientAuth = keys.ourClientAuth();
                l.authOnTor = false;
            }
        }
        boolean hostIt;
        synchronized (this) {
            hostIt = l.accepted || l.requestWindow;
        }
        if (hostIt && keys.ourEndpoint() != null && keys.theirClientAuthPublicKey() != null) {
            hostOurEndpoint(l, keys);
        }
        if (needAuth) {
            tor.onTorThread(() -> {
                Tor t = tor.readyTor();
                if (t != null) {
                    addAuth(t, l);
                }
            });
        } else {
            engine.execute(() -> tryDial(l));
        }
    }

    private void hostOurEndpoint(Link l, EndpointKeys keys) throws IOException {
        host.host(new OnionHost.Spec(keys.ourEndpoint(), keys.theirClientAuthPublicKey(), null, 16,
                s -> inbound(l, s)));
    }

    /**
     * Hosts ({@code open}) or withdraws our endpoint for an unanswered outgoing request: it is
     * only useful while the addressee may be answering (RequestDesk opens a window each time
     * their identity onion takes our request), and while hosted it tells them when we are
     * online. An accepted contact's endpoint is not affected. Blocks on store I/O.
     */
    void requestEndpointWindow(ContactId id, boolean open) throws StoreException, IOException {
        Link l;
        synchronized (this) {
            l = links.get(id.value());
            if (l == null || stopping || l.accepted || l.requestWindow == open) {
                return;
            }
            l.requestWindow = open;
            if (!open && l.ourEndpoint != null) {
                // Under the lock: an acceptance (update) either came before and kept it, or hosts it again after.
                host.unhost(l.ourEndpoint);
            }
        }
        if (open) {
            EndpointKeys keys = profile.contacts().endpointKeys(id);
            if (keys.ourEndpoint() != null && keys.theirClientAuthPublicKey() != null) {
                hostOurEndpoint(l, keys);
            }
        }
    }

    /** Forgets a removed or blocked contact: closes its session, revokes its endpoint. */
    void drop(ContactId id) {
        Link l;
        Conn c;
        synchronized (this) {
            l = links.remove(id.value());
            if (l == null) {
                return;
            }
            l.removed = true;
            c = l.active;
            l.active = null;
            if (l.redial != null) {
                l.redial.cancel(false);
            }
        }
        if (c != null) {
            closeWith(c, Frame.CloseReason.NORMAL);
            bus.publish(new MessengerEvent.PresenceChanged(Convert.id(id), false));
        }
        if (l.ourEndpoint != null) {
            host.unhost(l.ourEndpoint);
        }
        if (l.theirEndpoint != null) {
            OnionAddress ep = l.theirEndpoint;
            tor.onTorThread(() -> {
                Tor t = tor.readyTor();
                if (t != null) {
                    try {
                        t.removeClientAuth(new ServiceId(ep.serviceId()));
                    } catch (TorException e) {
                        LOG.fine("removing client auth failed: " + e.getMessage());
                    }
                }
            });
        }
    }

    /** On the tor thread after (re)bootstrap: credentials, then dial everyone. */
    void onTorReady(Tor t) {
        List<Link> all;
        synchronized (this) {
            all = new ArrayList<>(links.values());
        }
        for (Link l : all) {
            addAuth(t, l);
        }
    }

    /** On the tor thread when tor died: credentials are gone with it; sessions through it too. */
    void onTorLost() {
        List<Conn> conns = new ArrayList<>();
        synchronized (this) {
            for (Link l : links.values()) {
                l.authOnTor = false;
                if (l.active != null) {
                    conns.add(l.active);
                }
            }
        }
        for (Conn c : conns) {
            c.session.close();
        }
    }

    private void addAuth(Tor t, Link l) {
        OnionAddress ep;
        ClientAuthKeyPair auth;
        synchronized (this) {
            if (l.removed || l.theirEndpoint == null || l.authOnTor) {
                ep = null;
                auth = null;
            } else {
                ep = l.theirEndpoint;
                auth = l.ourClientAuth;
            }
        }
        if (ep != null) {
            try {
                t.addClientAuth(new ServiceId(ep.serviceId()), auth.privateKey());
                synchronized (this) {
                    l.authOnTor = true;
                }
            } catch (TorException e) {
                LOG.warning("adding client auth for contact " + l.id.value() + " failed: " + e.getMessage());
            }
        }
        engine.execute(() -> tryDial(l));
    }

    /** Whether the contact has a live session. */
    synchronized boolean isOnline(ContactId id) {
        Link l = links.get(id.value());
        return l != null && l.active != null;
    }

    /** How many contacts have a live session. */
    synchronized int onlineCount() {
        int n = 0;
        for (Link l : links.values()) {
            if (l.active != null) {
                n++;
            }
        }
        return n;
    }

    /** Whether {@code id} is a contact we know as accepted. */
    synchronized boolean isAccepted(ContactId id) {
        Link l = links.get(id.value());
        return l != null && l.accepted;
    }

    /** A message was committed to the outbox: send it now if connected. Non-blocking. */
    void messageQueued(Message m) {
        Link l;
        Conn c;
        synchronized (this) {
            l = links.get(m.contact().value());
            c = l == null ? null : l.active;
        }
        if (c != null) {
            if (c.freshCount.incrementAndGet() <= MAX_HANDED) {
                c.fresh.add(m);
            } else {
                c.freshCount.decrementAndGet();
                c.fullFlush.set(true); // it is in the outbox: the next flush reads it from there
            }
            queueFlush(l, c);
        }
    }

    /** Messages of {@code id} became pending again (a retry): send the outbox now if connected. Non-blocking. */
    void messageQueued(ContactId id) {
        Link l;
        Conn c;
        synchronized (this) {
            l = links.get(id.value());
            c = l == null ? null : l.active;
        }
        if (c != null) {
            c.fullFlush.set(true);
            queueFlush(l, c);
        }
    }

    // ---- dialling ----

    private void tryDial(Link l) {
        synchronized (this) {
            if (stopping || l.removed || l.active != null || l.dialing || l.theirEndpoint == null
                    || !l.authOnTor || tor.readyTor() == null) {
                return;
            }
            l.dialing = true;
            if (l.redial != null) {
                l.redial.cancel(false);
                l.redial = null;
            }
        }
        try {
            io.execute(() -> dial(l));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            synchronized (this) {
                l.dialing = false;
                scheduleRedial(l); // no io thread now (or stopping): try again after the backoff
            }
        }
    }

    private void dial(Link l) {
        OnionAddress ep;
        synchronized (this) {
            ep = l.theirEndpoint;
        }
        Tor t = tor.readyTor();
        Session session = null;
        try {
            if (t == null) {
                throw new IOException("tor not ready");
            }
            Socket s = t.dial(new ServiceId(ep.serviceId()), OnionHost.VIRTUAL_PORT,
                    isolation("contact", l.id, dials.incrementAndGet()), timings.dialTimeout());
            session = wire.connect(s, me, ep, l.peer, Wire.Purpose.CONTACT, timings.handshakeTimeout());
        } catch (SocksException e) {
            LOG.fine("dial contact " + l.id.value() + ": " + e.reason());
            Descriptors.refetchAfter(tor, e.reason(), ep.serviceId());
        } catch (IOException e) {
            LOG.fine("dial contact " + l.id.value() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (session != null) {
            sessionUp(l, session);
        } else {
            synchronized (this) {
                l.dialing = false;
                if (l.active == null) {
                    scheduleRedial(l);
                }
            }
        }
    }

    // Caller holds the lock.
    private void scheduleRedial(Link l) {
        if (stopping || l.removed || l.theirEndpoint == null) {
            return;
        }
        if (l.redial != null && !l.redial.isDone()) {
            return;
        }
        Duration d = l.backoff.next();
        try {
            l.redial = engine.schedule(() -> tryDial(l), d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.fine("redial after stop dropped");
        }
    }

    private void inbound(Link l, Socket socket) {
        OnionAddress mine;
        synchronized (this) {
            mine = l.ourEndpoint;
        }
        Session session;
        try {
            // PROTOCOL.md §6.2 step 6: only the contact this endpoint was made for gets AuthOk.
            session = wire.accept(socket, me, mine, Wire.Purpose.CONTACT, timings.handshakeTimeout(),
                    client -> client.equals(l.peer) ? null : Frame.CloseReason.NOT_AUTHORIZED);
        } catch (IOException e) {
            LOG.fine("inbound handshake for contact " + l.id.value() + " failed: " + e.getMessage());
            return;
        }
        if (!session.peer().equals(l.peer)) {
            // A holder of the credential who is not the contact: refuse.
            LOG.warning("inbound session on contact " + l.id.value() + "'s endpoint from someone else");
            closeQuietly(session, Frame.CloseReason.NOT_AUTHORIZED);
            return;
        }
        if (session.handshake().purpose() == org.allium.protocol.proto.Purpose.FILE_STREAM) {
            org.allium.core.files.FileEngine f = files;
            if (f == null) {
                closeQuietly(session, Frame.CloseReason.PROTOCOL_ERROR);
            } else {
                // On a task of its own: the listener bounds connections in handlers, and a stream lasts.
                org.allium.core.files.FileLink link = fileLink(session);
                try {
                    io.execute(() -> f.serve(l.id, link));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    session.close();
                }
            }
            return;
        }
        sessionUp(l, session);
    }

    /** The file engine's view of a FILE_STREAM session. */
    static org.allium.core.files.FileLink fileLink(Session s) {
        return new org.allium.core.files.FileLink() {
            @Override
            public void send(org.allium.protocol.proto.Envelope message) throws IOException {
                s.send(new Frame.File(message));
            }

            @Override
            public org.allium.protocol.proto.Envelope receive() throws IOException {
                while (true) {
                    Frame f = s.receive();
                    if (f instanceof Frame.File x) {
                        return x.envelope();
                    } else if (f instanceof Frame.Close) {
                        return null;
                    }
                }
            }

            @Override
            public boolean inputPending() throws IOException {
                return s.inputPending();
            }

            @Override
            public void setReadTimeout(Duration timeout) throws IOException {
                s.setReadTimeout(timeout);
            }

            @Override
            public void finish() {
                closeQuietly(s, Frame.CloseReason.NORMAL);
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    /** Dials the contact's endpoint for a FILE_STREAM on a circuit of its own (chat stays responsive). */
    org.allium.core.files.FileLink dialFile(ContactId id) throws IOException, InterruptedException {
        Link l;
        OnionAddress ep;
        synchronized (this) {
            l = links.get(id.value());
            ep = l == null ? null : l.theirEndpoint;
        }
        Tor t = tor.readyTor();
        if (ep == null || t == null) {
            throw new IOException("contact not reachable now");
        }
        Socket s;
        try {
            s = t.dial(new ServiceId(ep.serviceId()), OnionHost.VIRTUAL_PORT, isolation("file", id, dials.incrementAndGet()),
                    timings.dialTimeout());
        } catch (SocksException e) {
            // The chat session may have come up by the contact dialling us after it restarted:
            // then our tor still holds its old descriptor, whose introduction points are dead,
            // and every file dial fails until tor refetches it by itself (70–120 s on the
            // testnet, longer than a transfer waits). Refetch now, as a failed contact dial does.
            LOG.fine("file stream dial to contact " + id.value() + ": " + e.reason());
            Descriptors.refetchAfter(tor, e.reason(), ep.serviceId());
            throw e;
        }
        return fileLink(wire.connect(s, me, ep, l.peer, Wire.Purpose.FILE_STREAM, timings.handshakeTimeout()));
    }

    /** Sends a file control message on the contact's session if it is up. Non-blocking. */
    boolean sendFileControl(ContactId id, org.allium.protocol.proto.Envelope e) {
        Conn c;
        synchronized (this) {
            Link l = links.get(id.value());
            c = l == null ? null : l.active;
        }
        if (c == null) {
            return false;
        }
        send(c, new Frame.File(e));
        return true;
    }

    // ---- sessions ----

    private void sessionUp(Link l, Session session) {
        Conn c = new Conn(session, new SerialExecutor(io, WRITER_QUEUE));
        Conn old;
        boolean keep;
        synchronized (this) {
            if (session.outbound()) {
                l.dialing = false;
            }
            if (stopping || l.removed) {
                keep = false;
                old = null;
            } else {
                old = l.active;
                if (old == null) {
                    keep = true;
                } else if (old.session.isClosed()) {
                    // Closed by us (a protocol error, a Close we sent) and its reader not yet
                    // through sessionDown: not a live duplicate. The peer that read our Close
                    // and dialled again at once must not be refused as one.
                    keep = true;
                } else if (System.nanoTime() - old.upNanos < timings.duplicateWindow().toNanos()) {
                    keep = preferred(session, old.session);
                } else {
                    keep = true; // the peer evidently lost the old one
                }
                if (keep) {
                    l.active = c;
                    c.order = ++activations;
                    if (l.redial != null) {
                        l.redial.cancel(false);
                        l.redial = null;
                    }
                    queueFlush(l, c);
                }
            }
        }
        if (!keep) {
            closeQuietly(session, Frame.CloseReason.DUPLICATE);
            return;
        }
        if (old != null) {
            closeWith(old, Frame.CloseReason.DUPLICATE);
        } else {
            LOG.fine("contact " + l.id.value() + " online");
            bus.publish(new MessengerEvent.PresenceChanged(Convert.id(l.id), true));
        }
        try {
            profile.contacts().markSeen(l.id, Instant.now());
        } catch (StoreException e) {
            LOG.fine("markSeen failed: " + e.getMessage());
        }
        c.link = peerLink(l, c);
        groups.up(c.link);
        try {
            io.execute(() -> readLoop(l, c));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            sessionDown(l, c); // stopping: the pool takes no more work
            return;
        }
        org.allium.core.files.FileEngine f = files;
        if (f != null) {
            f.contactOnline(l.id);
        }
    }

    /**
     * The protocol's deterministic duplicate rule (PROTOCOL.md §7.4): both sides keep the
     * same one of two sessions that came up at about the same time.
     */
    private static boolean preferred(Session fresh, Session old) {
        return org.allium.protocol.DuplicateConnections.PREFERENCE.compare(fresh.handshake(), old.handshake()) < 0;
    }

    private void sessionDown(Link l, Conn c) {
        c.session.close();
        if (c.link != null) {
            groups.down(c.link);
        }
        boolean wasActive = false;
        synchronized (this) {
            if (l.active == c) {
                l.active = null;
                wasActive = true;
                if (System.nanoTime() - c.upNanos > timings.stableSession().toNanos()) {
                    l.backoff.reset();
                }
                scheduleRedial(l);
            }
        }
        if (wasActive) {
            LOG.fine("contact " + l.id.value() + " offline");
            bus.publish(new MessengerEvent.PresenceChanged(Convert.id(l.id), false));
        }
    }

    private void readLoop(Link l, Conn c) {
        try {
            c.session.setReadTimeout(timings.keepalive().multipliedBy(3));
            List<Frame.Chat> burst = new ArrayList<>();
            Frame next = null; // read ahead by a burst, not handled yet
            while (true) {
                Frame f = next != null ? next : c.session.receive();
                next = null;
                if (f instanceof Frame.Group g) {
                    // Hook frames that arrived together go to the hook together, and the last of them
                    // says so: a hook keeping a batch back for "more buffered" must not wait for a
                    // frame that is not one of its own (a chat or ping after a group sync's last batch).
                    int n = 1;
                    boolean ok;
                    while (true) {
                        Frame after = n < MAX_BURST && c.session.inputPending() ? c.session.receive() : null;
                        n++;
                        boolean more = after instanceof Frame.Group;
                        ok = groups.receive(c.link, g.envelope(), more);
                        if (!ok || !more) {
                            next = after;
                            break;
                        }
                        g = (Frame.Group) after;
                    }
                    if (!ok) {
                        break;
                    }
                    continue;
                }
                if (!(f instanceof Frame.Chat m)) {
                    if (!handle(l, c, f)) {
                        break;
                    }
                    continue;
                }
                // Messages that arrived together are stored in one commit and acknowledged in one
                // frame: a burst costs one disk sync, not one per message.
                burst.clear();
                burst.add(m);
                while (burst.size() < MAX_BURST && c.session.inputPending()) {
                    Frame g = c.session.receive();
                    if (g instanceof Frame.Chat gm) {
                        burst.add(gm);
                    } else {
                        next = g;
                        break;
                    }
                }
                if (!receive(l, c, burst)) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            LOG.fine("contact " + l.id.value() + ": keepalive timeout");
        } catch (IOException e) {
            LOG.fine("contact " + l.id.value() + ": session ended: " + e.getMessage());
        } catch (StoreException e) {
            // Not acknowledged, so the peer resends after reconnecting: nothing is lost.
            LOG.log(Level.WARNING, "contact " + l.id.value() + ": store failed, closing session: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "contact " + l.id.value() + ": session handler failed", e);
        } finally {
            sessionDown(l, c);
        }
    }

    /**
     * Stores chat messages that arrived together (one transaction), then acknowledges them
     * all in one frame: only what the store committed is acknowledged.
     *
     * @return false to end the session
     */
    private boolean receive(Link l, Conn c, List<Frame.Chat> chats) throws StoreException {
        List<IncomingMessage> incoming = new ArrayList<>(chats.size());
        List<MessageId> ids = new ArrayList<>(chats.size());
        // Our own receive time, not the sender's clock (PROTOCOL.md §7.1). Every text the
        // protocol lets through is taken: one refused here would be resent for ever.
        Instant received = Instant.now();
        for (Frame.Chat m : chats) {
            incoming.add(new IncomingMessage(m.id(), m.seq(), received, m.text()));
            ids.add(m.id());
        }
        profile.messages().acceptIncoming(l.id, incoming);
        send(c, new Frame.Ack(ids));
        return true;
    }

    /** Every frame but chat messages and hook frames, which {@link #readLoop} takes in bursts. @return false to end the session */
    private boolean handle(Link l, Conn c, Frame f) throws StoreException, IOException {
        if (f instanceof Frame.Ack a) {
            c.inFlight.removeAll(a.ids());
            profile.messages().markDelivered(l.id, a.ids());
            return true;
        } else if (f instanceof Frame.Accept a) {
            onAccept(l, c, a);
            return true;
        } else if (f instanceof Frame.AcceptAck) {
            profile.settings().remove(ACCEPT_PENDING + l.id.value());
            return true;
        } else if (f instanceof Frame.Decline) {
            // Not shown apart from silence (PROTOCOL.md §8); acknowledged so it is not resent for ever.
            send(c, new Frame.AcceptAck());
            return true;
        } else if (f instanceof Frame.Ping) {
            return true; // both sides ping on their own; input alone keeps a session alive
        } else if (f instanceof Frame.Close) {
            return false;
        } else if (f instanceof Frame.Other) {
            return true;
        } else if (f instanceof Frame.File x) {
            org.allium.core.files.FileEngine fe = files;
            MessageId ack = fe == null ? null : fe.onSessionMessage(l.id, x.envelope());
            if (ack != null) {
                send(c, new Frame.Ack(List.of(ack)));
            }
            return true;
        }
        closeWith(c, Frame.CloseReason.PROTOCOL_ERROR);
        return false;
    }

    private void onAccept(Link l, Conn c, Frame.Accept a) throws StoreException, IOException {
        if (!mayRewrite(l, a)) {
            LOG.info("contact " + l.id.value() + " replaced its endpoint again too soon; refused");
            closeWith(c, Frame.CloseReason.BUSY);
            return;
        }
        if (!acceptedBy(l.id, a)) {
            closeWith(c, Frame.CloseReason.NOT_AUTHORIZED);
            return;
        }
        send(c, new Frame.AcceptAck());
        c.fullFlush.set(true);
        queueFlush(l, c);
    }

    /**
     * They accepted our request (delivered on our endpoint, or on their identity onion when
     * we came back): store their half of the keys and start using it. Blocks on store I/O.
     *
     * @return false if the contact no longer exists
     */
    boolean acceptedBy(ContactId id, Frame.Accept a) throws StoreException, IOException {
        Optional<Contact> now = profile.contacts().get(id);
        if (now.isEmpty() || now.get().state() == ContactState.BLOCKED) {
            return false;
        }
        EndpointKeys theirs = EndpointKeys.theirs(a.endpoint(), ClientAuthKeyPair.fromPrivateKey(a.clientAuthPrivate()));
        Contact updated;
        if (now.get().state() == ContactState.OUTGOING_REQUEST) {
            updated = profile.contacts().accept(id, theirs);
        } else {
            if (sameEndpoint(id, a)) {
                return true; // an acceptance delivered again: nothing to write, nothing to tell tor
            }
            synchronized (this) {
                Link l = links.get(id.value());
                if (l != null) {
                    l.lastRewriteNanos = System.nanoTime();
                }
            }
            profile.contacts().updateEndpointKeys(id, theirs);
            updated = profile.contacts().get(id).orElseThrow();
        }
        // They hold our credential now: no need to keep it or resend the request.
        profile.settings().remove(RequestDesk.REQUEST + id.value());
        update(updated);
        return true;
    }

    /** Whether {@code a} names the endpoint and credential we already use for {@code id}. */
    private synchronized boolean sameEndpoint(ContactId id, Frame.Accept a) {
        Link l = links.get(id.value());
        return l != null && a.endpoint().equals(l.theirEndpoint) && l.ourClientAuth != null
                && java.security.MessageDigest.isEqual(l.ourClientAuth.privateKey(), a.clientAuthPrivate());
    }

    /**
     * The defined flow (PROTOCOL.md §8) gives an accepted contact's endpoint once; a repeat of
     * the same one is free, another one is taken at most once per {@link #ENDPOINT_REWRITE_INTERVAL}.
     */
    private boolean mayRewrite(Link l, Frame.Accept a) {
        if (sameEndpoint(l.id, a)) {
            return true;
        }
        synchronized (this) {
            return !l.accepted || l.lastRewriteNanos == null
                    || System.nanoTime() - l.lastRewriteNanos >= ENDPOINT_REWRITE_INTERVAL.toNanos();
        }
    }

    private void send(Conn c, Frame f) {
        if (!c.writer.offer(() -> write(c, f))) {
            c.session.close();
        }
    }

    private void write(Conn c, Frame f) {
        try {
            c.session.send(f);
        } catch (IOException e) {
            c.session.close();
        }
    }

    private void queueFlush(Link l, Conn c) {
        if (c.flushQueued.compareAndSet(false, true)) {
            if (!c.writer.offer(() -> flush(l, c))) {
                c.session.close();
            }
        }
    }

    /**
     * On the session's writer: the pending acceptance, then every unacknowledged message not
     * yet sent on it, in sequence order. Reads the outbox on a new session and whenever the
     * messages handed over by sendMessage do not directly follow what was sent (another
     * sender thread's message may be committed but not handed over yet); otherwise sends
     * those without a store read.
     */
    private void flush(Link l, Conn c) {
        c.flushQueued.set(false);
        try {
            boolean full = c.fullFlush.getAndSet(false);
            List<Message> handed = new ArrayList<>();
            for (Message m; (m = c.fresh.poll()) != null; ) {
                c.freshCount.decrementAndGet();
                handed.add(m);
            }
            handed.sort(java.util.Comparator.comparingLong(Message::seq));
            boolean accepted;
            OnionAddress ours;
            synchronized (this) {
                ours = l.ourEndpoint;
                accepted = l.accepted;
            }
            if (full) {
                Optional<String> acceptKey = profile.settings().get(ACCEPT_PENDING + l.id.value());
                if (acceptKey.isPresent() && ours != null) {
                    c.session.send(new Frame.Accept(ours, Base64.getDecoder().decode(acceptKey.get())));
                }
            }
            if (!accepted || (!full && handed.isEmpty())) {
                return; // messages wait until they accepted us
            }
            // Everything handed over was committed before this read, so the read covers it.
            List<Message> toSend = full || !follows(c.lastSentSeq, handed) ? profile.messages().pendingFor(l.id)
                    : handed;
            List<MessageId> newlySent = new ArrayList<>();
            org.allium.core.files.FileEngine fe = files;
            for (Message m : toSend) {
                if (c.inFlight.add(m.id())) {
                    org.allium.protocol.proto.Envelope offer = fe == null ? null : fe.offerFor(m);
                    c.session.send(offer != null ? new Frame.File(offer)
                            : new Frame.Chat(m.id(), m.seq(), m.composed(), m.body()));
                    if (m.status() == MessageStatus.QUEUED) {
                        newlySent.add(m.id());
                    }
                }
                c.lastSentSeq = Math.max(c.lastSentSeq, m.seq());
            }
            if (!newlySent.isEmpty()) {
                profile.messages().markSent(l.id, newlySent);
            }
        } catch (IOException e) {
            c.session.close();
        } catch (StoreException e) {
            LOG.warning("contact " + l.id.value() + ": reading the outbox failed: " + e.getMessage());
            c.session.close();
        }
    }

    /**
     * Whether {@code handed} (sorted) directly continues the sequence sent so far without a
     * gap, so no other message can be pending before it. Sequence numbers are assigned in
     * commit order, so a message below the highest one sent was visible to the read that
     * sent it.
     */
    static boolean follows(long lastSentSeq, List<Message> handed) {
        if (lastSentSeq < 0) {
            return false;
        }
        long expect = lastSentSeq + 1;
        for (Message m : handed) {
            if (m.seq() != expect) {
                return false;
            }
            expect++;
        }
        return true;
    }

    private void pingAll() {
        List<Conn> conns = new ArrayList<>();
        synchronized (this) {
            for (Link l : links.values()) {
                if (l.active != null) {
                    conns.add(l.active);
                }
            }
        }
        for (Conn c : conns) {
            if (c.session.writeBlockedLongerThan(timings.keepalive())) {
                // The peer stopped reading: closing unblocks our writer; the outbox keeps the messages.
                LOG.fine("a session's writes are blocked: closing it");
                c.session.close();
                continue;
            }
            send(c, new Frame.Ping());
        }
    }

    private void closeWith(Conn c, Frame.CloseReason reason) {
        if (!c.writer.offer(() -> closeQuietly(c.session, reason))) {
            c.session.close();
        }
    }

    private static void closeQuietly(Session s, Frame.CloseReason reason) {
        try {
            s.send(new Frame.Close(reason));
        } catch (IOException | RuntimeException e) {
            LOG.finest("close frame not sent");
        }
        s.close();
    }

    /**
     * Closes every session after what is queued on it was written (so a Close reaches the
     * peer before our tor goes away); no redials afterwards. Blocks up to about a second.
     */
    void stop() {
        List<Conn> conns = new ArrayList<>();
        synchronized (this) {
            stopping = true;
            for (Link l : links.values()) {
                if (l.redial != null) {
                    l.redial.cancel(false);
                }
                if (l.active != null) {
                    conns.add(l.active);
                }
            }
        }
        java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(conns.size());
        for (Conn c : conns) {
            if (!c.writer.offer(() -> {
                closeQuietly(c.session, Frame.CloseReason.SHUTDOWN);
                drained.countDown();
            })) {
                c.session.close();
                drained.countDown();
            }
        }
        try {
            if (!drained.await(1, TimeUnit.SECONDS)) {
                LOG.fine("some sessions did not drain before stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Conn c : conns) {
            c.session.close();
        }
    }
}
