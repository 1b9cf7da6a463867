package org.allium.core;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.ContactState;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.IncomingRequestOutcome;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.StoreException;
import org.allium.core.api.MessengerEvent;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.SocksException;
import org.allium.tor.api.Tor;

/**
 * Contact requests: receives them on our public identity onion (rate limited globally and
 * per requester, a bounded number of unauthenticated connections, a bounded number of
 * unanswered requests, blocked requesters dropped), and delivers ours to other people's
 * identity onions with backoff until they acknowledge.
 *
 * <p>The x25519 private key we grant with an outgoing request lives in the settings under
 * {@code core.req.<id>} until the request is accepted. An undelivered request is retried with
 * backoff; a delivered one is asked again whenever tor becomes ready and, while unanswered,
 * with a slow backoff ({@link Timings#reaskBase()} to {@link Timings#reaskCap()}), and the
 * addressee answers with its acceptance on that same connection if it accepted meanwhile:
 * its dials to our endpoint may keep failing (a descriptor missing from the directories).
 */
final class RequestDesk {
    private static final Logger LOG = Logger.getLogger(RequestDesk.class.getName());
    static final String REQUEST = "core.req.";

    private final Profile profile;
    private final IdentityKeyPair me;
    private final Wire wire;
    private final TorSupervisor tor;
    private final ConnectionManager links;
    private final Timings timings;
    private final ExecutorService io;
    private final ScheduledExecutorService engine;
    private final EventBus bus;
    private final RateLimiter limiter;
    /** Connections on the identity onion that have not finished handshake and request, oldest first. */
    private final ArrayDeque<Socket> preAuth = new ArrayDeque<>();
    private final Object pendingLock = new Object();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final Random random = new Random();
    private final AtomicLong dropped = new AtomicLong();
    /** The drop line, if this profile has one: more purposes on the identity onion. */
    private volatile DropLineDoor dropLine;

    // Guarded by this.
    private final Map<Long, Backoff> backoffs = new HashMap<>();
    private final Map<Long, Backoff> reasks = new HashMap<>();
    private final Map<Long, ScheduledFuture<?>> retries = new HashMap<>();
    private final Map<Long, Boolean> inProgress = new HashMap<>();
    private final Map<Long, ScheduledFuture<?>> windows = new HashMap<>();
    private ScheduledFuture<?> expiry;
    private volatile boolean stopping;

    RequestDesk(Profile profile, IdentityKeyPair me, Wire wire, TorSupervisor tor, ConnectionManager links,
                Timings timings, ExecutorService io, ScheduledExecutorService engine, EventBus bus) {
        this.profile = profile;
        this.me = me;
        this.wire = wire;
        this.tor = tor;
        this.links = links;
        this.timings = timings;
        this.io = io;
        this.engine = engine;
        this.bus = bus;
        this.limiter = new RateLimiter(timings.requestsPerMinuteGlobal(), timings.requestBurstGlobal(),
                timings.requestsPerMinutePerPeer(), timings.requestBurstPerPeer(), 1024, System::nanoTime);
    }

    /** Lets the identity onion also take the drop line's connections (PROTOCOL.md §13). */
    void openDropLine(DropLineDoor door) {
        this.dropLine = door;
    }

    /** The spec of our identity onion. */
    OnionHost.Spec identitySpec() {
        return new OnionHost.Spec(me, null, timings.identityPow(), 4, this::inbound);
    }

    /** Connections and requests refused so far (rate limits, bounds, blocked). */
    long droppedCount() {
        return dropped.get();
    }

    // ---- incoming ----

