package org.allium.contacts;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.allium.contacts.api.DropStore;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.StoreException;

/**
 * {@link DropStore} over the profile's {@link Database}. A source is found by
 * HMAC-SHA256(store sub-key, source public key): the store alone does not give the keys
 * of the sources. Thread-safe through the database.
 */
final class DropStoreImpl implements DropStore {
    private static final String CASE_COLUMNS = "c.id, c.pseudonym, c.state, c.created_at, c.updated_at, c.assignee, "
            + "(SELECT COUNT(*) FROM drop_items i WHERE i.case_id = c.id AND i.kind = 'SUBMISSION'), "
            + "(SELECT COUNT(*) FROM drop_items i WHERE i.case_id = c.id AND i.kind = 'REPLY'), c.unread, c.case_ref, c.line, "
            + "c.assignee_key, c.assignee_name";
    private static final String ITEM_COLUMNS = "pos, case_id, item_id, kind, composed_at, stored_at, author, body, "
            + "author_key, author_name";

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** Where attachments' encrypted data lives, apart from file transfers' (whose sweep knows only theirs). */
    static final String DIR = "dropfiles";
    private static final String ATTACHMENT_COLUMNS = "case_id, item_id, file_id, name, size, chunk_size, file_sha, "
            + "chunks_sha, received, complete, created_at";

    private final Database db;
    private final Clock clock;
    private final byte[] hashKey;
    private final byte[] filesKey;
    private final java.nio.file.Path dir;
    private final java.security.SecureRandom random;
    private volatile Fanout fanout = change -> List.of();

