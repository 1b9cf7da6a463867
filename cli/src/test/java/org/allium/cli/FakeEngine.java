package org.allium.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.allium.core.api.Contact;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.ContactState;
import org.allium.core.api.Direction;
import org.allium.core.api.HistoryPolicy;
import org.allium.core.api.IllegalContactStateException;
import org.allium.core.api.Identity;
import org.allium.core.api.InvalidAddressException;
import org.allium.core.api.Message;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.MessengerException;
import org.allium.core.api.MessengerState;
import org.allium.core.api.Profile;
import org.allium.core.api.ProfileException;
import org.allium.core.api.ProfileExistsException;
import org.allium.core.api.ProfileInUseException;
import org.allium.core.api.ProfileNotFoundException;
import org.allium.core.api.Profiles;
import org.allium.core.api.Subscription;
import org.allium.core.api.TextTooLongException;
import org.allium.core.api.TorSettings;
import org.allium.core.api.UnknownContactException;
import org.allium.core.api.WrongPassphraseException;

/**
 * A fake of the core API for unit tests of the command line itself (the real engine is
 * exercised by the ITs on the private Tor network). Profiles live in memory, keyed by
 * directory; a marker file makes {@code exists} true on disk too. With {@code torMissing},
 * a started messenger reports TOR_MISSING; otherwise sent messages are "delivered" at once.
 */
final class FakeEngine implements Engine {

    static final String BOB = "bobbobbobbobbobbobbobbobbobbobbobbobbobbobbobbobbobbobb";

    final Map<Path, Stored> stored = new HashMap<>();
    final List<FakeMessenger> messengers = new CopyOnWriteArrayList<>();
    volatile boolean torMissing;
    /** The other side never answers: messages and requests stay queued. */
    volatile boolean peerOffline;
    volatile TorSettings lastTor;
    /** What messenger.groups() returns (GroupCommandsTest); null: not available. */
    volatile org.allium.core.groups.Groups groups;

    /** A profile on "disk". */
    static final class Stored {
        char[] passphrase;
        final String serviceId;
        final String nickname;
        boolean open;
        TorSettings tor = TorSettings.ownTor();
        /** What the profile's store holds: one contact "bob" (id 1), one incoming request (id 2). */
        final Map<ContactId, Contact> contacts = new LinkedHashMap<>();
        final Map<ContactId, ContactRequest> requests = new LinkedHashMap<>();
        final List<Message> messages = new ArrayList<>();
        long nextContact = 3;

        Stored(char[] passphrase, String serviceId, String nickname) {
            this.passphrase = passphrase.clone();
            this.serviceId = serviceId;
            this.nickname = nickname;
            contacts.put(new ContactId(1), new Contact(new ContactId(1), BOB, "bob", ContactState.ACCEPTED,
                    false, 0, false, "FP-bob"));
            requests.put(new ContactId(2), new ContactRequest(new ContactId(2), Direction.INCOMING,
                    serviceId(999), "carol\u001b[31m", "let me in", Instant.EPOCH, true));
        }
    }

    private static final AtomicLong NEXT_ID = new AtomicLong();

