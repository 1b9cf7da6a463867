package org.allium.desktop;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.ContactState;
import org.allium.core.api.Direction;
import org.allium.core.api.HistoryPolicy;
import org.allium.core.api.Identity;
import org.allium.core.api.IllegalContactStateException;
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
import org.allium.core.api.ProfileNotFoundException;
import org.allium.core.api.Profiles;
import org.allium.core.api.StorageException;
import org.allium.core.api.Subscription;
import org.allium.core.api.TextTooLongException;
import org.allium.core.api.TorSettings;
import org.allium.core.api.UnknownContactException;
import org.allium.core.api.WrongPassphraseException;

/**
 * An in-memory fake of the core API (not of tor) for UI unit tests and screenshots: profiles
 * in a map, a messenger whose "tor" bootstraps in a few events, and hooks to make contacts
 * appear, go online, send messages and change statuses. Thread-safe; events are delivered in
 * order on one thread, like the real core.
 */
public final class FakeCore implements Profiles {
    static final class Stored {
        char[] passphrase;
        volatile Identity identity;
        TorSettings tor = TorSettings.ownTor();
        final Map<ContactId, Contact> contacts = new LinkedHashMap<>();
        final Map<ContactId, ContactRequest> requests = new LinkedHashMap<>();
        final Map<ContactId, List<Message>> messages = new LinkedHashMap<>();
        boolean accepting = true;
        HistoryPolicy history = HistoryPolicy.KEEP;

        Stored(char[] passphrase, Identity identity) {
            this.passphrase = passphrase;
            this.identity = identity;
        }
    }

    private final Map<Path, Stored> profiles = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    final List<FakeMessenger> messengers = new CopyOnWriteArrayList<>();
    /** When false, start() stays at the given progress (for the connecting screenshot). */
    volatile boolean bootstrapCompletes = true;
    /** The tor settings each messenger was created with, in order. */
    final List<TorSettings> startedWith = new CopyOnWriteArrayList<>();
    volatile MessengerEvent.TorProblem problemOnStart;
    private final Clock clock;

    public FakeCore(Clock clock) {
        this.clock = clock;
        this.drops = new org.allium.desktop.dropline.FakeDropLines(clock);
    }

    /** The drop lines of the messengers of this fake (drop line off until switched on). */
    final org.allium.desktop.dropline.FakeDropLines drops;

    CoreAccess access() {
        return access(drops);
    }

    /** With {@code drops} for the drop lines. */
    public CoreAccess access(org.allium.desktop.dropline.DropAccess drops) {
        return new CoreAccess(this, (p, t) -> {
            startedWith.add(t);
            FakeMessenger m = new FakeMessenger((FakeProfile) p);
            messengers.add(m);
            return m;
        }, drops);
    }

    FakeMessenger last() {
        return messengers.get(messengers.size() - 1);
    }

    /** The groups of the last messenger (org.allium.desktop.groups tests). */
    public org.allium.desktop.groups.FakeGroups lastGroups() {
        return last().groups;
    }

    /** Test hook for other packages: an accepted contact of the last messenger appears (ContactAdded). */
    public Contact addContact(String nickname, boolean online) {
        Contact c = last().addContact(nickname, online, 0, false);
        last().emit(new MessengerEvent.ContactAdded(c));
        return c;
    }

    /** A valid address nobody uses (a stranger). */
    public String strangerAddress() {
        return randomServiceId();
    }

    @Override
    public Path defaultDirectory() {
        return Path.of("/tmp/allium-fake-profile");
    }

    @Override
    public synchronized boolean exists(Path dir) {
        return profiles.containsKey(dir);
    }

    @Override
    public synchronized Profile create(Path dir, char[] passphrase, String nickname) throws ProfileException {
        if (profiles.containsKey(dir)) {
            throw new ProfileExistsException();
        }
        Stored s = new Stored(passphrase.clone(), new Identity(randomServiceId(), fingerprint(), nickname));
        profiles.put(dir, s);
        return new FakeProfile(dir, s);
    }

    @Override
    public synchronized Profile open(Path dir, char[] passphrase) throws ProfileException {
        Stored s = profiles.get(dir);
        if (s == null) {
            throw new ProfileNotFoundException();
        }
        if (!Arrays.equals(s.passphrase, passphrase)) {
            throw new WrongPassphraseException();
        }
        if (damagedFile != null) {
            throw new org.allium.core.api.ProfileDamagedException(damagedFile, damagedFile
                    + " is damaged (a row fails its integrity check); nothing was changed. Run 'allium repair' or"
                    + " restore a backup.", null);
        }
        return new FakeProfile(dir, s);
    }

