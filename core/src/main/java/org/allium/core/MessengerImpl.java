package org.allium.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.allium.contacts.api.ContactExistsException;
import org.allium.contacts.api.ContactStateException;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.NoSuchContactException;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.StoreEvent;
import org.allium.contacts.api.StoreException;
import org.allium.contacts.api.StoreListener;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.HistoryPolicy;
import org.allium.core.api.Identity;
import org.allium.core.api.IllegalContactStateException;
import org.allium.core.api.InvalidAddressException;
import org.allium.core.api.Message;
import org.allium.core.api.MessageId;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.MessengerException;
import org.allium.core.api.MessengerState;
import org.allium.core.api.StorageException;
import org.allium.core.api.Subscription;
import org.allium.core.api.TextTooLongException;
import org.allium.core.api.UnknownContactException;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.tor.api.Tor;

/**
 * The engine behind {@link Messenger}: wires the tor supervisor, our onion services, the
 * connection manager and the request desk, and turns store events into API events.
 * Thread-safe: lifecycle state is guarded by {@code this}; the parts guard their own.
 *
 * <p>Executors (all daemon threads, all owned and shut down here):
 * {@code allium-core-events} (one thread, ordered event delivery),
 * {@code allium-core-store} (one thread, turns store events into API events; may block on the store),
 * {@code allium-core-engine} (one thread, timers and link state; never blocks on network),
 * {@code allium-core-tor} (one thread, every blocking tor command),
 * {@code allium-core-io} (cached pool: dials, handshakes, readers, accept loops).
 */
final class MessengerImpl implements Messenger, TorSupervisor.Listener {
    private static final Logger LOG = Logger.getLogger(MessengerImpl.class.getName());
    static final String ACCEPTING = "core.accepting";
    static final String READ_UP_TO = "core.read.";

    private final Profile profile;
    private final IdentityKeyPair me;
    private final Timings timings;
    private final SecureRandom random = new SecureRandom();

    private final ExecutorService eventThread;
    private final ExecutorService storeThread;
    private final ScheduledExecutorService engine;
    private final ScheduledExecutorService torThread;
    private final ExecutorService io;

    private final EventBus bus;
    private final TorSupervisor tor;
    private final OnionHost host;
    private final ConnectionManager links;
    private final RequestDesk requests;
    private final org.allium.core.files.FileEngine files;
    private final org.allium.core.groups.GroupsImpl groups;
    private final org.allium.core.dropline.DropLineDesk dropLine;
    private final DropLineDoor dropDoor;
    private final org.allium.core.dropline.OperatorSync operatorSync;
    private final StoreListener storeListener = this::onStoreEvent;
    private final DiskWatch disk;

    // Guarded by this.
    private MessengerState state = MessengerState.NEW;
    private boolean accepting;