    DropStoreImpl(Database db, Clock clock, byte[] hashKey, java.nio.file.Path profileDir,
                  java.security.SecureRandom random) {
        this.db = db;
        this.clock = clock;
        this.hashKey = hashKey.clone();
        this.filesKey = hmac(hashKey, "allium/v1/store/drop-files".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        this.dir = profileDir.resolve(DIR);
        this.random = random;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] hash(byte[] sourceKey) {
        if (sourceKey == null || sourceKey.length != 32) {
            throw new IllegalArgumentException("a source key has 32 bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hashKey, "HmacSHA256"));
            return mac.doFinal(sourceKey);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Submitted submit(byte[] sourceKey, String pseudonym, MessageId id, Instant composed, String text,
                            List<NewAttachment> files, Quotas q) throws StoreException {
        Objects.requireNonNull(id, "id");
        if (files.size() > MAX_FILES_PER_SUBMISSION) {
            throw new IllegalArgumentException("at most " + MAX_FILES_PER_SUBMISSION + " attachments");
        }
        long announced = 0;
        for (NewAttachment f : files) {
            if (f.spec().size() > q.maxFileBytes()) {
                return new Submitted(Outcome.TOO_LARGE, null);
            }
            announced += f.spec().size();
        }
        long fileBytes = announced;
        Objects.requireNonNull(composed, "composed");
        Objects.requireNonNull(pseudonym, "pseudonym");
        checkText(text, MAX_SUBMISSION_LENGTH);
        byte[] h = hash(sourceKey);
        return db.transaction("storing a submission", tx -> {
            long now = clock.millis();
            Long caseId = caseIdOf(tx, h);
            if (caseId != null) {
                PreparedStatement dup = tx.prepare("SELECT 1 FROM drop_items WHERE case_id = ? AND item_id = ?");
                dup.setLong(1, caseId);
                dup.setBytes(2, id.toBytes());
                try (ResultSet rs = dup.executeQuery()) {
                    if (rs.next()) {
                        return new Submitted(Outcome.DUPLICATE, caseId);
                    }
                }
                PreparedStatement use = tx.prepare("SELECT COUNT(*), COALESCE(SUM(LENGTH(body)), 0) FROM drop_items "
                        + "WHERE case_id = ? AND kind = 'SUBMISSION'");
                use.setLong(1, caseId);
                try (ResultSet rs = use.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) >= q.maxItemsPerCase() || rs.getLong(2) + text.length() > q.maxCharsPerCase()) {
                        return new Submitted(Outcome.SOURCE_QUOTA, null);
                    }
                }
                if (fileBytes > 0 && fileBytes(tx, caseId) + fileBytes > q.maxFileBytesPerCase()) {
                    return new Submitted(Outcome.SOURCE_QUOTA, null);
                }
            } else if (fileBytes > q.maxFileBytesPerCase()) {
                return new Submitted(Outcome.SOURCE_QUOTA, null);
            }
            if (fileBytes > 0 && fileBytes(tx, null) + fileBytes > q.maxFileBytesTotal()) {
                return new Submitted(Outcome.LINE_FULL, null);
            }
            PreparedStatement total = tx.prepare("SELECT (SELECT COUNT(*) FROM drop_cases), "
                    + "(SELECT COALESCE(SUM(LENGTH(body)), 0) FROM drop_items)");
            try (ResultSet rs = total.executeQuery()) {
                rs.next();
                if ((caseId == null && rs.getInt(1) >= q.maxCases()) || rs.getLong(2) + text.length() > q.maxCharsTotal()) {
                    return new Submitted(Outcome.LINE_FULL, null);
                }
            }
            if (caseId == null) {
                PreparedStatement ins = tx.prepare("SELECT id FROM FINAL TABLE (INSERT INTO drop_cases "
                        + "(source_hash, pseudonym, state, created_at, updated_at, unread, case_ref) VALUES (?, ?, 'NEW', ?, ?, TRUE, ?))");
                ins.setBytes(1, h);
                ins.setString(2, pseudonym);
                ins.setLong(3, now);
                ins.setLong(4, now);
                ins.setBytes(5, MessageId.random(RANDOM).toBytes());
                try (ResultSet rs = ins.executeQuery()) {
                    rs.next();
                    caseId = rs.getLong(1);
                }
            } else {
                PreparedStatement up = tx.prepare("UPDATE drop_cases SET state = 'NEW', unread = TRUE, updated_at = ? WHERE id = ?");
                up.setLong(1, now);
                up.setLong(2, caseId);
                up.executeUpdate();
            }
            insertItem(tx, caseId, Kind.SUBMISSION, id, composed.toEpochMilli(), now, null, null, text);
            int ordinal = 0;
            for (NewAttachment f : files) {
                insertAttachment(tx, caseId, id, f.fileId(), ordinal++, f.spec(), now);
            }
            fan(tx, caseId, itemOf(tx, caseId, id), false, null, false);
            return new Submitted(Outcome.STORED, caseId);
        });
    }

    private static Long caseIdOf(Database.Tx tx, byte[] h) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT id FROM drop_cases WHERE source_hash = ?");
        ps.setBytes(1, h);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private static void insertItem(Database.Tx tx, long caseId, Kind kind, MessageId id, long composed, long now,
                                   Long author, Person by, String text) throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO drop_items (case_id, item_id, kind, composed_at, stored_at, author, body, "
                + "author_key, author_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setBytes(8, by == null ? null : by.key().publicKey());
        ps.setString(9, by == null ? null : cut(by.name()));
        ps.setLong(1, caseId);
        ps.setBytes(2, id.toBytes());
        ps.setString(3, kind.name());
        ps.setLong(4, composed);
        ps.setLong(5, now);
        if (author == null) {
            ps.setNull(6, java.sql.Types.BIGINT);
        } else {
            ps.setLong(6, author);
        }
        ps.setString(7, text);
        ps.executeUpdate();
    }

    @Override
    public Optional<Case> caseOf(byte[] sourceKey) throws StoreException {
        byte[] h = hash(sourceKey);
        return db.transaction("reading a case", tx -> {
            Long id = caseIdOf(tx, h);
            return id == null ? Optional.<Case>empty() : readCase(tx, id);
        });
    }

    @Override
    public List<Case> cases() throws StoreException {
        return db.transaction("listing cases", tx -> {
            PreparedStatement ps = tx.prepare("SELECT " + CASE_COLUMNS + " FROM drop_cases c ORDER BY c.updated_at DESC, c.id DESC");
            List<Case> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(toCase(rs));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Case> get(long caseId) throws StoreException {
        return db.transaction("reading a case", tx -> readCase(tx, caseId));
    }

    private static Optional<Case> readCase(Database.Tx tx, long id) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT " + CASE_COLUMNS + " FROM drop_cases c WHERE c.id = ?");
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(toCase(rs)) : Optional.empty();
        }
    }

    private static Case toCase(ResultSet rs) throws SQLException {
        long assignee = rs.getLong(6);
        Long a = rs.wasNull() ? null : assignee;
        return new Case(rs.getLong(1), rs.getString(2), State.valueOf(rs.getString(3)),
                Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5)), a,
                rs.getInt(7), rs.getInt(8), rs.getBoolean(9), MessageId.fromBytes(rs.getBytes(10)),
                longOrNull(rs, 11), person(rs.getBytes(12), rs.getString(13)));
    }

    private static Long longOrNull(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static Person person(byte[] key, String name) {
        return key == null ? null : new Person(org.allium.protocol.OnionAddress.fromPublicKey(key), name);
    }

    @Override
    public List<Item> items(long caseId) throws StoreException {
        return db.transaction("reading a case", tx -> {
            PreparedStatement ps = tx.prepare("SELECT " + ITEM_COLUMNS + " FROM drop_items WHERE case_id = ? ORDER BY pos");
            ps.setLong(1, caseId);
            return readItems(ps);
        });
    }

    @Override
    public List<Item> replies(long caseId, int max) throws StoreException {
        return db.transaction("reading replies", tx -> {
            PreparedStatement ps = tx.prepare("SELECT " + ITEM_COLUMNS + " FROM drop_items WHERE case_id = ? AND kind = 'REPLY' ORDER BY pos DESC LIMIT ?");
            ps.setLong(1, caseId);
            ps.setInt(2, max);
            List<Item> out = readItems(ps);
            Collections.reverse(out);
            return out;
        });
    }

    private static List<Item> readItems(PreparedStatement ps) throws SQLException {
        List<Item> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long author = rs.getLong(7);
                Long a = rs.wasNull() ? null : author;
                out.add(new Item(rs.getLong(1), rs.getLong(2), MessageId.fromBytes(rs.getBytes(3)),
                        Kind.valueOf(rs.getString(4)), Instant.ofEpochMilli(rs.getLong(5)),
                        Instant.ofEpochMilli(rs.getLong(6)), a, rs.getString(8), person(rs.getBytes(9), rs.getString(10))));
            }
        }
        return out;
    }

