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
            + "(SELECT COUNT(*) FROM drop_items i WHERE i.case_id = c.id AND i.kind = 'REPLY'), c.unread";

    private final Database db;
    private final Clock clock;
    private final byte[] hashKey;

    DropStoreImpl(Database db, Clock clock, byte[] hashKey) {
        this.db = db;
        this.clock = clock;
        this.hashKey = hashKey.clone();
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
                            Quotas q) throws StoreException {
        Objects.requireNonNull(id, "id");
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
                        + "(source_hash, pseudonym, state, created_at, updated_at, unread) VALUES (?, ?, 'NEW', ?, ?, TRUE))");
                ins.setBytes(1, h);
                ins.setString(2, pseudonym);
                ins.setLong(3, now);
                ins.setLong(4, now);
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
            insertItem(tx, caseId, Kind.SUBMISSION, id, composed.toEpochMilli(), now, null, text);
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
                                   Long author, String text) throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO drop_items (case_id, item_id, kind, composed_at, stored_at, author, body) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)");
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
                rs.getInt(7), rs.getInt(8), rs.getBoolean(9));
    }

    @Override
    public List<Item> items(long caseId) throws StoreException {
        return db.transaction("reading a case", tx -> {
            PreparedStatement ps = tx.prepare("SELECT pos, case_id, item_id, kind, composed_at, stored_at, author, body "
                    + "FROM drop_items WHERE case_id = ? ORDER BY pos");
            ps.setLong(1, caseId);
            return readItems(ps);
        });
    }

    @Override
    public List<Item> replies(long caseId, int max) throws StoreException {
        return db.transaction("reading replies", tx -> {
            PreparedStatement ps = tx.prepare("SELECT pos, case_id, item_id, kind, composed_at, stored_at, author, body "
                    + "FROM drop_items WHERE case_id = ? AND kind = 'REPLY' ORDER BY pos DESC LIMIT ?");
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
                        Instant.ofEpochMilli(rs.getLong(6)), a, rs.getString(8)));
            }
        }
        return out;
    }

    @Override
    public Item add(long caseId, Kind kind, MessageId id, Instant composed, Long author, String text)
            throws StoreException {
        if (kind == Kind.SUBMISSION) {
            throw new IllegalArgumentException("submissions come from sources: use submit");
        }
        checkText(text, MAX_REPLY_LENGTH);
        return db.transaction("storing a reply", tx -> {
            if (readCase(tx, caseId).isEmpty()) {
                throw new StoreException("no such case");
            }
            PreparedStatement dup = tx.prepare("SELECT 1 FROM drop_items WHERE case_id = ? AND item_id = ?");
            dup.setLong(1, caseId);
            dup.setBytes(2, id.toBytes());
            boolean known;
            try (ResultSet rs = dup.executeQuery()) {
                known = rs.next();
            }
            long now = clock.millis();
            if (!known) {
                insertItem(tx, caseId, kind, id, composed.toEpochMilli(), now, author, text);
                PreparedStatement up = tx.prepare(kind == Kind.REPLY
                        ? "UPDATE drop_cases SET state = CASE WHEN state = 'CLOSED' THEN state ELSE 'REPLIED' END, "
                        + "updated_at = ? WHERE id = ?"
                        : "UPDATE drop_cases SET updated_at = ? WHERE id = ?");
                up.setLong(1, now);
                up.setLong(2, caseId);
                up.executeUpdate();
            }
            PreparedStatement ps = tx.prepare("SELECT pos, case_id, item_id, kind, composed_at, stored_at, author, body "
                    + "FROM drop_items WHERE case_id = ? AND item_id = ?");
            ps.setLong(1, caseId);
            ps.setBytes(2, id.toBytes());
            return readItems(ps).get(0);
        });
    }

    @Override
    public void setState(long caseId, State state) throws StoreException {
        Objects.requireNonNull(state, "state");
        update("UPDATE drop_cases SET state = ?, updated_at = ? WHERE id = ?", state.name(), caseId);
    }

    @Override
    public void markRead(long caseId) throws StoreException {
        db.transaction("marking a case read", tx -> {
            PreparedStatement ps = tx.prepare("UPDATE drop_cases SET unread = FALSE, "
                    + "state = CASE WHEN state = 'NEW' THEN 'READ' ELSE state END WHERE id = ?");
            ps.setLong(1, caseId);
            if (ps.executeUpdate() == 0) {
                throw new StoreException("no such case");
            }
            return null;
        });
    }

    @Override
    public void assign(long caseId, Long operator) throws StoreException {
        db.transaction("assigning a case", tx -> {
            PreparedStatement ps = tx.prepare("UPDATE drop_cases SET assignee = ?, updated_at = ? WHERE id = ?");
            if (operator == null) {
                ps.setNull(1, java.sql.Types.BIGINT);
            } else {
                ps.setLong(1, operator);
            }
            ps.setLong(2, clock.millis());
            ps.setLong(3, caseId);
            if (ps.executeUpdate() == 0) {
                throw new StoreException("no such case");
            }
            return null;
        });
    }

    private void update(String sql, String state, long caseId) throws StoreException {
        db.transaction("updating a case", tx -> {
            PreparedStatement ps = tx.prepare(sql);
            ps.setString(1, state);
            ps.setLong(2, clock.millis());
            ps.setLong(3, caseId);
            if (ps.executeUpdate() == 0) {
                throw new StoreException("no such case");
            }
            return null;
        });
    }

    @Override
    public boolean delete(long caseId) throws StoreException {
        return db.transaction("deleting a case", tx -> {
            PreparedStatement ps = tx.prepare("DELETE FROM drop_cases WHERE id = ?");
            ps.setLong(1, caseId);
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public int deleteClosedBefore(Instant before) throws StoreException {
        return db.transaction("deleting closed cases", tx -> {
            PreparedStatement ps = tx.prepare("DELETE FROM drop_cases WHERE state = 'CLOSED' AND updated_at < ?");
            ps.setLong(1, before.toEpochMilli());
            return ps.executeUpdate();
        });
    }

    private static void checkText(String text, int max) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty() || text.length() > max) {
            throw new IllegalArgumentException("a text is 1.." + max + " characters");
        }
    }
}