    MessengerImpl(Profile profile, IdentityKeyPair me, TorFactory torFactory, Wire wire, Timings timings) {
        this.profile = profile;
        this.me = me;
        this.timings = timings;
        this.eventThread = Executors.newSingleThreadExecutor(named("allium-core-events"));
        this.storeThread = Executors.newSingleThreadExecutor(named("allium-core-store"));
        this.engine = Executors.newSingleThreadScheduledExecutor(named("allium-core-engine"));
        java.util.concurrent.ScheduledThreadPoolExecutor tt =
                new java.util.concurrent.ScheduledThreadPoolExecutor(1, named("allium-core-tor"));
        tt.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // no tor restart after stop
        this.torThread = tt;
        this.io = IoPool.create(IoPool.MAX_THREADS, named("allium-core-io"));
        this.bus = new EventBus(eventThread);
        this.tor = new TorSupervisor(torFactory, timings, torThread, bus, this);
        this.host = new OnionHost(io, tor, torFactory, bus);
        this.groups = new org.allium.core.groups.GroupsImpl(profile, me, java.time.Clock.systemUTC(),
                new org.allium.core.groups.ContactDesk() {
                    @Override
                    public void request(OnionAddress member) throws MessengerException {
                        sendContactRequest(member.serviceId(), null, "");
                    }

                    @Override
                    public void accept(org.allium.contacts.api.ContactId request) throws MessengerException {
                        MessengerImpl.this.accept(Convert.id(request));
                    }
                }, timings.groupLimits());
        this.dropLine = new org.allium.core.dropline.DropLineDesk(profile, random, java.time.Clock.systemUTC(),
                org.allium.contacts.api.DropStore.Quotas.DEFAULT, timings.handshakeTimeout(), me.address());
        this.operatorSync = new org.allium.core.dropline.OperatorSync(profile, random, io, dropLine::self,
                org.allium.contacts.api.DropStore.Quotas.DEFAULT, dropLine::mirrored);
        dropLine.setSync(operatorSync);
        dropLine.publishOn(eventThread);
        this.links = new ConnectionManager(profile, me, wire, tor, host, timings, io, engine, bus,
                new SessionHooks(groups, operatorSync));
        this.requests = new RequestDesk(profile, me, wire, tor, links, timings, io, engine, bus);
        org.allium.core.files.FileLinks fileLinks = new org.allium.core.files.FileLinks() {
            @Override
            public boolean isOnline(org.allium.contacts.api.ContactId contact) {
                return links.isOnline(contact);
            }

            @Override
            public org.allium.core.files.FileLink dial(org.allium.contacts.api.ContactId contact)
                    throws IOException, InterruptedException {
                return links.dialFile(contact);
            }

            @Override
            public boolean sendOnSession(org.allium.contacts.api.ContactId contact,
                    org.allium.protocol.proto.Envelope message) {
                return links.sendFileControl(contact, message);
            }
        };
        this.files = new org.allium.core.files.FileEngine(profile, fileLinks, io, engine, eventThread, timings.redialCap().compareTo(java.time.Duration.ofMinutes(1)) < 0
                ? timings.redialCap() : java.time.Duration.ofMinutes(1));
        links.setFiles(files);
        files.setOtherFiles(operatorSync); // the drop line's attachments, fetched by its operators
        operatorSync.attachFiles(fileLinks, engine, dropLine::attachmentChanged);
        this.disk = new DiskWatch(profile, bus, engine, storeThread);
        boolean on = true;
        try {
            on = !"false".equals(profile.settings().get(ACCEPTING).orElse("true"));
        } catch (StoreException e) {
            // start() reads the store again and reports a broken one; until then assume the default.
            LOG.warning("reading the accepting-contacts setting failed: " + e.getMessage());
        }
        this.accepting = on;
        this.dropDoor = new DropLineDoor(dropLine, this::isAcceptingContacts);
        requests.openDropLine(dropDoor);
        dropLine.addListener(new org.allium.core.dropline.DropLineDesk.Listener() {
            @Override
            public void enabledChanged(boolean on) {
                identityOnionChanged();
            }
        });
        profile.addListener(storeListener);
    }

    @Override
    public org.allium.core.groups.Groups groups() {
        return groups;
    }

    @Override
    public org.allium.core.api.DropLine dropLine() {
        return dropLine;
    }