    private void inbound(Socket socket) {
        if (!enterPreAuth(socket)) {
            OnionHost.closeQuietly(socket);
            return;
        }
        Session session = null;
        try {
            // PROTOCOL.md §6.2 step 6: who may ask is decided before we sign AuthOk.
            DropLineDoor door = dropLine;
            session = wire.accept(socket, me, me.address(),
                    door == null ? java.util.EnumSet.of(Wire.Purpose.CONTACT_REQUEST) : door.purposes(),
                    timings.handshakeTimeout(), this::admit);
            if (door != null && session.handshake().purpose() == org.allium.protocol.proto.Purpose.DROP_SUBMISSION) {
                door.serve(session, () -> leavePreAuth(socket)); // a source, admitted like a stranger's request
                return;
            }
            OnionAddress from = session.peer();
            Optional<Contact> existing = profile.contacts().find(from);
            session.setReadTimeout(timings.handshakeTimeout());
            Frame f = session.receive();
            leavePreAuth(socket);
            if (!(f instanceof Frame.Request r) || !acceptable(r)) {
                dropped.incrementAndGet();
                closeQuietly(session, Frame.CloseReason.PROTOCOL_ERROR);
                return;
            }
            EndpointKeys theirs = EndpointKeys.theirs(r.endpoint(),
                    ClientAuthKeyPair.fromPrivateKey(r.clientAuthPrivate()));
            IncomingRequestOutcome outcome;
            if (existing.isEmpty()) {
                synchronized (pendingLock) { // room made and taken at once: the list never grows past its bound
                    makeRoomForOne();
                    outcome = profile.contacts().recordIncomingRequest(from,
                            r.nickname().isEmpty() ? null : r.nickname(), r.text(), theirs);
                }
            } else {
                outcome = profile.contacts().recordIncomingRequest(from,
                        r.nickname().isEmpty() ? null : r.nickname(), r.text(), theirs);
            }
            session.send(new Frame.RequestAck());
            if (outcome.kind() == IncomingRequestOutcome.Kind.MUTUAL) {
                // Our own request to them may never be delivered now (it is no longer outgoing):
                // hand them our endpoint as an acceptance instead, on the session or their re-ask.
                ContactId mid = outcome.contact().id();
                Optional<byte[]> g = grant(profile, mid);
                if (g.isPresent()) {
                    profile.settings().put(ConnectionManager.ACCEPT_PENDING + mid.value(),
                            Base64.getEncoder().encodeToString(g.get()));
                }
                profile.settings().remove(REQUEST + mid.value());
                links.update(outcome.contact());
            } else if (outcome.kind() == IncomingRequestOutcome.Kind.ALREADY_ACCEPTED) {
                answerOnThisConnection(session, outcome.contact().id());
            }
            closeQuietly(session, Frame.CloseReason.NORMAL);
        } catch (IOException e) {
            LOG.fine("incoming request failed: " + e.getMessage());
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "storing an incoming request failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "incoming request handler failed", e);
        } finally {
            leavePreAuth(socket);
            if (session != null) {
                session.close();
            } else {
                OnionHost.closeQuietly(socket);
            }
        }
    }

    /** Step 6 of the handshake on our identity onion: null admits {@code from}. */
    private Frame.CloseReason admit(OnionAddress from) {
        try {
            if (from.equals(me.address()) || profile.contacts().isBlocked(from)) {
                dropped.incrementAndGet();
                return Frame.CloseReason.NOT_AUTHORIZED;
            }
            // Identity keys are free: the per-requester bucket only slows one key down.
            if (!limiter.tryKey(from.serviceId())) {
                dropped.incrementAndGet();
                return Frame.CloseReason.BUSY;
            }
            // Only a stranger's first request spends a token of the shared bucket: re-asks of pending
            // requesters and of contacts are never refused because strangers used the bucket up.
            if (profile.contacts().find(from).isEmpty() && !limiter.tryGlobal()) {
                dropped.incrementAndGet();
                return Frame.CloseReason.BUSY;
            }
            return null;
        } catch (StoreException e) {
            LOG.warning("checking a requester failed: " + e.getMessage());
            return Frame.CloseReason.BUSY;
        }
    }

    /**
     * Takes one of the {@link Timings#maxPreAuthConnections()} slots for a connection that has
     * not finished its handshake and request yet. When all are taken the oldest one is closed
     * to make room: a slow-loris that opens connections and then says nothing cannot keep the
     * door shut, it has to keep opening new streams (and circuits, which tor's PoW prices).
     */
    private boolean enterPreAuth(Socket socket) {
        Socket oldest = null;
        synchronized (preAuth) {
            if (preAuth.size() >= timings.maxPreAuthConnections()) {
                oldest = preAuth.pollFirst();
            }
            preAuth.addLast(socket);
        }
        if (oldest != null) {
            dropped.incrementAndGet();
            OnionHost.closeQuietly(oldest); // its handler fails its read and cleans up
        }
        return true;
    }

    private void leavePreAuth(Socket socket) {
        synchronized (preAuth) {
            preAuth.remove(socket);
        }
    }

    /** Unauthenticated connections held right now (at most {@link Timings#maxPreAuthConnections()}). */
    int preAuthCount() {
        synchronized (preAuth) {
            return preAuth.size();
        }
    }