    /** When set, opening any profile is refused as damaged in this file until a repair. */
    volatile String damagedFile;

    @Override
    public synchronized org.allium.contacts.api.RepairReport repair(Path dir, char[] passphrase)
            throws ProfileException {
        Stored s = profiles.get(dir);
        if (s == null) {
            throw new ProfileNotFoundException();
        }
        if (!Arrays.equals(s.passphrase, passphrase)) {
            throw new WrongPassphraseException();
        }
        String file = damagedFile;
        damagedFile = null;
        if (file == null) {
            return new org.allium.contacts.api.RepairReport(List.of(), null, Map.of("messages", 3), Map.of(),
                    List.of(), 0, 0);
        }
        return new org.allium.contacts.api.RepairReport(List.of(file + ": 2 rows of messages fail their integrity"
                + " check"), dir.resolve("damaged-20261130-094500"), Map.of("messages", 118, "contacts", 3,
                "settings", 4), Map.of("messages", 2), List.of(), 5, 0);
    }

    @Override
    public synchronized void changePassphrase(Path dir, char[] oldPassphrase, char[] newPassphrase)
            throws ProfileException {
        Stored s = profiles.get(dir);
        if (s == null) {
            throw new ProfileNotFoundException();
        }
        if (!Arrays.equals(s.passphrase, oldPassphrase)) {
            throw new WrongPassphraseException();
        }
        s.passphrase = newPassphrase.clone();
    }

    @Override
    public synchronized void wipe(Path dir) {
        profiles.remove(dir);
    }

    synchronized Stored stored(Path dir) {
        return profiles.get(dir);
    }

    String randomServiceId() {
        byte[] pub = new byte[32];
        random.nextBytes(pub);
        return serviceId(pub);
    }