    /** Hosts the identity onion while contact requests or the drop line need it. */
    private void identityOnionChanged() {
        synchronized (this) {
            if (state != MessengerState.STARTING && state != MessengerState.RUNNING) {
                return;
            }
        }
        if (dropDoor.needsIdentityOnion()) {
            try {
                host.host(requests.identitySpec());
            } catch (IOException e) {
                LOG.warning("opening the identity onion's listener failed: " + e.getMessage());
            }
        } else {
            host.unhost(me.address());
        }
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---- lifecycle ----

    @Override
    public void start() {
        synchronized (this) {
            if (state != MessengerState.NEW) {
                throw new IllegalStateException("start() on a messenger in state " + state);
            }
            state = MessengerState.STARTING;
        }
        io.execute(() -> {
            try {
                files.load();
                groups.load();
                links.load();
                if (dropDoor.needsIdentityOnion()) {
                    host.host(requests.identitySpec());
                }
            } catch (StoreException | IOException e) {
                LOG.log(Level.SEVERE, "loading contacts failed: " + e.getMessage());
                bus.publish(new MessengerEvent.TorProblem(MessengerEvent.TorProblem.Kind.START_FAILED,
                        "Allium could not load the profile's contacts."));
                return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                if (!isStoppingOrStopped()) throw e;
                // stop() came while the contacts were loading: there is nothing left to start.
                LOG.fine("start abandoned: the messenger was stopped while loading");
                return;
            }
            tor.start();
        });
    }

    private synchronized boolean isStoppingOrStopped() {
        return state == MessengerState.STOPPING || state == MessengerState.STOPPED;
    }

    @Override
    public void onTorReady(Tor t) {
        host.publishAll(t);
        links.onTorReady(t);
        try {
            requests.resendAll();
        } catch (StoreException e) {
            LOG.warning("reading outgoing requests failed: " + e.getMessage());
        }
        synchronized (this) {
            if (state == MessengerState.STARTING) {
                state = MessengerState.RUNNING;
            }
        }
        bus.publish(new MessengerEvent.Ready());
    }

    @Override
    public void onTorLost() {
        host.torLost();
        links.onTorLost();
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (state == MessengerState.STOPPED || state == MessengerState.STOPPING) {
                return;
            }
            state = MessengerState.STOPPING;
        }
        profile.removeListener(storeListener);
        disk.stop();
        requests.stop();
        files.stop();
        links.stop();
        groups.stop();
        host.closeAll();
        tor.stop();
        engine.shutdownNow(); // timers only: no store or socket work to interrupt
        // No interrupts for threads that may be inside the store: an interrupt during H2's
        // file I/O closes its channel. Closing the sockets and tor above ends their work.
        torThread.shutdown();
        io.shutdown();
        try {
            // Everything stored before stop is also announced: a message stored and acknowledged
            // just before stop had its event still queued in the store's event executor (it
            // reaches onStoreEvent even after removeListener), and it was dropped once the
            // store thread stopped (EngineTest saw 29 of 30 go unreported). Its sender will not
            // send it again, so no later run reports it.
            if (!profile.awaitEventsDelivered(java.time.Duration.ofSeconds(5))) {
                LOG.warning("store events not delivered within 5 s of stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        storeThread.shutdown();
        try {
            for (ExecutorService e : List.of(torThread, io, storeThread)) {
                if (!e.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warning("a core thread did not finish within 10 s of stop; interrupting it");
                    e.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            state = MessengerState.STOPPED;
        }
        bus.publish(new MessengerEvent.Stopped());
        bus.close();
    }

    @Override
    public synchronized MessengerState state() {
        return state;
    }

    private void checkNotStopped() {
        synchronized (this) {
            if (state == MessengerState.STOPPED || state == MessengerState.STOPPING) {
                throw new IllegalStateException("the messenger is stopped");
            }
        }
    }

    /** The tor PID (tests kill it), or -1. */
    long torPid() {
        Tor t = tor.readyTor();
        return t == null ? -1 : t.processId().orElse(-1);
    }

    /** The current tor if bootstrapped (tests dial with it), else null. */
    Tor readyTor() {
        return tor.readyTor();
    }

    int onlineCount() {
        return links.onlineCount();
    }

    long droppedRequests() {
        return requests.droppedCount();
    }

    /** The request desk (tests and figures read its counters). */
    RequestDesk requestDesk() {
        return requests;
    }

    // ---- identity and addresses ----

    @Override
    public Identity myIdentity() {
        String nick = null;
        try {
            nick = profile.nickname().orElse(null);
        } catch (StoreException e) {
            LOG.fine("nickname unavailable");
        }
        return new Identity(me.address().serviceId(), me.address().fingerprint().text(), nick);
    }

    @Override
    public String normalizeAddress(String text) throws InvalidAddressException {
        return parse(text).serviceId();
    }

    private OnionAddress parse(String text) throws InvalidAddressException {
        return Addresses.parse(text);
    }

    // ---- requests and contacts ----

    @Override
    public ContactId sendContactRequest(String addressOrLink, String myNickname, String message)
            throws MessengerException {
        checkNotStopped();
        OnionAddress to = parse(addressOrLink);
        if (to.equals(me.address())) {
            throw new InvalidAddressException(InvalidAddressException.Reason.OWN_ADDRESS);
        }
        String text = message == null ? "" : message;
        if (text.length() > MAX_REQUEST_MESSAGE_LENGTH
                || text.getBytes(StandardCharsets.UTF_8).length > 1024) {
            throw new TextTooLongException("request message", MAX_REQUEST_MESSAGE_LENGTH);
        }
        String nick = myNickname;
        try {
            if (nick == null) {
                nick = profile.nickname().orElse("");
            }
            if (nick.length() > MAX_NICKNAME_LENGTH || nick.getBytes(StandardCharsets.UTF_8).length > 64) {
                throw new TextTooLongException("nickname", MAX_NICKNAME_LENGTH);
            }
            if (profile.contacts().find(to).isPresent() || profile.contacts().isBlocked(to)) {
                throw new InvalidAddressException(InvalidAddressException.Reason.ALREADY_CONTACT);
            }
            IdentityKeyPair endpoint = IdentityKeyPair.generate(random);
            ClientAuthKeyPair auth = ClientAuthKeyPair.generate(random);
            org.allium.contacts.api.Contact c = profile.contacts().addOutgoingRequest(to, null,
                    nick.isEmpty() ? null : nick, text.isEmpty() ? null : text,
                    EndpointKeys.ours(endpoint, auth.publicKeyBase32()));
            RequestDesk.saveGrant(profile, c.id(), auth);
            links.update(c);
            requests.deliverSoon(c.id(), java.time.Duration.ZERO);
            return Convert.id(c.id());
        } catch (ContactExistsException e) {
            throw new InvalidAddressException(InvalidAddressException.Reason.ALREADY_CONTACT);
        } catch (StoreException e) {
            throw map(e);
        } catch (IOException e) {
            throw new MessengerException("Could not open a local listener for the new contact.", e);
        }
    }

    @Override
    public void accept(ContactId request) throws MessengerException {
        checkNotStopped();
        try {
            org.allium.contacts.api.Contact c = existing(request);
            if (c.state() != org.allium.contacts.api.ContactState.INCOMING_REQUEST) {
                throw new IllegalContactStateException("Only an incoming request can be accepted.");
            }
            IdentityKeyPair endpoint = IdentityKeyPair.generate(random);
            ClientAuthKeyPair auth = ClientAuthKeyPair.generate(random);
            // The credential must outlive a crash until the acceptance is delivered.
            profile.settings().put(ConnectionManager.ACCEPT_PENDING + request.value(),
                    Base64.getEncoder().encodeToString(auth.privateKey()));
            org.allium.contacts.api.Contact accepted = profile.contacts().accept(c.id(),
                    EndpointKeys.ours(endpoint, auth.publicKeyBase32()));
            // The store made the request's text the conversation's first message: the user read it.
            List<org.allium.contacts.api.Message> first = profile.messages().page(c.id(), Long.MAX_VALUE, 1);
            if (!first.isEmpty()) {
                profile.settings().put(READ_UP_TO + c.id().value(), Long.toString(first.get(0).position()));
            }
            links.update(accepted);
        } catch (StoreException e) {
            throw map(e);
        } catch (IOException e) {
            throw new MessengerException("Could not open a local listener for the contact.", e);
        }
    }

    @Override
    public void reject(ContactId request) throws MessengerException {
        try {
            org.allium.contacts.api.Contact c = existing(request);
            if (c.state() != org.allium.contacts.api.ContactState.INCOMING_REQUEST) {
                throw new IllegalContactStateException("Only an incoming request can be rejected.");
            }
            profile.contacts().remove(c.id());
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public void block(ContactId contact) throws MessengerException {
        try {
            org.allium.contacts.api.ContactId cid = existing(contact).id();
            files.contactGone(cid);
            dropLine.contactGone(cid.value());
            profile.contacts().block(cid);
            links.drop(Convert.id(contact));
            cleanSettings(contact);
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public void unblock(ContactId contact) throws MessengerException {
        try {
            org.allium.contacts.api.Contact c = existing(contact);
            if (c.state() != org.allium.contacts.api.ContactState.BLOCKED) {
                throw new IllegalContactStateException("Only a blocked contact can be unblocked.");
            }
            // The store forgets the blocked contact with its address on the blocklist.
            profile.contacts().unblock(c.address());
            links.drop(c.id());
            cleanSettings(contact);
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public void deleteMessage(ContactId contact, MessageId message) throws MessengerException {
        try {
            org.allium.contacts.api.ContactId id = existing(contact).id();
            org.allium.contacts.api.MessageId mid = Convert.messageId(message);
            for (org.allium.contacts.api.Direction d : org.allium.contacts.api.Direction.values()) {
                if (profile.messages().delete(id, d, mid)) {
                    return;
                }
            }
        } catch (IllegalStateException e) {
            throw new IllegalContactStateException("Only a delivered or failed message can be deleted: "
                    + e.getMessage() + ".");
        } catch (StoreException e) {
            throw map(e);
        }
        throw new UnknownContactException("message");
    }

    @Override
    public void remove(ContactId contact) throws MessengerException {
        try {
            existing(contact);
            files.contactGone(Convert.id(contact));
            dropLine.contactGone(Convert.id(contact).value());
            profile.contacts().remove(Convert.id(contact));
            links.drop(Convert.id(contact));
            cleanSettings(contact);
        } catch (StoreException e) {
            throw map(e);
        }
    }

    private void cleanSettings(ContactId contact) throws StoreException {
        profile.settings().remove(ConnectionManager.ACCEPT_PENDING + contact.value());
        profile.settings().remove(RequestDesk.REQUEST + contact.value());
        profile.settings().remove(READ_UP_TO + contact.value());
    }

    @Override
    public void markVerified(ContactId contact) throws MessengerException {
        try {
            profile.contacts().setVerified(Convert.id(contact), true);
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public void markUnverified(ContactId contact) throws MessengerException {
        try {
            existing(contact);
            profile.contacts().setVerified(Convert.id(contact), false);
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public void rename(ContactId contact, String nameOrNull) throws MessengerException {
        String name = nameOrNull == null || nameOrNull.isBlank() ? null : nameOrNull.strip();
        if (name != null && name.length() > MAX_NICKNAME_LENGTH) {
            throw new TextTooLongException("nickname", MAX_NICKNAME_LENGTH);
        }
        try {
            existing(contact);
            profile.contacts().setNickname(Convert.id(contact), name);
        } catch (StoreException e) {
            throw map(e);
        }
    }

    private org.allium.contacts.api.Contact existing(ContactId id) throws StoreException, UnknownContactException {
        return profile.contacts().get(Convert.id(id)).orElseThrow(() -> new UnknownContactException("contact"));
    }

    // ---- messages ----

    @Override
    public MessageId sendMessage(ContactId contact, String text) throws MessengerException {
        return sendMessage(contact, text, null);
    }

    @Override
    public MessageId sendMessage(ContactId contact, String text, String clientId) throws MessengerException {
        checkNotStopped();
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty message");
        }
        if (text.length() > MAX_MESSAGE_LENGTH || text.getBytes(StandardCharsets.UTF_8).length > 8192) {
            throw new TextTooLongException("message", MAX_MESSAGE_LENGTH);
        }
        try {
            org.allium.contacts.api.ContactId id = Convert.id(contact);
            // The connection manager knows every accepted contact: asking it spares the store a
            // read on every message. Anything else is looked up for the precise error.
            if (!links.isAccepted(id)) {
                org.allium.contacts.api.Contact c = existing(contact);
                if (c.state() != org.allium.contacts.api.ContactState.ACCEPTED) {
                    throw new IllegalContactStateException("Messages can only be sent to accepted contacts.");
                }
            }
            // The store's MessageQueued event hands the message to the connection as soon as it
            // is committed and written, while the store still syncs it to disk (onStoreEvent).
            org.allium.contacts.api.Message m = profile.messages().enqueueOutgoing(id, text, clientId);
            return Convert.messageId(m.id());
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public void retry(MessageId message) throws MessengerException {
        try {
            for (org.allium.contacts.api.Contact c : profile.contacts().list()) {
                if (profile.messages().retry(c.id(), Convert.messageId(message))) {
                    links.messageQueued(c.id());
                    return;
                }
            }
        } catch (StoreException e) {
            throw map(e);
        }
        throw new UnknownContactException("failed message");
    }

    @Override
    public List<Contact> contacts() throws MessengerException {
        try {
            List<Contact> out = new ArrayList<>();
            for (org.allium.contacts.api.Contact c : profile.contacts().list()) {
                if (c.state() == org.allium.contacts.api.ContactState.ACCEPTED
                        || c.state() == org.allium.contacts.api.ContactState.BLOCKED) {
                    out.add(Convert.contact(c, links.isOnline(c.id()), unread(c.id())));
                }
            }
            return out;
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public Contact contact(ContactId contact) throws MessengerException {
        try {
            org.allium.contacts.api.Contact c = existing(contact);
            return Convert.contact(c, links.isOnline(c.id()), unread(c.id()));
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public List<ContactRequest> requests() throws MessengerException {
        try {
            List<ContactRequest> out = new ArrayList<>();
            for (org.allium.contacts.api.Contact c : profile.contacts().list()) {
                if (c.state() == org.allium.contacts.api.ContactState.INCOMING_REQUEST) {
                    out.add(Convert.incomingRequest(c));
                } else if (c.state() == org.allium.contacts.api.ContactState.OUTGOING_REQUEST) {
                    out.add(Convert.outgoingRequest(c));
                }
            }
            return out;
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public List<Message> conversation(ContactId contact, int limit, MessageId beforeOrNull)
            throws MessengerException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        try {
            org.allium.contacts.api.ContactId id = existing(contact).id();
            long before = Long.MAX_VALUE;
            if (beforeOrNull != null) {
                org.allium.contacts.api.MessageId mid = Convert.messageId(beforeOrNull);
                Optional<org.allium.contacts.api.Message> m = profile.messages()
                        .get(id, org.allium.contacts.api.Direction.OUTGOING, mid)
                        .or(() -> getQuietly(id, org.allium.contacts.api.Direction.INCOMING, mid));
                if (m.isEmpty()) {
                    throw new UnknownContactException("message");
                }
                before = m.get().position();
            }
            long readUpTo = readUpTo(id);
            // The store pages at most PAGE_MAX rows at a time: older pages are put in front.
            java.util.ArrayDeque<List<org.allium.contacts.api.Message>> pages = new java.util.ArrayDeque<>();
            int left = limit;
            while (left > 0) {
                int n = Math.min(left, org.allium.contacts.api.MessageStore.PAGE_MAX);
                List<org.allium.contacts.api.Message> page = profile.messages().page(id, before, n);
                if (page.isEmpty()) {
                    break;
                }
                pages.addFirst(page);
                left -= page.size();
                before = page.get(0).position();
                if (page.size() < n) {
                    break;
                }
            }
            List<Message> out = new ArrayList<>();
            for (List<org.allium.contacts.api.Message> page : pages) {
                for (org.allium.contacts.api.Message m : page) {
                    out.add(Convert.message(m, m.position() <= readUpTo));
                }
            }
            return out;
        } catch (StoreException e) {
            throw map(e);
        }
    }

    private Optional<org.allium.contacts.api.Message> getQuietly(org.allium.contacts.api.ContactId id,
            org.allium.contacts.api.Direction d, org.allium.contacts.api.MessageId mid) {
        try {
            return profile.messages().get(id, d, mid);
        } catch (StoreException e) {
            return Optional.empty();
        }
    }

    private long readUpTo(org.allium.contacts.api.ContactId id) throws StoreException {
        return profile.settings().get(READ_UP_TO + id.value()).map(Long::parseLong).orElse(0L);
    }

    private int unread(org.allium.contacts.api.ContactId id) throws StoreException {
        long readUpTo = readUpTo(id);
        int n = 0;
        for (org.allium.contacts.api.Message m : profile.messages().page(id, Long.MAX_VALUE, 500)) {
            if (m.direction() == org.allium.contacts.api.Direction.INCOMING && m.position() > readUpTo) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void markRead(ContactId contact) throws MessengerException {
        try {
            org.allium.contacts.api.ContactId id = existing(contact).id();
            List<org.allium.contacts.api.Message> newest = profile.messages().page(id, Long.MAX_VALUE, 1);
            if (!newest.isEmpty()) {
                profile.settings().put(READ_UP_TO + id.value(), Long.toString(newest.get(0).position()));
                bus.publish(new MessengerEvent.ContactChanged(contact(contact)));
            }
        } catch (StoreException e) {
            throw map(e);
        }
    }

    // ---- settings ----

    @Override
    public void setAcceptingContacts(boolean on) throws MessengerException {
        try {
            profile.settings().put(ACCEPTING, Boolean.toString(on));
        } catch (StoreException e) {
            throw map(e);
        }
        boolean running;
        synchronized (this) {
            accepting = on;
            running = state == MessengerState.STARTING || state == MessengerState.RUNNING;
        }
        if (running) {
            if (on) {
                try {
                    host.host(requests.identitySpec());
                } catch (IOException e) {
                    throw new MessengerException("Could not open the listener for contact requests.", e);
                }
            } else if (!dropDoor.needsIdentityOnion()) {
                host.unhost(me.address());
            }
        }
        bus.publish(new MessengerEvent.AcceptingContactsChanged(on));
    }

    @Override
    public synchronized boolean isAcceptingContacts() {
        return accepting;
    }

    @Override
    public HistoryPolicy historyPolicy() throws MessengerException {
        try {
            return profile.messages().defaultPolicy() instanceof org.allium.contacts.api.HistoryPolicy.Keep
                    ? HistoryPolicy.KEEP : HistoryPolicy.DELETE_ON_STOP;
        } catch (StoreException e) {
            throw map(e);
        }
    }

    @Override
    public void setHistoryPolicy(HistoryPolicy policy) throws MessengerException {
        org.allium.contacts.api.HistoryPolicy p = policy == HistoryPolicy.KEEP
                ? org.allium.contacts.api.HistoryPolicy.KEEP : org.allium.contacts.api.HistoryPolicy.DONT_KEEP;
        try {
            profile.messages().setDefaultPolicy(p);
            for (org.allium.contacts.api.Contact c : profile.contacts().list()) {
                profile.messages().setPolicy(c.id(), p);
            }
        } catch (StoreException e) {
            throw map(e);
        }
    }

    /** The io threads ({@link IoPool}); tests. */
    java.util.concurrent.ExecutorService ioPool() {
        return io;
    }

    @Override
    public org.allium.core.api.FileTransfers files() {
        return files;
    }

    @Override
    public Subscription subscribe(Consumer<MessengerEvent> listener) {
        return bus.subscribe(listener);
    }

    // ---- store events → API events ----

    private void onStoreEvent(StoreEvent e) {
        if (e instanceof StoreEvent.MessageQueued q) {
            links.messageQueued(q.message()); // non-blocking; in commit (= sequence) order
        }
        try {
            storeThread.execute(() -> translate(e));
        } catch (java.util.concurrent.RejectedExecutionException ex) {
            LOG.finest("store event after stop");
        }
    }

    private void translate(StoreEvent e) {
        try {
            if (e instanceof StoreEvent.ContactAdded a) {
                org.allium.contacts.api.Contact c = a.contact();
                if (c.state() == org.allium.contacts.api.ContactState.INCOMING_REQUEST) {
                    bus.publish(new MessengerEvent.RequestReceived(Convert.incomingRequest(c)));
                    groups.requestReceived(c.address().serviceId()); // an introduction is accepted there
                } else if (c.state() == org.allium.contacts.api.ContactState.OUTGOING_REQUEST) {
                    bus.publish(new MessengerEvent.RequestChanged(Convert.outgoingRequest(c)));
                }
            } else if (e instanceof StoreEvent.ContactChanged ch) {
                org.allium.contacts.api.Contact c = ch.contact();
                boolean online = links.isOnline(c.id());
                if (c.state() == org.allium.contacts.api.ContactState.ACCEPTED
                        && ch.previousState() != org.allium.contacts.api.ContactState.ACCEPTED) {
                    bus.publish(new MessengerEvent.ContactAdded(Convert.contact(c, online, unread(c.id()))));
                } else if (c.state() == org.allium.contacts.api.ContactState.ACCEPTED
                        || c.state() == org.allium.contacts.api.ContactState.BLOCKED) {
                    bus.publish(new MessengerEvent.ContactChanged(Convert.contact(c, online, unread(c.id()))));
                }
            } else if (e instanceof StoreEvent.ContactRemoved r) {
                bus.publish(new MessengerEvent.ContactRemoved(Convert.id(r.contact())));
            } else if (e instanceof StoreEvent.MessageQueued q) {
                bus.publish(new MessengerEvent.MessageStatusChanged(Convert.id(q.message().contact()),
                        Convert.messageId(q.message().id()), Convert.status(q.message().status())));
            } else if (e instanceof StoreEvent.MessageReceived r) {
                bus.publish(new MessengerEvent.MessageReceived(Convert.message(r.message(), false)));
            } else if (e instanceof StoreEvent.DiskSpaceChanged d) {
                disk.onChange(d.bytesNeeded());
            } else if (e instanceof StoreEvent.MessageStatusChanged s) {
                for (org.allium.contacts.api.MessageId id : s.ids()) {
                    bus.publish(new MessengerEvent.MessageStatusChanged(Convert.id(s.contact()),
                            Convert.messageId(id), Convert.status(s.status())));
                }
            }
        } catch (StoreException ex) {
            LOG.fine("translating a store event failed: " + ex.getMessage());
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "translating a store event failed", ex);
        }
    }

    static MessengerException map(StoreException e) {
        if (e instanceof NoSuchContactException) {
            return new UnknownContactException("contact");
        }
        if (e instanceof ContactStateException) {
            return new IllegalContactStateException("The contact is not in a state that allows this.");
        }
        if (e instanceof ContactExistsException) {
            return new InvalidAddressException(InvalidAddressException.Reason.ALREADY_CONTACT);
        }
        if (e instanceof org.allium.contacts.api.ReadOnlyProfileException) {
            return new org.allium.core.api.ProfileReadOnlyException(e.getMessage(), e);
        }
        if (e instanceof org.allium.contacts.api.DiskFullException d) {
            return new org.allium.core.api.DiskFullException(d.getMessage(), d.bytesNeeded(), e);
        }
        return new StorageException("The profile's store failed: " + e.getMessage(), e);
    }

    @Override
    public long diskSpaceNeeded() {
        return disk.needed();
    }
}
