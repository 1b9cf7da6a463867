package org.allium.contacts;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.ContactState;
import org.allium.contacts.api.ContactStateException;
import org.allium.contacts.api.Direction;
import org.allium.contacts.api.HistoryPolicy;
import org.allium.contacts.api.IncomingMessage;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.MessageStatus;
import org.allium.contacts.api.MessageStore;
import org.allium.contacts.api.StoreEvent;
import org.allium.contacts.api.StoreException;

/** {@link MessageStore} over the profile's {@link Database}. Thread-safe through it. */
final class MessageStoreImpl implements MessageStore {
    static final String DEFAULT_POLICY_KEY = "history.default-policy";
    static final int MAX_PAGE = PAGE_MAX;

    private final Database db;
    private final Clock clock;
    private final SecureRandom random;

    MessageStoreImpl(Database db, Clock clock, SecureRandom random) {
        this.db = db;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public Message enqueueOutgoing(ContactId contact, String text) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        checkBody(text);
        return db.transaction("queueing a message", Database.Durability.LOGGED, tx -> enqueue(tx, contact, text));
    }

    /** How long a client id is remembered: a retry within this finds its message. */
    static final java.time.Duration CLIENT_ID_KEPT = java.time.Duration.ofDays(7);

    @Override
    public Message enqueueOutgoing(ContactId contact, String text, String clientId) throws StoreException {
        if (clientId == null) {
            return enqueueOutgoing(contact, text);
        }
        Objects.requireNonNull(contact, "contact");
        checkBody(text);
        checkClientId(clientId);
        // SYNCED, not LOGGED: the log's redo entries describe message rows only, so the client id
        // row must reach the store file with its message in one synced commit.
        return db.transaction("queueing a message", Database.Durability.SYNCED, tx -> {
            PreparedStatement known = tx.prepare("SELECT " + Rows.MESSAGE_COLUMNS + " FROM messages"
                    + " WHERE contact_id = ? AND outgoing = TRUE AND msg_id ="
                    + " (SELECT msg_id FROM client_ids WHERE contact_id = ? AND client_id = ?)");
            known.setLong(1, contact.value());
            known.setLong(2, contact.value());
            known.setString(3, clientId);
            List<Message> found = list(known, 0);
            if (!found.isEmpty()) {
                Message m = found.get(0);
                if (m.body() != null && !m.body().equals(text)) {
                    throw new IllegalArgumentException("this client id was used for a different message");
                }
                return m;
            }
            PreparedStatement forget = tx.prepare("DELETE FROM client_ids WHERE contact_id = ? AND client_id = ?");
            forget.setLong(1, contact.value());
            forget.setString(2, clientId);
            forget.executeUpdate(); // a row whose message is gone (cleared history)
            Message m = enqueue(tx, contact, text);
            PreparedStatement remember = tx.prepare(
                    "INSERT INTO client_ids (contact_id, client_id, msg_id, created_at) VALUES (?, ?, ?, ?)");
            remember.setLong(1, contact.value());
            remember.setString(2, clientId);
            remember.setBytes(3, m.id().toBytes());
            remember.setLong(4, clock.millis());
            remember.executeUpdate();
            return m;
        });
    }

    /** 1–64 characters from {@code A-Z a-z 0-9 . _ : -}. */
    static void checkClientId(String clientId) {
        if (clientId.isEmpty() || clientId.length() > 64 || !clientId.matches("[A-Za-z0-9._:-]+")) {
            throw new IllegalArgumentException("a client id is 1 to 64 characters from A-Z, a-z, 0-9, '.', '_', ':', '-'");
        }
    }