    String fingerprint() {
        byte[] b = new byte[10];
        random.nextBytes(b);
        String hex = HexFormat.of().formatHex(b).toUpperCase(Locale.ROOT);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(hex, i, i + 4);
        }
        return out.toString();
    }

    /** A v3 onion service id for a public key (rend-spec-v3 checksum). */
    static String serviceId(byte[] pub) {
        byte[] all = new byte[35];
        System.arraycopy(pub, 0, all, 0, 32);
        byte[] check = checksum(pub);
        all[32] = check[0];
        all[33] = check[1];
        all[34] = 3;
        return base32(all);
    }

    static byte[] checksum(byte[] pub) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA3-256");
            d.update(".onion checksum".getBytes(StandardCharsets.US_ASCII));
            d.update(pub);
            d.update((byte) 3);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String B32 = "abcdefghijklmnopqrstuvwxyz234567";

    static String base32(byte[] data) {
        StringBuilder sb = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(B32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(B32.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    static byte[] unbase32(String s) {
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (char c : s.toCharArray()) {
            buffer = (buffer << 5) | B32.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }

    final class FakeProfile implements Profile {
        private final Path dir;
        final Stored stored;
        private volatile boolean open = true;

        FakeProfile(Path dir, Stored stored) {
            this.dir = dir;
            this.stored = stored;
        }

        FakeCore core() {
            return FakeCore.this;
        }

        @Override
        public Path directory() {
            return dir;
        }

        @Override
        public Identity identity() {
            return stored.identity;
        }

        @Override
        public TorSettings torSettings() {
            synchronized (FakeCore.this) {
                return stored.tor;
            }
        }

        @Override
        public void setTorSettings(TorSettings settings) throws StorageException {
            synchronized (FakeCore.this) {
                stored.tor = settings;
            }
        }

        @Override
        public void setNickname(String nickname) throws MessengerException {
            if (nickname != null && nickname.length() > Messenger.MAX_NICKNAME_LENGTH) {
                throw new TextTooLongException("nickname", Messenger.MAX_NICKNAME_LENGTH);
            }
            synchronized (FakeCore.this) {
                stored.identity = new Identity(stored.identity.serviceId(), stored.identity.fingerprint(), nickname);
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }

        @Override
        public Map<String, Integer> backup(Path file) throws MessengerException {
            try {
                java.nio.file.Files.writeString(file, "a fake backup");
            } catch (java.io.IOException e) {
                throw new StorageException("cannot write the backup file: " + e.getClass().getSimpleName(), e);
            }
            synchronized (FakeCore.this) {
                int messages = stored.messages.values().stream().mapToInt(List::size).sum();
                return Map.of("messages", messages, "contacts", stored.contacts.size(), "files/", 2);
            }
        }
    }

    final class FakeMessenger implements Messenger {
        final FakeProfile profile;
        private final Stored s;
        private final List<Consumer<MessengerEvent>> listeners = new CopyOnWriteArrayList<>();
        private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fake-core-events");
            t.setDaemon(true);
            return t;
        });
        private volatile MessengerState state = MessengerState.NEW;
        /** File transfers (FileTransferUiTest). */
        final FakeFiles files;
        /** Private groups (org.allium.desktop.groups tests). */
        final org.allium.desktop.groups.FakeGroups groups;

        @Override
        public org.allium.core.groups.Groups groups() {
            return groups;
        }

        @Override
        public org.allium.core.api.FileTransfers files() {
            return files;
        }

        FakeMessenger(FakeProfile profile) {
            this.files = new FakeFiles(this, clock);
            this.groups = new org.allium.desktop.groups.FakeGroups(clock, () -> profile.stored.identity.serviceId(),
                    this::contacts);
            this.profile = profile;
            this.s = profile.stored;
        }

        void emit(MessengerEvent e) {
            if (events.isShutdown()) {
                return;
            }
            events.execute(() -> {
                for (Consumer<MessengerEvent> l : listeners) {
                    l.accept(e);
                }
            });
        }

        /** Waits until every event emitted so far was delivered. */
        void drain() throws InterruptedException {
            try {
                events.submit(() -> { }).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void start() {
            state = MessengerState.STARTING;
            emit(new MessengerEvent.TorProgress(5, "conn", "Connecting to a relay"));
            emit(new MessengerEvent.TorProgress(45, "requesting_descriptors", "Asking for relay descriptors"));
            if (problemOnStart != null) {
                emit(problemOnStart);
            }
            if (bootstrapCompletes) {
                emit(new MessengerEvent.TorProgress(100, "done", "Done"));
                events.execute(() -> state = MessengerState.RUNNING);
                emit(new MessengerEvent.Ready());
            }
        }

        @Override
        public void stop() {
            state = MessengerState.STOPPED;
            emit(new MessengerEvent.Stopped());
            events.shutdown();
        }

        @Override
        public MessengerState state() {
            return state;
        }

        @Override
        public Identity myIdentity() {
            return s.identity;
        }

        @Override
        public String normalizeAddress(String addressOrLink) throws InvalidAddressException {
            String a = addressOrLink.strip().toLowerCase(Locale.ROOT);
            if (a.isEmpty()) {
                throw new InvalidAddressException(InvalidAddressException.Reason.EMPTY);
            }
            if (a.startsWith("allium:")) {
                a = a.substring(7);
            } else if (a.endsWith(".onion")) {
                a = a.substring(0, a.length() - 6);
            } else if (a.length() != 56) {
                throw new InvalidAddressException(InvalidAddressException.Reason.WRONG_PREFIX);
            }
            if (a.length() != 56) {
                throw new InvalidAddressException(InvalidAddressException.Reason.WRONG_LENGTH);
            }
            for (char c : a.toCharArray()) {
                if (B32.indexOf(c) < 0) {
                    throw new InvalidAddressException(InvalidAddressException.Reason.NOT_BASE32);
                }
            }
            byte[] raw = unbase32(a);
            if (raw[34] != 3) {
                throw new InvalidAddressException(InvalidAddressException.Reason.BAD_VERSION);
            }
            byte[] check = checksum(Arrays.copyOf(raw, 32));
            if (check[0] != raw[32] || check[1] != raw[33]) {
                throw new InvalidAddressException(InvalidAddressException.Reason.BAD_CHECKSUM);
            }
            if (a.equals(s.identity.serviceId())) {
                throw new InvalidAddressException(InvalidAddressException.Reason.OWN_ADDRESS);
            }
            return a;
        }

        @Override
        public ContactId sendContactRequest(String addressOrLink, String myNickname, String message)
                throws MessengerException {
            String id = normalizeAddress(addressOrLink);
            if (message.length() > MAX_REQUEST_MESSAGE_LENGTH) {
                throw new TextTooLongException("message", MAX_REQUEST_MESSAGE_LENGTH);
            }
            ContactRequest r;
            synchronized (FakeCore.this) {
                for (ContactRequest other : s.requests.values()) {
                    if (other.serviceId().equals(id)) {
                        throw new InvalidAddressException(InvalidAddressException.Reason.ALREADY_CONTACT);
                    }
                }
                String offered = myNickname == null ? (s.identity.nickname() == null ? "" : s.identity.nickname())
                        : myNickname;
                if (offered.getBytes(StandardCharsets.UTF_8).length > MAX_NICKNAME_LENGTH) {
                    throw new TextTooLongException("nickname", MAX_NICKNAME_LENGTH);
                }
                r = new ContactRequest(new ContactId(ids.incrementAndGet()), Direction.OUTGOING, id,
                        offered, message, clock.instant(), false);
                s.requests.put(r.id(), r);
            }
            emit(new MessengerEvent.RequestChanged(r));
            return r.id();
        }

        /** Test hook: a stranger sends us a request. */
        ContactRequest receiveRequest(String nickname, String message) {
            ContactRequest r = new ContactRequest(new ContactId(ids.incrementAndGet()), Direction.INCOMING,
                    randomServiceId(), nickname, message, clock.instant(), true);
            synchronized (FakeCore.this) {
                s.requests.put(r.id(), r);
            }
            emit(new MessengerEvent.RequestReceived(r));
            return r;
        }

        /** Test hook: an accepted contact with some history (no events). */
        Contact addContact(String nickname, boolean online, int unread, boolean verified) {
            Contact c = new Contact(new ContactId(ids.incrementAndGet()), randomServiceId(), nickname,
                    ContactState.ACCEPTED, online, unread, verified, fingerprint());
            synchronized (FakeCore.this) {
                s.contacts.put(c.id(), c);
                s.messages.put(c.id(), new ArrayList<>());
            }
            return c;
        }

        /** Test hook: store a message (no event). */
        Message store(ContactId contact, Direction d, String text, Instant when, MessageStatus status) {
            Message m = new Message(randomMessageId(), contact, d, text, when,
                    d == Direction.INCOMING ? when : null, status, d == Direction.OUTGOING);
            synchronized (FakeCore.this) {
                s.messages.computeIfAbsent(contact, k -> new ArrayList<>()).add(m);
            }
            return m;
        }

        /** Test hook: a contact writes to us. */
        Message receive(ContactId contact, String text) {
            Message m = store(contact, Direction.INCOMING, text, clock.instant(), MessageStatus.DELIVERED);
            emit(new MessengerEvent.MessageReceived(m));
            return m;
        }

        void setStatus(ContactId contact, MessageId id, MessageStatus status) {
            synchronized (FakeCore.this) {
                List<Message> list = s.messages.get(contact);
                for (int i = 0; i < list.size(); i++) {
                    Message m = list.get(i);
                    if (m.id().equals(id)) {
                        list.set(i, new Message(m.id(), m.contact(), m.direction(), m.text(), m.composed(),
                                m.received(), status, m.read()));
                    }
                }
            }
            emit(new MessengerEvent.MessageStatusChanged(contact, id, status));
        }

        void setOnline(ContactId contact, boolean online) {
            synchronized (FakeCore.this) {
                Contact c = s.contacts.get(contact);
                s.contacts.put(contact, new Contact(c.id(), c.serviceId(), c.nickname(), c.state(), online,
                        c.unread(), c.verified(), c.fingerprint()));
            }
            emit(new MessengerEvent.PresenceChanged(contact, online));
        }

        MessageId randomMessageId() {
            byte[] b = new byte[16];
            random.nextBytes(b);
            return new MessageId(HexFormat.of().formatHex(b));
        }

        @Override
        public void accept(ContactId request) throws MessengerException {
            Contact c;
            synchronized (FakeCore.this) {
                ContactRequest r = s.requests.remove(request);
                if (r == null) {
                    throw new UnknownContactException("request");
                }
                if (r.direction() != Direction.INCOMING) {
                    throw new IllegalContactStateException("not an incoming request");
                }
                c = new Contact(r.id(), r.serviceId(), r.nickname(), ContactState.ACCEPTED, false, 0, false,
                        fingerprint());
                s.contacts.put(c.id(), c);
                s.messages.put(c.id(), new ArrayList<>());
                // As core: the request's text is the conversation's first (read) message.
                if (!r.message().isEmpty()) {
                    s.messages.get(c.id()).add(new Message(randomMessageId(), c.id(), Direction.INCOMING,
                            r.message(), r.time(), r.time(), MessageStatus.DELIVERED, true));
                }
            }
            emit(new MessengerEvent.ContactAdded(c));
        }

        /** Test hook: they accept our outgoing request (as core: our text opens the conversation). */
        Contact acceptedByThem(ContactId request) {
            Contact c;
            synchronized (FakeCore.this) {
                ContactRequest r = s.requests.remove(request);
                c = new Contact(r.id(), r.serviceId(), r.nickname(), ContactState.ACCEPTED, false, 0, false,
                        fingerprint());
                s.contacts.put(c.id(), c);
                s.messages.put(c.id(), new ArrayList<>());
                if (!r.message().isEmpty()) {
                    s.messages.get(c.id()).add(new Message(randomMessageId(), c.id(), Direction.OUTGOING,
                            r.message(), r.time(), null, MessageStatus.DELIVERED, true));
                }
            }
            emit(new MessengerEvent.ContactAdded(c));
            return c;
        }

        @Override
        public void unblock(ContactId contact) throws MessengerException {
            synchronized (FakeCore.this) {
                Contact c = s.contacts.get(contact);
                if (c == null) {
                    throw new UnknownContactException("contact");
                }
                if (c.state() != ContactState.BLOCKED) {
                    throw new IllegalContactStateException("Only a blocked contact can be unblocked.");
                }
                s.contacts.remove(contact);
                s.messages.remove(contact);
            }
            emit(new MessengerEvent.ContactRemoved(contact));
        }

        @Override
        public void deleteMessage(ContactId contact, MessageId message) throws MessengerException {
            synchronized (FakeCore.this) {
                List<Message> list = s.messages.get(contact);
                if (list == null) {
                    throw new UnknownContactException("contact");
                }
                for (int i = 0; i < list.size(); i++) {
                    Message m = list.get(i);
                    if (m.id().equals(message)) {
                        if (m.direction() == Direction.OUTGOING && (m.status() == MessageStatus.QUEUED
                                || m.status() == MessageStatus.SENT)) {
                            throw new IllegalContactStateException("Only a delivered or failed message can be deleted.");
                        }
                        list.remove(i);
                        return;
                    }
                }
            }
            throw new UnknownContactException("message");
        }

        @Override
        public void reject(ContactId request) throws MessengerException {
            synchronized (FakeCore.this) {
                if (s.requests.remove(request) == null) {
                    throw new UnknownContactException("request");
                }
            }
            emit(new MessengerEvent.ContactRemoved(request));
        }

        @Override
        public void block(ContactId contact) throws MessengerException {
            Contact blocked = null;
            synchronized (FakeCore.this) {
                ContactRequest r = s.requests.remove(contact);
                if (r != null) {
                    // As core: a blocked requester is a BLOCKED contact (listed, to unblock later).
                    s.contacts.put(contact, new Contact(r.id(), r.serviceId(), r.nickname(), ContactState.ACCEPTED,
                            false, 0, false, fingerprint()));
                    s.messages.put(contact, new ArrayList<>());
                }
                Contact c = s.contacts.get(contact);
                if (c != null) {
                    blocked = new Contact(c.id(), c.serviceId(), c.nickname(), ContactState.BLOCKED, false, 0,
                            c.verified(), c.fingerprint());
                    s.contacts.put(contact, blocked);
                }
            }
            emit(blocked != null ? new MessengerEvent.ContactChanged(blocked) : new MessengerEvent.ContactRemoved(contact));
        }

        @Override
        public void remove(ContactId contact) {
            synchronized (FakeCore.this) {
                s.requests.remove(contact);
                s.contacts.remove(contact);
                s.messages.remove(contact);
            }
            emit(new MessengerEvent.ContactRemoved(contact));
        }

        @Override
        public void markVerified(ContactId contact) throws MessengerException {
            Contact v;
            synchronized (FakeCore.this) {
                Contact c = s.contacts.get(contact);
                if (c == null) {
                    throw new UnknownContactException("contact");
                }
                v = new Contact(c.id(), c.serviceId(), c.nickname(), c.state(), c.online(), c.unread(), true,
                        c.fingerprint());
                s.contacts.put(contact, v);
            }
            emit(new MessengerEvent.ContactChanged(v));
        }

        @Override
        public void markUnverified(ContactId contact) throws MessengerException {
            Contact v;
            synchronized (FakeCore.this) {
                Contact c = s.contacts.get(contact);
                if (c == null) {
                    throw new UnknownContactException("contact");
                }
                v = new Contact(c.id(), c.serviceId(), c.nickname(), c.state(), c.online(), c.unread(), false,
                        c.fingerprint());
                s.contacts.put(contact, v);
            }
            emit(new MessengerEvent.ContactChanged(v));
        }

        @Override
        public void rename(ContactId contact, String nameOrNull) throws MessengerException {
            String name = nameOrNull == null ? "" : nameOrNull.strip();
            if (name.length() > MAX_NICKNAME_LENGTH) {
                throw new TextTooLongException("nickname", MAX_NICKNAME_LENGTH);
            }
            Contact changed = null;
            synchronized (FakeCore.this) {
                Contact c = s.contacts.get(contact);
                ContactRequest r = s.requests.get(contact);
                if (c != null) {
                    changed = new Contact(c.id(), c.serviceId(), name, c.state(), c.online(), c.unread(), c.verified(),
                            c.fingerprint());
                    s.contacts.put(contact, changed);
                } else if (r != null) {
                    boolean incoming = r.direction() == Direction.INCOMING;
                    s.requests.put(contact, new ContactRequest(r.id(), r.direction(), r.serviceId(),
                            incoming ? name : r.nickname(), r.message(), r.time(), r.delivered(),
                            incoming || name.isEmpty() ? null : name));
                } else {
                    throw new UnknownContactException("contact");
                }
            }
            if (changed != null) {
                emit(new MessengerEvent.ContactChanged(changed));
            }
        }

        @Override
        public MessageId sendMessage(ContactId contact, String text) throws MessengerException {
            if (text.length() > MAX_MESSAGE_LENGTH) {
                throw new TextTooLongException("message", MAX_MESSAGE_LENGTH);
            }
            synchronized (FakeCore.this) {
                Contact c = s.contacts.get(contact);
                if (c == null) {
                    throw new UnknownContactException("contact");
                }
                if (c.state() != ContactState.ACCEPTED) {
                    throw new IllegalContactStateException("not accepted");
                }
            }
            return store(contact, Direction.OUTGOING, text, clock.instant(), MessageStatus.QUEUED).id();
        }

        @Override
        public void retry(MessageId message) throws MessengerException {
            synchronized (FakeCore.this) {
                for (Map.Entry<ContactId, List<Message>> e : s.messages.entrySet()) {
                    for (Message m : e.getValue()) {
                        if (m.id().equals(message)) {
                            setStatus(e.getKey(), message, MessageStatus.QUEUED);
                            return;
                        }
                    }
                }
            }
            throw new UnknownContactException("message");
        }

        @Override
        public List<Contact> contacts() {
            synchronized (FakeCore.this) {
                return List.copyOf(s.contacts.values());
            }
        }

        @Override
        public Contact contact(ContactId contact) throws MessengerException {
            synchronized (FakeCore.this) {
                Contact c = s.contacts.get(contact);
                if (c == null) {
                    throw new UnknownContactException("contact");
                }
                return c;
            }
        }

        @Override
        public List<ContactRequest> requests() {
            synchronized (FakeCore.this) {
                return List.copyOf(s.requests.values());
            }
        }

        @Override
        public List<Message> conversation(ContactId contact, int limit, MessageId beforeOrNull) {
            synchronized (FakeCore.this) {
                List<Message> all = s.messages.getOrDefault(contact, List.of());
                int to = all.size();
                if (beforeOrNull != null) {
                    for (int i = 0; i < all.size(); i++) {
                        if (all.get(i).id().equals(beforeOrNull)) {
                            to = i;
                        }
                    }
                }
                return List.copyOf(all.subList(Math.max(0, to - limit), to));
            }
        }

        @Override
        public void markRead(ContactId contact) {
            synchronized (FakeCore.this) {
                Contact c = s.contacts.get(contact);
                if (c != null) {
                    s.contacts.put(contact, MainScreen.withUnread(c, 0));
                }
            }
        }

        @Override
        public void setAcceptingContacts(boolean accepting) {
            synchronized (FakeCore.this) {
                s.accepting = accepting;
            }
            emit(new MessengerEvent.AcceptingContactsChanged(accepting));
        }

        @Override
        public boolean isAcceptingContacts() {
            synchronized (FakeCore.this) {
                return s.accepting;
            }
        }

        @Override
        public HistoryPolicy historyPolicy() {
            synchronized (FakeCore.this) {
                return s.history;
            }
        }

        @Override
        public void setHistoryPolicy(HistoryPolicy policy) {
            synchronized (FakeCore.this) {
                s.history = policy;
            }
        }

        @Override
        public Subscription subscribe(Consumer<MessengerEvent> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }
}