    @Override
    public Item add(long caseId, Kind kind, MessageId id, Instant composed, Long author, String text)
            throws StoreException {
        return add(caseId, kind, id, composed, author, null, text);
    }

    @Override
    public Item add(long caseId, Kind kind, MessageId id, Instant composed, Long author, Person by, String text)
            throws StoreException {
        if (kind == Kind.SUBMISSION) {
            throw new IllegalArgumentException("submissions come from sources: use submit");
        }
        checkText(text, MAX_REPLY_LENGTH);
        return db.transaction("storing a reply", tx -> {
            if (readCase(tx, caseId).isEmpty()) {
                throw new StoreException("no such case");
            }
            Item known = itemOf(tx, caseId, id);
            if (known != null) {
                return known;
            }
            insertItem(tx, caseId, kind, id, composed.toEpochMilli(), clock.millis(), author, by, text);
            touch(tx, caseId, kind);
            Item item = itemOf(tx, caseId, id);
            fan(tx, caseId, item, false, null, false);
            return item;
        });
    }

    /*
     * An operator's copy of a drop line's case (line IS NOT NULL) keeps, as updated_at, the time
     * of the newest head the drop line sent: mirror() replaces the copy only with a head not older
     * than that. A local change to a copy must not move it to this machine's clock, or a head
     * the drop line sent for a later change (older by that clock, or by a skewed one) is ignored
     * and the copy stays behind for good — it did so when an operator read a new copy while the
     * drop line closed it (DropTeamIT). The drop line's heads carry the time of each change.
     */
    private void touch(Database.Tx tx, long caseId, Kind kind) throws SQLException {
        PreparedStatement up = tx.prepare(kind == Kind.REPLY
                ? "UPDATE drop_cases SET state = CASE WHEN state = 'CLOSED' THEN state ELSE 'REPLIED' END, "
                + "updated_at = CASE WHEN line IS NULL THEN ? ELSE updated_at END WHERE id = ?"
                : "UPDATE drop_cases SET updated_at = CASE WHEN line IS NULL THEN ? ELSE updated_at END WHERE id = ?");
        up.setLong(1, clock.millis());
        up.setLong(2, caseId);
        up.executeUpdate();
    }