    private Message enqueue(Database.Tx tx, ContactId contact, String text) throws SQLException, StoreException {
        {
            Contact c = Rows.requireContact(tx, contact);
            if (c.state() != ContactState.ACCEPTED && c.state() != ContactState.OUTGOING_REQUEST) {
                throw new ContactStateException(c.state(), "send to");
            }
            PreparedStatement next = tx.prepare(
                    "SELECT next_out_seq FROM conversations WHERE contact_id = ? FOR UPDATE");
            next.setLong(1, contact.value());
            long seq;
            try (ResultSet rs = next.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
            PreparedStatement bump = tx.prepare("UPDATE conversations SET next_out_seq = ? WHERE contact_id = ?");
            bump.setLong(1, seq + 1);
            bump.setLong(2, contact.value());
            bump.executeUpdate();
            MessageId id = MessageId.random(random);
            Instant now = Instant.ofEpochMilli(clock.millis());
            long pos = insert(tx, contact, true, id, seq, now, null, MessageStatus.QUEUED, text);
            tx.log(new CommitLog.MessageEntry(true, contact.value(), id, seq, now.toEpochMilli(), 0, text));
            Message m = new Message(contact, pos, Direction.OUTGOING, id, seq, now, null, MessageStatus.QUEUED, text,
                    true);
            tx.attach(new StoreEvent.MessageQueued(m));
            return m;
        }
    }

    @Override
    public List<Message> pendingFor(ContactId contact) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        return db.transaction("listing pending messages", tx -> {
            PreparedStatement ps = tx.prepare("SELECT " + Rows.MESSAGE_COLUMNS + " FROM messages"
                    + " WHERE contact_id = ? AND outgoing = TRUE AND status IN ('QUEUED', 'SENT') ORDER BY seq");
            ps.setLong(1, contact.value());
            return list(ps, 0);
        });
    }

    @Override
    public int markSent(ContactId contact, Collection<MessageId> ids) throws StoreException {
        return mark(contact, ids, MessageStatus.SENT);
    }

    @Override
    public int markDelivered(ContactId contact, Collection<MessageId> ids) throws StoreException {
        return mark(contact, ids, MessageStatus.DELIVERED);
    }

    @Override
    public int markFailed(ContactId contact, Collection<MessageId> ids) throws StoreException {
        return mark(contact, ids, MessageStatus.FAILED);
    }

    @Override
    public boolean retry(ContactId contact, MessageId id) throws StoreException {
        Objects.requireNonNull(id, "id");
        return mark(contact, List.of(id), MessageStatus.QUEUED) == 1;
    }