    /**
     * A new stranger's request is about to be stored: if the list of unanswered requests is
     * full, the oldest one goes (the user is told). Identity keys cost nothing, so refusing new
     * requests when the list is full would let anybody shut it for good with junk; pushing the
     * oldest out means a flood only ever displaces, for as long as it is paid for, and a
     * requester still waiting comes back with its next re-ask. Blocks on store I/O.
     */
    private void makeRoomForOne() throws StoreException {
        synchronized (pendingLock) { // reentrant: held by the caller as well
            List<Contact> pending = new ArrayList<>();
            for (Contact c : profile.contacts().list()) {
                if (c.state() == ContactState.INCOMING_REQUEST) {
                    pending.add(c);
                }
            }
            int excess = pending.size() - timings.maxPendingRequests() + 1;
            if (excess <= 0) {
                return;
            }
            pending.sort(Comparator.comparing(Contact::firstSeen).thenComparing(c -> c.id().value()));
            for (Contact c : pending.subList(0, excess)) {
                evicted.incrementAndGet();
                withdraw(c);
            }
        }
    }

    /** Requests pushed out of a full list so far. */
    long evictedCount() {
        return evicted.get();
    }

    // ---- expiry ----

    /**
     * Withdraws every request, in either direction, unanswered for longer than
     * {@link Timings#requestExpiry()}. Runs at start and then periodically. Blocks on store I/O.
     */
    void expireOld() {
        Instant limit = Instant.now().minus(timings.requestExpiry());
        try {
            for (Contact c : profile.contacts().list()) {
                boolean request = c.state() == ContactState.INCOMING_REQUEST
                        || c.state() == ContactState.OUTGOING_REQUEST;
                if (request && c.firstSeen().isBefore(limit)) {
                    withdraw(c);
                }
            }
        } catch (StoreException e) {
            LOG.warning("expiring old requests failed: " + e.getMessage());
        }
    }

    /** Removes an unanswered request with its endpoint, grant and settings; tells the user. */
    private void withdraw(Contact c) throws StoreException {
        ContactId id = c.id();
        org.allium.core.api.ContactRequest view = c.state() == ContactState.INCOMING_REQUEST
                ? Convert.incomingRequest(c) : Convert.outgoingRequest(c);
        synchronized (this) {
            ScheduledFuture<?> f = retries.remove(id.value());
            if (f != null) {
                f.cancel(false);
            }
            ScheduledFuture<?> w = windows.remove(id.value());
            if (w != null) {
                w.cancel(false);
            }
            backoffs.remove(id.value());
            reasks.remove(id.value());
        }
        links.drop(id);
        profile.settings().remove(REQUEST + id.value());
        profile.settings().remove(ConnectionManager.ACCEPT_PENDING + id.value());
        profile.settings().remove(MessengerImpl.READ_UP_TO + id.value());
        bus.publish(new MessengerEvent.RequestExpired(view));
        profile.contacts().remove(id);
        LOG.fine("request " + id.value() + " withdrawn unanswered");
    }

    // ---- our endpoint for an unanswered outgoing request ----

    /**
     * Their identity onion just took our request (or our re-ask): host our endpoint for them for
     * {@link Timings#requestEndpointWindow()}, so an acceptance made now can reach us there. The
     * rest of the time it is not hosted (a recipient who never answers cannot watch us come and
     * go), and an acceptance reaches us when we ask again.
     */
    private void openEndpointWindow(ContactId id) throws StoreException, IOException {
        synchronized (this) {
            if (stopping) {
                return;
            }
            ScheduledFuture<?> old = windows.put(id.value(), engine.schedule(() -> onIo(() -> closeWindow(id)),
                    timings.requestEndpointWindow().toMillis(), TimeUnit.MILLISECONDS));
            if (old != null) {
                old.cancel(false);
            }
        }
        links.requestEndpointWindow(id, true);
    }

    private void closeWindow(ContactId id) {
        synchronized (this) {
            windows.remove(id.value());
        }
        try {
            links.requestEndpointWindow(id, false);
        } catch (StoreException | IOException e) {
            LOG.fine("closing a request endpoint failed: " + e.getMessage());
        }
    }

    /**
     * They asked again although we accepted: they were offline when we did, and our tor may
     * still hold a stale descriptor of their endpoint. Hand them the acceptance right here.
     */
    private void answerOnThisConnection(Session session, ContactId id) throws StoreException, IOException {
        Optional<String> key = profile.settings().get(ConnectionManager.ACCEPT_PENDING + id.value());
        EndpointKeys keys = profile.contacts().endpointKeys(id);
        if (key.isEmpty() || keys.ourEndpoint() == null) {
            return;
        }
        session.send(new Frame.Accept(keys.ourEndpoint().address(), Base64.getDecoder().decode(key.get())));
        Frame reply = session.receive();
        if (reply instanceof Frame.AcceptAck) {
            profile.settings().remove(ConnectionManager.ACCEPT_PENDING + id.value());
            LOG.fine("acceptance " + id.value() + " delivered on the identity onion");
        }
    }