    private static Item itemOf(Database.Tx tx, long caseId, MessageId id) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT " + ITEM_COLUMNS + " FROM drop_items WHERE case_id = ? AND item_id = ?");
        ps.setLong(1, caseId);
        ps.setBytes(2, id.toBytes());
        List<Item> l = readItems(ps);
        return l.isEmpty() ? null : l.get(0);
    }

    @Override
    public void setState(long caseId, State state) throws StoreException {
        Objects.requireNonNull(state, "state");
        db.transaction("updating a case", tx -> {
            PreparedStatement ps = tx.prepare("UPDATE drop_cases SET state = ?, updated_at = CASE WHEN line IS NULL THEN ? ELSE updated_at END WHERE id = ?");
            ps.setString(1, state.name());
            ps.setLong(2, clock.millis());
            ps.setLong(3, caseId);
            if (ps.executeUpdate() == 0) {
                throw new StoreException("no such case");
            }
            fan(tx, caseId, null, false, state, false);
            return null;
        });
    }

    @Override
    public void markRead(long caseId) throws StoreException {
        db.transaction("marking a case read", tx -> {
            Case before = readCase(tx, caseId).orElseThrow(() -> new StoreException("no such case"));
            PreparedStatement ps = tx.prepare("UPDATE drop_cases SET unread = FALSE, "
                    + "state = CASE WHEN state = 'NEW' THEN 'READ' ELSE state END WHERE id = ?");
            ps.setLong(1, caseId);
            ps.executeUpdate();
            if (before.state() == State.NEW) {
                PreparedStatement up = tx.prepare("UPDATE drop_cases SET updated_at = CASE WHEN line IS NULL THEN ? ELSE updated_at END WHERE id = ?");
                up.setLong(1, clock.millis());
                up.setLong(2, caseId);
                up.executeUpdate();
                fan(tx, caseId, null, false, State.READ, false);
            }
            return null;
        });
    }

    @Override
    public void assign(long caseId, Long operator) throws StoreException {
        assign(caseId, operator, null);
    }

    @Override
    public void assign(long caseId, Long operator, Person person) throws StoreException {
        db.transaction("assigning a case", tx -> {
            PreparedStatement ps = tx.prepare("UPDATE drop_cases SET assignee = ?, assignee_key = ?, assignee_name = ?, "
                    + "updated_at = CASE WHEN line IS NULL THEN ? ELSE updated_at END WHERE id = ?");
            if (operator == null) {
                ps.setNull(1, java.sql.Types.BIGINT);
            } else {
                ps.setLong(1, operator);
            }
            ps.setBytes(2, person == null ? null : person.key().publicKey());
            ps.setString(3, person == null ? null : cut(person.name()));
            ps.setLong(4, clock.millis());
            ps.setLong(5, caseId);
            if (ps.executeUpdate() == 0) {
                throw new StoreException("no such case");
            }
            fan(tx, caseId, null, false, null, true);
            return null;
        });
    }

    @Override
    public boolean delete(long caseId) throws StoreException {
        boolean was = deleteRows(caseId);
        sweepQuietly();
        return was;
    }

    /** Removes data files of deleted attachments now (a failure leaves them to the next sweep). */
    private void sweepQuietly() {
        try {
            sweepAttachments();
        } catch (StoreException | java.io.IOException e) {
            // the next sweep (at start, or after the next deletion) removes them
        }
    }

    private boolean deleteRows(long caseId) throws StoreException {
        return db.transaction("deleting a case", tx -> {
            Optional<Case> c = readCase(tx, caseId);
            if (c.isEmpty()) {
                return false;
            }
            List<Outgoing> out = fanout.of(new Change(c.get().ref(), c.get(), null, true, null, false, operators(tx)));
            PreparedStatement ps = tx.prepare("DELETE FROM drop_cases WHERE id = ?");
            ps.setLong(1, caseId);
            ps.executeUpdate();
            queue(tx, out);
            return true;
        });
    }

    @Override
    public int deleteClosedBefore(Instant before) throws StoreException {
        int n = db.transaction("deleting closed cases", tx -> {
            PreparedStatement ps = tx.prepare("DELETE FROM drop_cases WHERE state = 'CLOSED' AND updated_at < ?");
            ps.setLong(1, before.toEpochMilli());
            return ps.executeUpdate();
        });
        if (n > 0) {
            sweepQuietly();
        }
        return n;
    }

    // ---- team mode ----

    @Override
    public void setFanout(Fanout fanout) {
        this.fanout = Objects.requireNonNull(fanout, "fanout");
    }

    /** Queues what the fanout makes of a change of {@code caseId}, in the same transaction. */
    private void fan(Database.Tx tx, long caseId, Item item, boolean deleted, State stateSet, boolean assigned)
            throws SQLException, StoreException {
        Case after = readCase(tx, caseId).orElseThrow(() -> new StoreException("no such case"));
        queue(tx, fanout.of(new Change(after.ref(), after, item, deleted, stateSet, assigned, operators(tx))));
    }

    private static void queue(Database.Tx tx, List<Outgoing> out) throws SQLException {
        for (Outgoing o : out) {
            PreparedStatement ps = tx.prepare("INSERT INTO drop_outbox (contact_id, op_id, body) VALUES (?, ?, ?)");
            ps.setLong(1, o.contact());
            ps.setBytes(2, o.id().toBytes());
            ps.setBytes(3, o.body());
            ps.executeUpdate();
        }
    }

    private static List<Long> operators(Database.Tx tx) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (ResultSet rs = tx.prepare("SELECT contact_id FROM drop_operators ORDER BY contact_id").executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    @Override
    public Optional<Case> byRef(MessageId ref, Long line) throws StoreException {
        return db.transaction("reading a case", tx -> {
            PreparedStatement ps = tx.prepare("SELECT id FROM drop_cases WHERE case_ref = ? AND "
                    + (line == null ? "line IS NULL" : "line = ?"));
            ps.setBytes(1, ref.toBytes());
            if (line != null) {
                ps.setLong(2, line);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? readCase(tx, rs.getLong(1)) : Optional.<Case>empty();
            }
        });
    }

    @Override
    public List<Long> operators() throws StoreException {
        return db.transaction("listing operators", DropStoreImpl::operators);
    }

    @Override
    public boolean addOperator(long contact) throws StoreException {
        return db.transaction("adding an operator", tx -> {
            PreparedStatement has = tx.prepare("SELECT 1 FROM drop_operators WHERE contact_id = ?");
            has.setLong(1, contact);
            try (ResultSet rs = has.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
            PreparedStatement ins = tx.prepare("INSERT INTO drop_operators (contact_id, added_at) VALUES (?, ?)");
            ins.setLong(1, contact);
            ins.setLong(2, clock.millis());
            ins.executeUpdate();
            // Its initial copy: every case of our own drop line, head first, then its items.
            List<Long> only = List.of(contact);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = tx.prepare("SELECT id FROM drop_cases WHERE line IS NULL ORDER BY id").executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            for (long id : ids) {
                Case c = readCase(tx, id).orElseThrow();
                queue(tx, fanout.of(new Change(c.ref(), c, null, false, null, false, only)));
                PreparedStatement items = tx.prepare("SELECT " + ITEM_COLUMNS + " FROM drop_items WHERE case_id = ? ORDER BY pos");
                items.setLong(1, id);
                for (Item i : readItems(items)) {
                    queue(tx, fanout.of(new Change(c.ref(), c, i, false, null, false, only)));
                }
                PreparedStatement files = tx.prepare("SELECT " + ATTACHMENT_COLUMNS
                        + " FROM drop_attachments WHERE case_id = ? AND complete = TRUE ORDER BY created_at, ordinal");
                files.setLong(1, id);
                for (Attachment a : readAttachments(files)) {
                    queue(tx, fanout.of(new Change(c.ref(), c, null, false, null, false, only, a)));
                }
            }
            return true;
        });
    }

    @Override
    public boolean removeOperator(long contact) throws StoreException {
        return db.transaction("removing an operator", tx -> {
            PreparedStatement q = tx.prepare("DELETE FROM drop_outbox WHERE contact_id = ?");
            q.setLong(1, contact);
            q.executeUpdate();
            PreparedStatement ps = tx.prepare("DELETE FROM drop_operators WHERE contact_id = ?");
            ps.setLong(1, contact);
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public List<Outgoing> queued(long contact, int max) throws StoreException {
        return db.transaction("reading the sync queue", tx -> {
            PreparedStatement ps = tx.prepare("SELECT op_id, body FROM drop_outbox WHERE contact_id = ? ORDER BY pos LIMIT ?");
            ps.setLong(1, contact);
            ps.setInt(2, max);
            List<Outgoing> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Outgoing(contact, MessageId.fromBytes(rs.getBytes(1)), rs.getBytes(2)));
                }
            }
            return out;
        });
    }

    @Override
    public List<Long> queuedContacts() throws StoreException {
        return db.transaction("reading the sync queue", tx -> {
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = tx.prepare("SELECT DISTINCT contact_id FROM drop_outbox").executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    @Override
    public void acknowledged(long contact, List<MessageId> ids) throws StoreException {
        if (ids.isEmpty()) {
            return;
        }
        db.transaction("acknowledging sync messages", tx -> {
            PreparedStatement ps = tx.prepare("DELETE FROM drop_outbox WHERE contact_id = ? AND op_id = ?");
            for (MessageId id : ids) {
                ps.setLong(1, contact);
                ps.setBytes(2, id.toBytes());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Case> mirror(long line, MessageId ref, String pseudonym, State state, Instant created,
                                 Instant updated, Person assignedTo, Quotas q) throws StoreException {
        Objects.requireNonNull(pseudonym, "pseudonym");
        return db.transaction("storing a drop line's case", tx -> {
            PreparedStatement find = tx.prepare("SELECT id, updated_at FROM drop_cases WHERE case_ref = ? AND line = ?");
            find.setBytes(1, ref.toBytes());
            find.setLong(2, line);
            Long id = null;
            long held = Long.MIN_VALUE;
            try (ResultSet rs = find.executeQuery()) {
                if (rs.next()) {
                    id = rs.getLong(1);
                    held = rs.getLong(2);
                }
            }
            if (id == null) {
                try (ResultSet rs = tx.prepare("SELECT COUNT(*) FROM drop_cases").executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) >= q.maxCases()) {
                        return Optional.<Case>empty();
                    }
                }
                PreparedStatement ins = tx.prepare("SELECT id FROM FINAL TABLE (INSERT INTO drop_cases (source_hash, pseudonym, "
                        + "state, created_at, updated_at, unread, case_ref, line, assignee_key, assignee_name) "
                        + "VALUES (?, ?, ?, ?, ?, TRUE, ?, ?, ?, ?))");
                ins.setBytes(1, hash(mirrorKey(line, ref)));
                ins.setString(2, cut(pseudonym));
                ins.setString(3, state.name());
                ins.setLong(4, created.toEpochMilli());
                ins.setLong(5, updated.toEpochMilli());
                ins.setBytes(6, ref.toBytes());
                ins.setLong(7, line);
                ins.setBytes(8, assignedTo == null ? null : assignedTo.key().publicKey());
                ins.setString(9, assignedTo == null ? null : cut(assignedTo.name()));
                try (ResultSet rs = ins.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            } else if (updated.toEpochMilli() >= held) {
                PreparedStatement up = tx.prepare("UPDATE drop_cases SET pseudonym = ?, state = ?, updated_at = ?, "
                        + "assignee_key = ?, assignee_name = ?, unread = (unread OR state <> ?) WHERE id = ?");
                up.setString(1, cut(pseudonym));
                up.setString(2, state.name());
                up.setLong(3, updated.toEpochMilli());
                up.setBytes(4, assignedTo == null ? null : assignedTo.key().publicKey());
                up.setString(5, assignedTo == null ? null : cut(assignedTo.name()));
                up.setString(6, state.name());
                up.setLong(7, id);
                up.executeUpdate();
            }
            return readCase(tx, id);
        });
    }

    private static byte[] mirrorKey(long line, MessageId ref) {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            d.update("allium/v1/store/drop-mirror".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            d.update(java.nio.ByteBuffer.allocate(8).putLong(line).array());
            d.update(ref.toBytes());
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void mirrorItem(long caseId, Kind kind, MessageId id, Instant composed, Person by, String text)
            throws StoreException {
        checkText(text, kind == Kind.SUBMISSION ? MAX_SUBMISSION_LENGTH : MAX_REPLY_LENGTH);
        db.transaction("storing a drop line's item", tx -> {
            if (readCase(tx, caseId).isEmpty()) {
                throw new StoreException("no such case");
            }
            if (itemOf(tx, caseId, id) == null) {
                insertItem(tx, caseId, kind, id, composed.toEpochMilli(), clock.millis(), null, by, text);
                if (kind == Kind.SUBMISSION) {
                    PreparedStatement up = tx.prepare("UPDATE drop_cases SET unread = TRUE WHERE id = ?");
                    up.setLong(1, caseId);
                    up.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public boolean mirrorDelete(long caseId) throws StoreException {
        boolean was = db.transaction("deleting a drop line's case", tx -> {
            PreparedStatement ps = tx.prepare("DELETE FROM drop_cases WHERE id = ? AND line IS NOT NULL");
            ps.setLong(1, caseId);
            return ps.executeUpdate() > 0;
        });
        if (was) {
            sweepQuietly();
        }
        return was;
    }

    /** A name cut to 64 characters (the column; the wire allows 64 UTF-8 bytes). */
    private static String cut(String s) {
        return s == null || s.length() <= 64 ? s : s.substring(0, 64);
    }

    private static void checkText(String text, int max) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty() || text.length() > max) {
            throw new IllegalArgumentException("a text is 1.." + max + " characters");
        }
    }
    // ---- attachments ----

    /** Announced bytes of the attachments of one case (null: of every case). */
    private static long fileBytes(Database.Tx tx, Long caseId) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT COALESCE(SUM(size), 0) FROM drop_attachments"
                + (caseId == null ? "" : " WHERE case_id = ?"));
        if (caseId != null) {
            ps.setLong(1, caseId);
        }
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Inserts an empty attachment unless the case already has that file id. */
    private static void insertAttachment(Database.Tx tx, long caseId, MessageId item, MessageId fileId, int ordinal,
                                         org.allium.contacts.api.FileOfferSpec spec, long now) throws SQLException {
        PreparedStatement has = tx.prepare("SELECT 1 FROM drop_attachments WHERE case_id = ? AND file_id = ?");
        has.setLong(1, caseId);
        has.setBytes(2, fileId.toBytes());
        try (ResultSet rs = has.executeQuery()) {
            if (rs.next()) {
                return;
            }
        }
        PreparedStatement ps = tx.prepare("INSERT INTO drop_attachments (case_id, file_id, item_id, ordinal, name, size, "
                + "chunk_size, file_sha, chunks_sha, received, complete, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, FALSE, ?)");
        ps.setLong(1, caseId);
        ps.setBytes(2, fileId.toBytes());
        ps.setBytes(3, item.toBytes());
        ps.setInt(4, ordinal);
        ps.setString(5, spec.name());
        ps.setLong(6, spec.size());
        ps.setInt(7, spec.chunkSize());
        ps.setBytes(8, spec.fileSha256());
        ps.setBytes(9, spec.chunkHashesSha256());
        ps.setLong(10, now);
        ps.executeUpdate();
    }

    private static Attachment toAttachment(ResultSet rs) throws SQLException {
        org.allium.contacts.api.FileOfferSpec spec = new org.allium.contacts.api.FileOfferSpec(rs.getString(4),
                rs.getLong(5), rs.getInt(6), rs.getBytes(7), rs.getBytes(8));
        return new Attachment(rs.getLong(1), MessageId.fromBytes(rs.getBytes(2)), MessageId.fromBytes(rs.getBytes(3)),
                spec, rs.getLong(9), rs.getBoolean(10), Instant.ofEpochMilli(rs.getLong(11)));
    }

    private static List<Attachment> readAttachments(PreparedStatement ps) throws SQLException {
        List<Attachment> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(toAttachment(rs));
            }
        }
        return out;
    }

    private static Optional<Attachment> attachmentOf(Database.Tx tx, long caseId, MessageId fileId) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT " + ATTACHMENT_COLUMNS
                + " FROM drop_attachments WHERE case_id = ? AND file_id = ?");
        ps.setLong(1, caseId);
        ps.setBytes(2, fileId.toBytes());
        List<Attachment> l = readAttachments(ps);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public List<Attachment> attachments(long caseId) throws StoreException {
        return db.transaction("reading attachments", tx -> {
            PreparedStatement ps = tx.prepare("SELECT " + ATTACHMENT_COLUMNS
                    + " FROM drop_attachments WHERE case_id = ? ORDER BY created_at, ordinal, file_id");
            ps.setLong(1, caseId);
            return readAttachments(ps);
        });
    }

    @Override
    public Optional<Attachment> attachment(long caseId, MessageId fileId) throws StoreException {
        return db.transaction("reading an attachment", tx -> attachmentOf(tx, caseId, fileId));
    }

    /** 32 hex digits naming an attachment's files; derived, so nothing needs storing. */
    private String localName(long caseId, MessageId fileId) {
        byte[] mac = hmac(filesKey, java.nio.ByteBuffer.allocate(24).putLong(caseId).put(fileId.toBytes()).array());
        return java.util.HexFormat.of().formatHex(mac, 0, 16);
    }

    @Override
    public org.allium.contacts.api.FileData openAttachment(Attachment a) throws java.io.IOException {
        FileSystemSupport.createPrivateDirectory(dir);
        String name = localName(a.caseId(), a.fileId());
        byte[] key = hmac(filesKey, ("allium/v1/drop-file/" + name).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return new FileStoreImpl.Data(db, dir.resolve(name + ".data"), dir.resolve(name + ".hashes"), key,
                a.spec().chunkSize(), a.spec().size(), random);
    }

    @Override
    public void deleteAttachmentData(Attachment a) throws java.io.IOException {
        String name = localName(a.caseId(), a.fileId());
        java.nio.file.Files.deleteIfExists(dir.resolve(name + ".data"));
        java.nio.file.Files.deleteIfExists(dir.resolve(name + ".hashes"));
        try {
            attachmentProgress(a.caseId(), a.fileId(), 0);
        } catch (StoreException e) {
            throw new java.io.IOException("resetting an attachment failed", e);
        }
    }

    @Override
    public void attachmentProgress(long caseId, MessageId fileId, long received) throws StoreException {
        db.transaction("recording an attachment's progress", tx -> {
            PreparedStatement ps = tx.prepare("UPDATE drop_attachments SET received = ? "
                    + "WHERE case_id = ? AND file_id = ? AND complete = FALSE");
            ps.setLong(1, received);
            ps.setLong(2, caseId);
            ps.setBytes(3, fileId.toBytes());
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public boolean attachmentComplete(long caseId, MessageId fileId) throws StoreException {
        return db.transaction("completing an attachment", tx -> {
            PreparedStatement ps = tx.prepare("UPDATE drop_attachments SET complete = TRUE, received = size "
                    + "WHERE case_id = ? AND file_id = ? AND complete = FALSE");
            ps.setLong(1, caseId);
            ps.setBytes(2, fileId.toBytes());
            if (ps.executeUpdate() == 0) {
                return false;
            }
            Case after = readCase(tx, caseId).orElseThrow(() -> new StoreException("no such case"));
            if (after.line() == null) {
                Attachment a = attachmentOf(tx, caseId, fileId).orElseThrow();
                queue(tx, fanout.of(new Change(after.ref(), after, null, false, null, false, operators(tx), a)));
            }
            return true;
        });
    }

    @Override
    public Optional<Attachment> mirrorAttachment(long caseId, MessageId item, MessageId fileId,
                                                 org.allium.contacts.api.FileOfferSpec spec, Quotas q)
            throws StoreException {
        return db.transaction("storing a drop line's attachment", tx -> {
            Optional<Attachment> known = attachmentOf(tx, caseId, fileId);
            if (known.isPresent()) {
                return known;
            }
            Case c = readCase(tx, caseId).orElseThrow(() -> new StoreException("no such case"));
            if (c.line() == null || spec.size() > q.maxFileBytes()
                    || fileBytes(tx, caseId) + spec.size() > q.maxFileBytesPerCase()
                    || fileBytes(tx, null) + spec.size() > q.maxFileBytesTotal()) {
                return Optional.<Attachment>empty();
            }
            insertAttachment(tx, caseId, item, fileId, 0, spec, clock.millis());
            return attachmentOf(tx, caseId, fileId);
        });
    }

    @Override
    public Optional<Attachment> ownAttachment(MessageId fileId) throws StoreException {
        return db.transaction("reading an attachment", tx -> {
            PreparedStatement ps = tx.prepare("SELECT a.case_id, a.item_id, a.file_id, a.name, a.size, a.chunk_size, "
                    + "a.file_sha, a.chunks_sha, a.received, a.complete, a.created_at FROM drop_attachments a "
                    + "JOIN drop_cases c ON c.id = a.case_id WHERE a.file_id = ? AND c.line IS NULL AND a.complete = TRUE "
                    + "ORDER BY a.created_at LIMIT 1");
            ps.setBytes(1, fileId.toBytes());
            List<Attachment> l = readAttachments(ps);
            return l.isEmpty() ? Optional.<Attachment>empty() : Optional.of(l.get(0));
        });
    }

    @Override
    public List<Attachment> incompleteAttachments(long line) throws StoreException {
        return db.transaction("reading attachments", tx -> {
            PreparedStatement ps = tx.prepare("SELECT a.case_id, a.item_id, a.file_id, a.name, a.size, a.chunk_size, "
                    + "a.file_sha, a.chunks_sha, a.received, a.complete, a.created_at FROM drop_attachments a "
                    + "JOIN drop_cases c ON c.id = a.case_id WHERE c.line = ? AND a.complete = FALSE "
                    + "ORDER BY a.created_at, a.ordinal");
            ps.setLong(1, line);
            return readAttachments(ps);
        });
    }

    @Override
    public int sweepAttachments() throws StoreException, java.io.IOException {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return 0;
        }
        java.util.Set<String> known = new java.util.HashSet<>();
        db.transaction("listing attachments", tx -> {
            try (ResultSet rs = tx.prepare("SELECT case_id, file_id FROM drop_attachments").executeQuery()) {
                while (rs.next()) {
                    known.add(localName(rs.getLong(1), MessageId.fromBytes(rs.getBytes(2))));
                }
            }
            return null;
        });
        int n = 0;
        try (java.nio.file.DirectoryStream<java.nio.file.Path> s = java.nio.file.Files.newDirectoryStream(dir)) {
            for (java.nio.file.Path p : s) {
                String f = p.getFileName().toString();
                int dot = f.indexOf('.');
                if (!known.contains(dot < 0 ? f : f.substring(0, dot))) {
                    java.nio.file.Files.deleteIfExists(p);
                    n++;
                }
            }
        }
        return n;
    }
}