    private int mark(ContactId contact, Collection<MessageId> ids, MessageStatus target) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        List<MessageId> unique = List.copyOf(new LinkedHashSet<>(ids));
        if (unique.isEmpty()) {
            return 0;
        }
        // SENT and DELIVERED are repaired by the protocol after a crash (resend, duplicate
        // recognised, acknowledged again), so they need not wait for a disk sync; a user's
        // FAILED or retry does.
        Database.Durability durability = target == MessageStatus.SENT || target == MessageStatus.DELIVERED
                ? Database.Durability.RELAXED : Database.Durability.SYNCED;
        return db.transaction("updating message status", durability, tx -> {
            PreparedStatement get = tx.prepare(
                    "SELECT status FROM messages WHERE contact_id = ? AND outgoing = TRUE AND msg_id = ?");
            PreparedStatement set = tx.prepare(
                    "UPDATE messages SET status = ? WHERE contact_id = ? AND outgoing = TRUE AND msg_id = ?");
            List<MessageId> changed = new ArrayList<>();
            for (MessageId id : unique) {
                get.setLong(1, contact.value());
                get.setBytes(2, id.toBytes());
                MessageStatus current;
                try (ResultSet rs = get.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    current = MessageStatus.valueOf(rs.getString(1));
                }
                if (!current.canBecome(target)) {
                    continue;
                }
                set.setString(1, target.name());
                set.setLong(2, contact.value());
                set.setBytes(3, id.toBytes());
                set.executeUpdate();
                changed.add(id);
            }
            if (!changed.isEmpty()) {
                tx.attach(new StoreEvent.MessageStatusChanged(contact, changed, target));
            }
            return changed.size();
        });
    }

    @Override
    public boolean acceptIncoming(ContactId contact, MessageId id, long seq, Instant composed, String body)
            throws StoreException {
        return acceptIncoming(contact, List.of(new IncomingMessage(id, seq, composed, body))).get(0);
    }

    @Override
    public List<Boolean> acceptIncoming(ContactId contact, List<IncomingMessage> messages) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        List<IncomingMessage> batch = List.copyOf(messages);
        for (IncomingMessage m : batch) {
            checkBody(m.body());
        }
        if (batch.isEmpty()) {
            return List.of();
        }
        return db.transaction("storing incoming messages", Database.Durability.LOGGED, tx -> {
            Contact c = Rows.requireContact(tx, contact);
            if (c.state() != ContactState.ACCEPTED) {
                throw new ContactStateException(c.state(), "receive from");
            }
            Instant now = Instant.ofEpochMilli(clock.millis());
            List<Boolean> fresh = new ArrayList<>(batch.size());
            for (IncomingMessage m : batch) {
                if (stored(tx, contact, false, m.id())) {
                    fresh.add(false);
                    continue;
                }
                Instant comp = Instant.ofEpochMilli(m.composed().toEpochMilli());
                long pos = insert(tx, contact, false, m.id(), m.seq(), comp, now, MessageStatus.DELIVERED, m.body());
                tx.log(new CommitLog.MessageEntry(false, contact.value(), m.id(), m.seq(), comp.toEpochMilli(),
                        now.toEpochMilli(), m.body()));
                tx.attach(new StoreEvent.MessageReceived(new Message(contact, pos, Direction.INCOMING, m.id(), m.seq(),
                        comp, now, MessageStatus.DELIVERED, m.body(), false)));
                fresh.add(true);
            }
            return fresh;
        });
    }

    @Override
    public int markRead(ContactId contact) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        return db.transaction("marking messages read", tx -> {
            int n = unread(tx, contact);
            if (n > 0) {
                PreparedStatement newest = tx.prepare("SELECT pos FROM messages WHERE contact_id = ?"
                        + " AND expunged = FALSE ORDER BY pos DESC LIMIT 1");
                newest.setLong(1, contact.value());
                long pos;
                try (ResultSet rs = newest.executeQuery()) {
                    rs.next();
                    pos = rs.getLong(1);
                }
                PreparedStatement ps = tx.prepare("UPDATE conversations SET read_up_to = ? WHERE contact_id = ?");
                ps.setLong(1, pos);
                ps.setLong(2, contact.value());
                ps.executeUpdate();
                tx.attach(new StoreEvent.MessagesRead(contact, n));
            }
            return n;
        });
    }

    @Override
    public int unreadCount(ContactId contact) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        return db.transaction("counting unread messages", tx -> unread(tx, contact));
    }

    private static int unread(Database.Tx tx, ContactId contact) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT COUNT(*) FROM messages WHERE contact_id = ? AND expunged = FALSE"
                + " AND pos > ? AND outgoing = FALSE");
        ps.setLong(1, contact.value());
        ps.setLong(2, readUpTo(tx, contact));
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long readUpTo(Database.Tx tx, ContactId contact) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT read_up_to FROM conversations WHERE contact_id = ?");
        ps.setLong(1, contact.value());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
        }
    }

    @Override
    public Optional<Message> findOutgoing(MessageId id) throws StoreException {
        Objects.requireNonNull(id, "id");
        return db.transaction("finding a message", tx -> {
            // One lookup per conversation through the (contact, direction, id) index: contacts
            // are few, and a separate index on the id alone would cost every commit.
            PreparedStatement contacts = tx.prepare("SELECT contact_id FROM conversations ORDER BY contact_id");
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = contacts.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            PreparedStatement ps = tx.prepare("SELECT " + Rows.MESSAGE_COLUMNS + " FROM messages"
                    + " WHERE contact_id = ? AND outgoing = TRUE AND msg_id = ? AND expunged = FALSE");
            for (long c : ids) {
                ps.setLong(1, c);
                ps.setBytes(2, id.toBytes());
                List<Message> l = list(ps, 0);
                if (!l.isEmpty()) {
                    return Optional.of(l.get(0));
                }
            }
            return Optional.<Message>empty();
        });
    }

    @Override
    public Optional<Message> get(ContactId contact, Direction direction, MessageId id) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(id, "id");
        return db.transaction("reading a message", tx -> {
            PreparedStatement ps = tx.prepare("SELECT " + Rows.MESSAGE_COLUMNS + " FROM messages"
                    + " WHERE contact_id = ? AND outgoing = ? AND msg_id = ? AND expunged = FALSE");
            ps.setLong(1, contact.value());
            ps.setBoolean(2, direction == Direction.OUTGOING);
            ps.setBytes(3, id.toBytes());
            List<Message> l = list(ps, readUpTo(tx, contact));
            return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
        });
    }

    @Override
    public List<Message> page(ContactId contact, long before, int limit) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        checkPageSize(limit);
        return db.transaction("paging messages", tx -> page(tx, contact, before, limit));
    }

    @Override
    public List<Message> page(ContactId contact, MessageId before, int limit) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(before, "before");
        checkPageSize(limit);
        return db.transaction("paging messages", tx -> {
            PreparedStatement pos = tx.prepare("SELECT MAX(pos) FROM messages WHERE contact_id = ? AND msg_id = ?");
            pos.setLong(1, contact.value());
            pos.setBytes(2, before.toBytes());
            long cursor;
            try (ResultSet rs = pos.executeQuery()) {
                rs.next();
                cursor = rs.getLong(1);
                if (rs.wasNull()) {
                    cursor = Long.MAX_VALUE;
                }
            }
            return page(tx, contact, cursor, limit);
        });
    }

    private static void checkPageSize(int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("page size must be 1.." + MAX_PAGE);
        }
    }

    private static List<Message> page(Database.Tx tx, ContactId contact, long before, int limit)
            throws SQLException {
        {
            PreparedStatement ps = tx.prepare("SELECT " + Rows.MESSAGE_COLUMNS + " FROM messages"
                    + " WHERE contact_id = ? AND expunged = FALSE AND pos < ? ORDER BY pos DESC LIMIT ?");
            ps.setLong(1, contact.value());
            ps.setLong(2, before);
            ps.setInt(3, limit);
            List<Message> newestFirst = list(ps, readUpTo(tx, contact));
            List<Message> out = new ArrayList<>(newestFirst.size());
            for (int i = newestFirst.size() - 1; i >= 0; i--) {
                out.add(newestFirst.get(i));
            }
            return out;
        }
    }

    @Override
    public HistoryPolicy policy(ContactId contact) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        return db.transaction("reading a history policy", tx -> {
            Rows.requireContact(tx, contact);
            return policy(tx, contact);
        });
    }

    @Override
    public void setPolicy(ContactId contact, HistoryPolicy policy) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(policy, "policy");
        db.transaction("setting a history policy", tx -> {
            Rows.requireContact(tx, contact);
            PreparedStatement ps = tx.prepare("UPDATE conversations SET policy = ? WHERE contact_id = ?");
            ps.setString(1, policy.encode());
            ps.setLong(2, contact.value());
            ps.executeUpdate();
            tx.attach(new StoreEvent.HistoryPolicyChanged(contact, policy));
            if (policy instanceof HistoryPolicy.DisappearAfter d) {
                expunge(tx, contact, clock.millis() - d.duration().toMillis());
            }
            return null;
        });
    }

    @Override
    public HistoryPolicy defaultPolicy() throws StoreException {
        return db.transaction("reading the default history policy", MessageStoreImpl::defaultPolicy);
    }

    @Override
    public void setDefaultPolicy(HistoryPolicy policy) throws StoreException {
        Objects.requireNonNull(policy, "policy");
        db.transaction("setting the default history policy", tx -> {
            SettingsStoreImpl.put(tx, DEFAULT_POLICY_KEY, policy.encode());
            return null;
        });
    }

    @Override
    public int expireDue() throws StoreException {
        return db.transaction("expiring messages", tx -> {
            long now = clock.millis();
            int total = 0;
            for (var e : policies(tx)) {
                if (e.policy() instanceof HistoryPolicy.DisappearAfter d) {
                    total += expunge(tx, e.contact(), now - d.duration().toMillis());
                }
            }
            return total;
        });
    }

    @Override
    public int endSession() throws StoreException {
        return db.transaction("ending the session", tx -> sweepSession(tx, clock.millis()));
    }

    @Override
    public int clearHistory(ContactId contact) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        return db.transaction("clearing history", tx -> {
            Rows.requireContact(tx, contact);
            return expunge(tx, contact, Long.MAX_VALUE);
        });
    }

    @Override
    public boolean delete(ContactId contact, Direction direction, MessageId id) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(id, "id");
        boolean outgoing = direction == Direction.OUTGOING;
        return db.transaction("deleting a message", tx -> {
            Rows.requireContact(tx, contact);
            PreparedStatement find = tx.prepare("SELECT status FROM messages WHERE contact_id = ? AND outgoing = ?"
                    + " AND msg_id = ? AND expunged = FALSE");
            find.setLong(1, contact.value());
            find.setBoolean(2, outgoing);
            find.setBytes(3, id.toBytes());
            MessageStatus status;
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                status = MessageStatus.valueOf(rs.getString(1));
            }
            PreparedStatement file = tx.prepare("SELECT 1 FROM file_transfers WHERE contact_id = ? AND outgoing = ?"
                    + " AND file_id = ?");
            file.setLong(1, contact.value());
            file.setBoolean(2, outgoing);
            file.setBytes(3, id.toBytes());
            try (ResultSet rs = file.executeQuery()) {
                if (rs.next()) {
                    throw new IllegalStateException("a file offer is not a message to delete");
                }
            }
            PreparedStatement ps;
            if (outgoing) {
                if (status == MessageStatus.QUEUED || status == MessageStatus.SENT) {
                    throw new IllegalStateException("the message is still being sent");
                }
                ps = tx.prepare("DELETE FROM messages WHERE contact_id = ? AND outgoing = TRUE AND msg_id = ?");
            } else {
                ps = tx.prepare("UPDATE messages SET body = NULL, composed_at = NULL, received_at = NULL,"
                        + " expunged = TRUE WHERE contact_id = ? AND outgoing = FALSE AND msg_id = ?");
            }
            ps.setLong(1, contact.value());
            ps.setBytes(2, id.toBytes());
            int n = ps.executeUpdate();
            if (n > 0) {
                tx.attach(new StoreEvent.MessagesExpunged(contact, n));
            }
            return n > 0;
        });
    }

    /**
     * The session boundary (open and close): expunges everything no longer needed in
     * DONT_KEEP conversations, then what DISAPPEAR_AFTER policies say is due.
     */
    static int sweepSession(Database.Tx tx, long now) throws SQLException {
        PreparedStatement old = tx.prepare("DELETE FROM client_ids WHERE created_at < ?");
        old.setLong(1, now - CLIENT_ID_KEPT.toMillis());
        old.executeUpdate();
        int total = 0;
        for (var e : policies(tx)) {
            if (e.policy() instanceof HistoryPolicy.DontKeep) {
                total += expunge(tx, e.contact(), Long.MAX_VALUE);
            } else if (e.policy() instanceof HistoryPolicy.DisappearAfter d) {
                total += expunge(tx, e.contact(), now - d.duration().toMillis());
            }
        }
        return total;
    }

    // --- in-transaction helpers -------------------------------------------------------

    private record ConversationPolicy(ContactId contact, HistoryPolicy policy) { }

    private static List<ConversationPolicy> policies(Database.Tx tx) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT contact_id, policy FROM conversations WHERE policy <> 'KEEP'");
        List<ConversationPolicy> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ConversationPolicy(new ContactId(rs.getLong(1)), HistoryPolicy.decode(rs.getString(2))));
            }
        }
        return out;
    }

    /**
     * Expunges the conversation's messages that entered the store at or before
     * {@code cutoffMillis}: delivered or failed outgoing messages are deleted; incoming ones
     * become content-free tombstones (id and seq only) so a resend is still recognised.
     */
    static int expunge(Database.Tx tx, ContactId contact, long cutoffMillis) throws SQLException {
        PreparedStatement out = tx.prepare("DELETE FROM messages WHERE contact_id = ? AND outgoing = TRUE"
                + " AND status IN ('DELIVERED', 'FAILED') AND composed_at <= ?");
        out.setLong(1, contact.value());
        out.setLong(2, cutoffMillis);
        int n = out.executeUpdate();
        PreparedStatement in = tx.prepare("UPDATE messages SET body = NULL, composed_at = NULL, received_at = NULL,"
                + " expunged = TRUE WHERE contact_id = ? AND outgoing = FALSE AND expunged = FALSE AND received_at <= ?");
        in.setLong(1, contact.value());
        in.setLong(2, cutoffMillis);
        n += in.executeUpdate();
        if (n > 0) {
            tx.attach(new StoreEvent.MessagesExpunged(contact, n));
        }
        return n;
    }

    private static final SecureRandom REQUEST_IDS = new SecureRandom();

    /**
     * When a request is accepted, its text becomes an item of the conversation (issue 13: the
     * request's message is the first thing of the conversation): an incoming request as a read
     * incoming message, ours as a delivered outgoing one. Sequence number 0, which no sent
     * message has (ours count from 1), so nothing is ever sent for it or expected of it; a fresh
     * random id. Nothing for an empty text.
     */
    static void storeRequestText(Database.Tx tx, ContactId contact, boolean outgoing, String text, Instant sent,
            long now) throws SQLException {
        if (text == null || text.isEmpty()) {
            return;
        }
        long pos = insert(tx, contact, outgoing, MessageId.random(REQUEST_IDS), 0, sent,
                outgoing ? null : Instant.ofEpochMilli(now), MessageStatus.DELIVERED, text);
        if (!outgoing) {
            PreparedStatement read = tx.prepare("UPDATE conversations SET read_up_to = ? WHERE contact_id = ?"
                    + " AND read_up_to < ?");
            read.setLong(1, pos);
            read.setLong(2, contact.value());
            read.setLong(3, pos);
            read.executeUpdate();
        }
    }

    static void createConversation(Database.Tx tx, ContactId contact) throws SQLException {
        PreparedStatement ps = tx.prepare(
                "INSERT INTO conversations (contact_id, policy, next_out_seq, read_up_to) VALUES (?, ?, 1, 0)");
        ps.setLong(1, contact.value());
        ps.setString(2, defaultPolicy(tx).encode());
        ps.executeUpdate();
    }

    /** Marks the contact's unacknowledged outgoing messages FAILED; returns their ids. */
    static List<MessageId> failPending(Database.Tx tx, ContactId contact) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT msg_id FROM FINAL TABLE (UPDATE messages SET status = 'FAILED'"
                + " WHERE contact_id = ? AND outgoing = TRUE AND status IN ('QUEUED', 'SENT'))");
        ps.setLong(1, contact.value());
        List<MessageId> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(MessageId.fromBytes(rs.getBytes(1)));
            }
        }
        return ids;
    }

    private static HistoryPolicy policy(Database.Tx tx, ContactId contact) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT policy FROM conversations WHERE contact_id = ?");
        ps.setLong(1, contact.value());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? HistoryPolicy.decode(rs.getString(1)) : defaultPolicy(tx);
        }
    }

    private static HistoryPolicy defaultPolicy(Database.Tx tx) throws SQLException {
        return SettingsStoreImpl.get(tx, DEFAULT_POLICY_KEY).map(HistoryPolicy::decode).orElse(HistoryPolicy.KEEP);
    }

    /**
     * Re-creates a logged message row if the store file lacks it (the process ended before H2
     * wrote it); an outgoing one also moves the conversation's next sequence number past it.
     * Idempotent. A contact removed since has no conversation left to restore into.
     */
    static boolean redo(Database.Tx tx, CommitLog.MessageEntry e) throws SQLException {
        ContactId contact = new ContactId(e.contactId());
        PreparedStatement exists = tx.prepare("SELECT 1 FROM contacts WHERE id = ?");
        exists.setLong(1, e.contactId());
        try (ResultSet rs = exists.executeQuery()) {
            if (!rs.next()) {
                return false;
            }
        }
        if (stored(tx, contact, e.outgoing(), e.id())) {
            return false;
        }
        if (e.outgoing()) {
            insert(tx, contact, true, e.id(), e.seq(), Instant.ofEpochMilli(e.composedAt()), null,
                    MessageStatus.QUEUED, e.body());
            PreparedStatement bump = tx.prepare(
                    "UPDATE conversations SET next_out_seq = ? WHERE contact_id = ? AND next_out_seq <= ?");
            bump.setLong(1, e.seq() + 1);
            bump.setLong(2, e.contactId());
            bump.setLong(3, e.seq());
            bump.executeUpdate();
        } else {
            insert(tx, contact, false, e.id(), e.seq(), Instant.ofEpochMilli(e.composedAt()),
                    Instant.ofEpochMilli(e.receivedAt()), MessageStatus.DELIVERED, e.body());
        }
        return true;
    }

    /** Whether the message (contact, direction, id) has a row, content or tombstone. */
    static boolean stored(Database.Tx tx, ContactId contact, boolean outgoing, MessageId id)
            throws SQLException {
        PreparedStatement ps = tx.prepare(
                "SELECT 1 FROM messages WHERE contact_id = ? AND outgoing = ? AND msg_id = ?");
        ps.setLong(1, contact.value());
        ps.setBoolean(2, outgoing);
        ps.setBytes(3, id.toBytes());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    static long insert(Database.Tx tx, ContactId contact, boolean outgoing, MessageId id, long seq,
            Instant composed, Instant received, MessageStatus status, String body) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT pos FROM FINAL TABLE (INSERT INTO messages (contact_id, outgoing,"
                + " msg_id, seq, composed_at, received_at, status, body, expunged)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE))");
        ps.setLong(1, contact.value());
        ps.setBoolean(2, outgoing);
        ps.setBytes(3, id.toBytes());
        ps.setLong(4, seq);
        ps.setLong(5, composed.toEpochMilli());
        Rows.setNullableLong(ps, 6, received == null ? null : received.toEpochMilli());
        ps.setString(7, status.name());
        ps.setString(8, body);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<Message> list(PreparedStatement ps, long readUpTo) throws SQLException {
        List<Message> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(Rows.message(rs, readUpTo));
            }
        }
        return out;
    }

    private static void checkBody(String body) {
        Objects.requireNonNull(body, "body");
        if (body.isEmpty() || body.length() > MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("a message body is 1.." + MAX_BODY_LENGTH + " characters");
        }
    }
}