    /**
     * Every request the protocol lets through (PROTOCOL.md §5: nickname ≤ 64, text ≤ 1024
     * UTF-8 bytes) is taken: one refused here would be resent for ever.
     */
    private static boolean acceptable(Frame.Request r) {
        return r.clientAuthPrivate().length == 32;
    }

    // ---- outgoing ----

    /** Stores the credential we grant until the request is delivered. Blocks on store I/O. */
    static void saveGrant(Profile profile, ContactId id, ClientAuthKeyPair auth) throws StoreException {
        profile.settings().put(REQUEST + id.value(), Base64.getEncoder().encodeToString(auth.privateKey()));
    }

    static Optional<byte[]> grant(Profile profile, ContactId id) throws StoreException {
        return profile.settings().get(REQUEST + id.value()).map(v -> Base64.getDecoder().decode(v));
    }

    /**
     * The request reached them. The credential is kept until they accept: we ask again each
     * time we come online, so an acceptance made while we were away reaches us at once.
     */
    static void markDelivered(Profile profile, ContactId id) throws StoreException {
        profile.contacts().markRequestDelivered(id);
    }

    /**
     * When tor is ready: withdraws expired requests (and from then on checks periodically), then
     * schedules delivery of every undelivered outgoing request and a re-ask of every delivered one.
     * Blocks on store I/O.
     */
    void resendAll() throws StoreException {
        expireOld();
        synchronized (this) {
            if (!stopping && expiry == null) {
                long period = Math.max(100, Math.min(3_600_000, timings.requestExpiry().toMillis() / 10));
                expiry = engine.scheduleWithFixedDelay(() -> onIo(this::expireOld), period, period,
                        TimeUnit.MILLISECONDS);
            }
        }
        for (Contact c : profile.contacts().list()) {
            if (c.state() == ContactState.OUTGOING_REQUEST) {
                deliverSoon(c.id(), Duration.ZERO);
            }
        }
    }