    static String serviceId(long n) {
        String s = "a" + Long.toString(n, 32).replace('0', 'q').replace('1', 'r').replace('8', 's').replace('9', 't');
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < 56) {
            sb.append('a');
        }
        return sb.substring(0, 56);
    }

    @Override
    public Profiles profiles() {
        return new Profiles() {
            @Override
            public Path defaultDirectory() {
                return Path.of("/nonexistent/allium-default");
            }

            @Override
            public boolean exists(Path dir) {
                synchronized (stored) {
                    return stored.containsKey(dir.toAbsolutePath().normalize());
                }
            }

            @Override
            public Profile create(Path dir, char[] passphrase, String nickname) throws ProfileException {
                Path d = dir.toAbsolutePath().normalize();
                synchronized (stored) {
                    if (stored.containsKey(d)) {
                        throw new ProfileExistsException();
                    }
                    Stored s = new Stored(passphrase, serviceId(NEXT_ID.incrementAndGet()), nickname);
                    stored.put(d, s);
                    s.open = true;
                    try {
                        Files.createDirectories(d);
                    } catch (java.io.IOException e) {
                        throw new ProfileException("cannot create", e);
                    }
                    return new FakeProfile(d, s);
                }
            }

            @Override
            public Profile open(Path dir, char[] passphrase) throws ProfileException {
                synchronized (stored) {
                    Stored s = stored.get(dir.toAbsolutePath().normalize());
                    if (s == null) {
                        throw new ProfileNotFoundException();
                    }
                    if (s.open) {
                        throw new ProfileInUseException();
                    }
                    if (!Arrays.equals(s.passphrase, passphrase)) {
                        throw new WrongPassphraseException();
                    }
                    s.open = true;
                    return new FakeProfile(dir.toAbsolutePath().normalize(), s);
                }
            }

            @Override
            public void changePassphrase(Path dir, char[] oldPassphrase, char[] newPassphrase)
                    throws ProfileException {
                synchronized (stored) {
                    Stored s = stored.get(dir.toAbsolutePath().normalize());
                    if (s == null) {
                        throw new ProfileNotFoundException();
                    }
                    if (s.open) {
                        throw new ProfileInUseException();
                    }
                    if (!Arrays.equals(s.passphrase, oldPassphrase)) {
                        throw new WrongPassphraseException();
                    }
                    s.passphrase = newPassphrase.clone();
                }
            }

            @Override
            public void wipe(Path dir) throws ProfileException {
                synchronized (stored) {
                    Stored s = stored.get(dir.toAbsolutePath().normalize());
                    if (s == null) {
                        throw new ProfileNotFoundException();
                    }
                    if (s.open) {
                        throw new ProfileInUseException();
                    }
                    stored.remove(dir.toAbsolutePath().normalize());
                }
            }
        };
    }

    @Override
    public Messenger create(Profile profile, TorSettings tor) {
        lastTor = tor;
        FakeMessenger m = new FakeMessenger((FakeProfile) profile, torMissing, peerOffline);
        m.groups = groups;
        messengers.add(m);
        return m;
    }

    final class FakeProfile implements Profile {
        final Path dir;
        final Stored s;

        FakeProfile(Path dir, Stored s) {
            this.dir = dir;
            this.s = s;
        }

        @Override
        public Path directory() {
            return dir;
        }

        @Override
        public Identity identity() {
            return new Identity(s.serviceId, "FP-" + s.serviceId.substring(0, 4), s.nickname);
        }

        @Override
        public TorSettings torSettings() {
            synchronized (stored) {
                return s.tor;
            }
        }

        @Override
        public void setTorSettings(TorSettings settings) {
            synchronized (stored) {
                s.tor = settings;
            }
        }

        @Override
        public void setNickname(String nickname) {
        }

        @Override
        public boolean isOpen() {
            synchronized (stored) {
                return s.open;
            }
        }

        @Override
        public void close() {
            synchronized (stored) {
                s.open = false;
            }
        }
    }

    /** An in-memory messenger over the profile's {@link Stored} state. */
    static final class FakeMessenger implements Messenger {
        private final FakeProfile profile;
        private final boolean torMissing;
        private final boolean peerOffline;
        volatile boolean everStarted;
        volatile org.allium.core.groups.Groups groups;

        @Override
        public org.allium.core.groups.Groups groups() {
            if (groups == null) {
                throw new UnsupportedOperationException("no groups in this fake");
            }
            return groups;
        }
        private final List<Consumer<MessengerEvent>> listeners = new CopyOnWriteArrayList<>();
        private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fake-core-events");
            t.setDaemon(true);
            return t;
        });
        private final Map<ContactId, Contact> contacts;
        private final Map<ContactId, ContactRequest> requests;
        private final List<Message> messages;
        private MessengerState state = MessengerState.NEW;
        private boolean accepting = true;

        FakeMessenger(FakeProfile profile, boolean torMissing, boolean peerOffline) {
            this.profile = profile;
            this.torMissing = torMissing;
            this.peerOffline = peerOffline;
            this.contacts = profile.s.contacts;
            this.requests = profile.s.requests;
            this.messages = profile.s.messages;
        }

        void emit(MessengerEvent e) {
            events.execute(() -> listeners.forEach(l -> l.accept(e)));
        }

        @Override
        public synchronized void start() {
            if (state != MessengerState.NEW) {
                throw new IllegalStateException("started twice");
            }
            state = MessengerState.STARTING;
            everStarted = true;
            if (torMissing) {
                emit(new MessengerEvent.TorProblem(MessengerEvent.TorProblem.Kind.TOR_MISSING,
                        "No tor binary found. Install it: sudo apt install tor"));
                return;
            }
            emit(new MessengerEvent.TorProgress(100, "done", "Done"));
            state = MessengerState.RUNNING;
            emit(new MessengerEvent.Ready());
            if (!peerOffline) {
                // Like the real engine: what was queued goes out once online.
                for (int i = 0; i < messages.size(); i++) {
                    Message m = messages.get(i);
                    if (m.status() == MessageStatus.QUEUED) {
                        messages.set(i, new Message(m.id(), m.contact(), m.direction(), m.text(), m.composed(), null,
                                MessageStatus.DELIVERED, true));
                        emit(new MessengerEvent.MessageStatusChanged(m.contact(), m.id(), MessageStatus.SENT));
                        emit(new MessengerEvent.MessageStatusChanged(m.contact(), m.id(), MessageStatus.DELIVERED));
                    }
                }
                for (ContactRequest r : List.copyOf(requests.values())) {
                    if (r.direction() == Direction.OUTGOING && !r.delivered()) {
                        ContactRequest d = new ContactRequest(r.id(), r.direction(), r.serviceId(), r.nickname(),
                                r.message(), r.time(), true);
                        requests.put(r.id(), d);
                        emit(new MessengerEvent.RequestChanged(d));
                    }
                }
            }
        }

        @Override
        public synchronized void stop() {
            if (state == MessengerState.STOPPED) {
                return;
            }
            state = MessengerState.STOPPED;
            emit(new MessengerEvent.Stopped());
            events.shutdown();
            try {
                events.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public synchronized MessengerState state() {
            return state;
        }

        @Override
        public Identity myIdentity() {
            return profile.identity();
        }

        @Override
        public String normalizeAddress(String a) throws InvalidAddressException {
            String s = a.trim().toLowerCase(java.util.Locale.ROOT);
            if (s.isEmpty()) {
                throw new InvalidAddressException(InvalidAddressException.Reason.EMPTY);
            }
            if (s.startsWith("allium:")) {
                s = s.substring(7);
            } else if (s.endsWith(".onion")) {
                s = s.substring(0, s.length() - 6);
            }
            if (s.length() != 56) {
                throw new InvalidAddressException(InvalidAddressException.Reason.WRONG_LENGTH);
            }
            if (!s.matches("[a-z2-7]{56}")) {
                throw new InvalidAddressException(InvalidAddressException.Reason.NOT_BASE32);
            }
            return s;
        }

        @Override
        public synchronized ContactId sendContactRequest(String address, String nick, String message)
                throws MessengerException {
            String id = normalizeAddress(address);
            if (id.equals(profile.s.serviceId)) {
                throw new InvalidAddressException(InvalidAddressException.Reason.OWN_ADDRESS);
            }
            if (message.length() > MAX_REQUEST_MESSAGE_LENGTH) {
                throw new TextTooLongException("message", MAX_REQUEST_MESSAGE_LENGTH);
            }
            ContactId c = new ContactId(profile.s.nextContact++);
            ContactRequest r = new ContactRequest(c, Direction.OUTGOING, id, nick == null ? "" : nick, message,
                    Instant.now(), false);
            requests.put(c, r);
            if (state == MessengerState.RUNNING && !peerOffline) {
                emit(new MessengerEvent.RequestChanged(new ContactRequest(c, Direction.OUTGOING, id, r.nickname(),
                        message, r.time(), true)));
            }
            return c;
        }

        @Override
        public synchronized void accept(ContactId request) throws MessengerException {
            known(request);
            ContactRequest r = requests.get(request);
            if (r == null) {
                throw new IllegalContactStateException("That is not an incoming request.");
            }
            if (r.direction() != Direction.INCOMING) {
                throw new IllegalContactStateException("That is not an incoming request.");
            }
            requests.remove(request);
            Contact c = new Contact(request, r.serviceId(), r.nickname(), ContactState.ACCEPTED, false, 0, false, "FP");
            contacts.put(request, c);
            emit(new MessengerEvent.ContactAdded(c));
        }

        private void known(ContactId id) throws UnknownContactException {
            if (!contacts.containsKey(id) && !requests.containsKey(id)) {
                throw new UnknownContactException("contact");
            }
        }

        @Override
        public synchronized void reject(ContactId request) throws MessengerException {
            known(request);
            requests.remove(request);
            emit(new MessengerEvent.ContactRemoved(request));
        }

        @Override
        public synchronized void block(ContactId contact) throws MessengerException {
            known(contact);
        }

        @Override
        public synchronized void remove(ContactId contact) throws MessengerException {
            known(contact);
            contacts.remove(contact);
            requests.remove(contact);
            emit(new MessengerEvent.ContactRemoved(contact));
        }

        @Override
        public synchronized void markVerified(ContactId contact) throws MessengerException {
            known(contact);
        }

        @Override
        public synchronized void markUnverified(ContactId contact) throws MessengerException {
            known(contact);
        }

        @Override
        public synchronized void rename(ContactId contact, String nameOrNull) throws MessengerException {
            known(contact);
        }

        @Override
        public synchronized MessageId sendMessage(ContactId contact, String text) throws MessengerException {
            known(contact);
            if (!contacts.containsKey(contact)) {
                throw new IllegalContactStateException("Not a contact yet.");
            }
            if (text.length() > MAX_MESSAGE_LENGTH) {
                throw new TextTooLongException("message", MAX_MESSAGE_LENGTH);
            }
            String hex = String.format("%032x", messages.size() + 1);
            MessageId id = new MessageId(hex);
            messages.add(new Message(id, contact, Direction.OUTGOING, text, Instant.now(), null,
                    MessageStatus.QUEUED, true));
            if (state == MessengerState.RUNNING && !peerOffline) {
                emit(new MessengerEvent.MessageStatusChanged(contact, id, MessageStatus.SENT));
                emit(new MessengerEvent.MessageStatusChanged(contact, id, MessageStatus.DELIVERED));
            }
            return id;
        }

        @Override
        public void retry(MessageId message) {
        }

        @Override
        public synchronized List<Contact> contacts() {
            return new ArrayList<>(contacts.values());
        }

        @Override
        public synchronized Contact contact(ContactId contact) throws MessengerException {
            known(contact);
            return contacts.get(contact);
        }

        @Override
        public synchronized List<ContactRequest> requests() {
            return new ArrayList<>(requests.values());
        }

        @Override
        public synchronized List<Message> conversation(ContactId contact, int limit, MessageId before)
                throws MessengerException {
            known(contact);
            List<Message> out = new ArrayList<>();
            for (Message m : messages) {
                if (m.contact().equals(contact)) {
                    out.add(m);
                }
            }
            return out.subList(Math.max(0, out.size() - limit), out.size());
        }

        @Override
        public void markRead(ContactId contact) throws MessengerException {
            known(contact);
        }

        @Override
        public synchronized void setAcceptingContacts(boolean a) {
            accepting = a;
            emit(new MessengerEvent.AcceptingContactsChanged(a));
        }

        @Override
        public synchronized boolean isAcceptingContacts() {
            return accepting;
        }

        @Override
        public HistoryPolicy historyPolicy() {
            return HistoryPolicy.KEEP;
        }

        @Override
        public void setHistoryPolicy(HistoryPolicy policy) {
        }

        @Override
        public Subscription subscribe(Consumer<MessengerEvent> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }
}