    /** Schedules delivery of one outgoing request. Non-blocking. */
    void deliverSoon(ContactId id, Duration delay) {
        synchronized (this) {
            if (stopping || Boolean.TRUE.equals(inProgress.get(id.value()))) {
                return;
            }
            ScheduledFuture<?> f = retries.get(id.value());
            if (f != null && !f.isDone()) {
                if (!delay.isZero()) {
                    return;
                }
                f.cancel(false);
            }
            retries.put(id.value(), engine.schedule(() -> onIo(() -> deliver(id)),
                    delay.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /** Runs a timer's work on an io thread; with none free now ({@link IoPool}) it tries again a second later. */
    private void onIo(Runnable task) {
        try {
            io.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            synchronized (this) {
                if (stopping) {
                    return;
                }
            }
            try {
                engine.schedule(() -> onIo(task), 1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                LOG.finest("stopping: timer work dropped");
            }
        }
    }

    private void deliver(ContactId id) {
        synchronized (this) {
            if (stopping || Boolean.TRUE.equals(inProgress.get(id.value()))) {
                return;
            }
            inProgress.put(id.value(), true);
        }
        Outcome outcome = Outcome.RETRY;
        try {
            outcome = tryDeliver(id);
        } finally {
            synchronized (this) {
                inProgress.remove(id.value());
                if (outcome == Outcome.DONE) {
                    backoffs.remove(id.value());
                    reasks.remove(id.value());
                    retries.remove(id.value());
                } else if (!stopping) {
                    Backoff b = outcome == Outcome.RETRY
                            ? backoffs.computeIfAbsent(id.value(),
                                    k -> new Backoff(timings.redialBase(), timings.redialCap(), random))
                            : reasks.computeIfAbsent(id.value(),
                                    k -> new Backoff(timings.reaskBase(), timings.reaskCap(), random));
                    Duration d = b.next();
                    retries.put(id.value(), engine.schedule(() -> onIo(() -> deliver(id)),
                            d.toMillis(), TimeUnit.MILLISECONDS));
                }
            }
        }
    }

    /**
     * How long one attempt may wait for tor. An undelivered request is a probe of a peer that
     * was offline: an attempt started on the stale descriptor (dead introduction points) waits
     * the whole deadline even after the peer is back (25 s of a 30 s deadline in one testnet
     * trial), so it gives up after a third of it, has the descriptor refetched and tries again.
     */
    private Duration attemptTimeout(boolean delivered) {
        return delivered ? timings.dialTimeout() : timings.dialTimeout().dividedBy(3);
    }

    /** What to do after one attempt. */
    private enum Outcome {
        /** Nothing (more) to deliver, or {@link #resendAll} will start again. */
        DONE,
        /** Not delivered yet: again with the redial backoff. */
        RETRY,
        /** Delivered but not answered: ask again later with the slow backoff. */
        ASK_LATER
    }

    private Outcome tryDeliver(ContactId id) {
        OnionAddress to = null;
        try {
            Optional<Contact> c = profile.contacts().get(id);
            if (c.isEmpty() || c.get().state() != ContactState.OUTGOING_REQUEST) {
                return Outcome.DONE;
            }
            Optional<byte[]> key = grant(profile, id);
            EndpointKeys keys = profile.contacts().endpointKeys(id);
            if (key.isEmpty() || keys.ourEndpoint() == null) {
                return Outcome.DONE; // nothing to say
            }
            boolean wasDelivered = c.get().requestDelivered();
            Tor t = tor.readyTor();
            if (t == null) {
                return Outcome.DONE; // resendAll runs again when tor is ready
            }
            to = c.get().address();
            // A fresh circuit per attempt: with one isolation token, a new stream waited on the
            // previous attempt's introduction to the old (dead) introduction points.
            Socket s = t.dial(new ServiceId(to.serviceId()), OnionHost.VIRTUAL_PORT,
                    links.isolation("request", id, attempts.incrementAndGet()), attemptTimeout(wasDelivered));
            Session session = wire.connect(s, me, to, to, Wire.Purpose.CONTACT_REQUEST, timings.handshakeTimeout());
            try {
                openEndpointWindow(id);
                session.send(new Frame.Request(nz(c.get().requestNickname()), nz(c.get().requestText()),
                        keys.ourEndpoint().address(), key.get()));
                session.setReadTimeout(timings.handshakeTimeout());
                Frame reply = session.receive();
                if (!(reply instanceof Frame.RequestAck)) {
                    LOG.info("request " + id.value() + " not acknowledged: " + reply);
                    return wasDelivered ? Outcome.ASK_LATER : Outcome.RETRY;
                }
                if (!wasDelivered) {
                    markDelivered(profile, id);
                }
                Frame next = receiveQuietly(session);
                if (next instanceof Frame.Accept a && links.acceptedBy(id, a)) {
                    session.send(new Frame.AcceptAck());
                    LOG.fine("request " + id.value() + " answered with an acceptance");
                    return Outcome.DONE;
                }
            } finally {
                session.close();
            }
            if (wasDelivered) {
                return Outcome.ASK_LATER;
            }
            LOG.fine("request " + id.value() + " delivered");
            Optional<Contact> now = profile.contacts().get(id);
            if (now.isPresent() && now.get().state() == ContactState.OUTGOING_REQUEST) {
                bus.publish(new MessengerEvent.RequestChanged(Convert.outgoingRequest(now.get())));
            }
            return Outcome.ASK_LATER;
        } catch (SocksException e) {
            LOG.fine("request " + id.value() + ": " + e.reason());
            if (to != null) {
                Descriptors.refetchAfter(tor, e.reason(), to.serviceId());
            }
            return afterFailure(id);
        } catch (IOException e) {
            LOG.fine("request " + id.value() + " failed: " + e.getMessage());
            return afterFailure(id);
        } catch (org.allium.contacts.api.NoSuchContactException e) {
            return Outcome.DONE; // removed (or expired) while we were delivering it
        } catch (StoreException e) {
            LOG.warning("request " + id.value() + ": store failed: " + e.getMessage());
            return Outcome.RETRY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.DONE;
        }
    }

    /** A delivered request is asked again slowly (they normally dial us); an undelivered one retried. */
    private Outcome afterFailure(ContactId id) {
        try {
            Optional<Contact> c = profile.contacts().get(id);
            if (c.isEmpty()) {
                return Outcome.DONE;
            }
            return c.get().requestDelivered() ? Outcome.ASK_LATER : Outcome.RETRY;
        } catch (StoreException e) {
            return Outcome.RETRY;
        }
    }

    private static Frame receiveQuietly(Session s) {
        try {
            return s.receive();
        } catch (IOException e) {
            return null;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static void closeQuietly(Session s, Frame.CloseReason reason) {
        try {
            s.send(new Frame.Close(reason));
        } catch (IOException | RuntimeException e) {
            LOG.finest("close frame not sent");
        }
        s.close();
    }

    void stop() {
        synchronized (this) {
            stopping = true;
            for (ScheduledFuture<?> f : retries.values()) {
                f.cancel(false);
            }
            retries.clear();
            for (ScheduledFuture<?> f : windows.values()) {
                f.cancel(false);
            }
            windows.clear();
            if (expiry != null) {
                expiry.cancel(false);
            }
        }
    }
}
