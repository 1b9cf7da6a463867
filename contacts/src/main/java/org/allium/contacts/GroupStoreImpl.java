package org.allium.contacts;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.GroupStore;
import org.allium.contacts.api.StoreException;

/** {@link GroupStore} over the profile's {@link Database}. Thread-safe through it. */
final class GroupStoreImpl implements GroupStore {
    static final int MAX_PAGE = 2000;
    private static final String GROUP_COLUMNS = "group_id, state, inviter, invitation, read_up_to, created_at";
    private static final String MESSAGE_COLUMNS = "pos, group_id, author, seq, msg_id, raw, hidden, received_at";

    private final Database db;
    private final Clock clock;

    GroupStoreImpl(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public List<GroupRow> groups() throws StoreException {
        return db.transaction("listing groups", tx -> {
            PreparedStatement ps = tx.prepare("SELECT " + GROUP_COLUMNS + " FROM chat_groups ORDER BY created_at");
            List<GroupRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(group(rs));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<GroupRow> group(byte[] id) throws StoreException {
        checkId(id);
        return db.transaction("reading a group", tx -> {
            PreparedStatement ps = tx.prepare("SELECT " + GROUP_COLUMNS + " FROM chat_groups WHERE group_id = ?");
            ps.setBytes(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(group(rs)) : Optional.empty();
            }
        });
    }

    private static GroupRow group(ResultSet rs) throws SQLException {
        long inviter = rs.getLong(3);
        boolean none = rs.wasNull();
        return new GroupRow(rs.getBytes(1), GroupState.valueOf(rs.getString(2)), none ? null : new ContactId(inviter),
                rs.getBytes(4), rs.getLong(5), rs.getLong(6));
    }

    @Override
    public boolean addGroup(GroupRow g) throws StoreException {
        Objects.requireNonNull(g, "group");
        checkId(g.id());
        if (g.invitation() != null && g.invitation().length > MAX_RAW_BYTES * 3) {
            throw new IllegalArgumentException("invitation too large");
        }
        return db.transaction("adding a group", tx -> {
            PreparedStatement exists = tx.prepare("SELECT COUNT(*), SUM(CASE WHEN group_id = ? THEN 1 ELSE 0 END)"
                    + " FROM chat_groups");
            exists.setBytes(1, g.id());
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (rs.getLong(2) > 0) {
                    return false;
                }
                if (rs.getLong(1) >= MAX_GROUPS) {
                    throw new StoreException("this profile holds the most groups it can (" + MAX_GROUPS + ")");
                }
            }
            PreparedStatement ps = tx.prepare("INSERT INTO chat_groups (" + GROUP_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)");
            ps.setBytes(1, g.id());
            ps.setString(2, g.state().name());
            if (g.inviter() == null) {
                ps.setNull(3, java.sql.Types.BIGINT);
            } else {
                ps.setLong(3, g.inviter().value());
            }
            ps.setBytes(4, g.invitation());
            ps.setLong(5, g.readUpTo());
            ps.setLong(6, g.createdAt() != 0 ? g.createdAt() : clock.millis());
            ps.executeUpdate();
            return true;
        });
    }

    @Override
    public void setState(byte[] id, GroupState state) throws StoreException {
        checkId(id);
        Objects.requireNonNull(state, "state");
        db.transaction("changing a group's state", tx -> {
            PreparedStatement ps = tx.prepare("UPDATE chat_groups SET state = ? WHERE group_id = ?");
            ps.setString(1, state.name());
            ps.setBytes(2, id);
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public void markRead(byte[] id, long upToPos) throws StoreException {
        checkId(id);
        db.transaction("marking a group read", Database.Durability.RELAXED, tx -> {
            PreparedStatement ps = tx.prepare("UPDATE chat_groups SET read_up_to = GREATEST(read_up_to, ?) WHERE group_id = ?");
            ps.setLong(1, upToPos);
            ps.setBytes(2, id);
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public void deleteGroup(byte[] id) throws StoreException {
        checkId(id);
        db.transaction("deleting a group", tx -> {
            PreparedStatement m = tx.prepare("DELETE FROM group_messages WHERE group_id = ?");
            m.setBytes(1, id);
            m.executeUpdate();
            PreparedStatement g = tx.prepare("DELETE FROM chat_groups WHERE group_id = ?");
            g.setBytes(1, id);
            g.executeUpdate();
            return null;
        });
    }

    @Override
    public List<GroupMessageRow> append(byte[] groupId, List<NewGroupMessage> messages) throws StoreException {
        checkId(groupId);
        for (NewGroupMessage m : messages) {
            if (m.author() == null || m.author().length != 32 || m.msgId() == null || m.msgId().length != 16
                    || m.seq() < 1 || (m.raw() != null && m.raw().length > MAX_RAW_BYTES)) {
                throw new IllegalArgumentException("not a storable group message");
            }
        }
        if (messages.isEmpty()) {
            return List.of();
        }
        // LOGGED: each stored row is one redo entry of the commit log (CommitLog.GroupEntry),
        // durable when this returns like a SYNCED commit, at the cost of one frame and one
        // fdatasync instead of H2's chunk write and sync (see contacts/README, "Exactly-once").
        return db.transaction("storing group messages", Database.Durability.LOGGED, tx -> {
            PreparedStatement held = tx.prepare(HELD);
            long now = clock.millis();
            List<GroupMessageRow> out = new ArrayList<>();
            for (NewGroupMessage m : messages) {
                held.setBytes(1, groupId);
                held.setBytes(2, m.author());
                held.setLong(3, m.seq());
                try (ResultSet rs = held.executeQuery()) {
                    if (rs.next()) {
                        continue;
                    }
                }
                // Prepared only when something is new: a batch of duplicates writes nothing,
                // so it costs no disk sync at all.
                long pos = insert(tx, groupId, m.author(), m.seq(), m.msgId(), m.raw(), now);
                tx.log(new CommitLog.GroupEntry(groupId, m.author(), m.seq(), m.msgId(), m.raw(), now));
                out.add(new GroupMessageRow(pos, groupId, m.author(), m.seq(), m.msgId(), m.raw(), m.raw() == null, now));
            }
            return out;
        });
    }

    private static final String HELD = "SELECT 1 FROM group_messages WHERE group_id = ? AND author = ? AND seq = ?";

    private static long insert(Database.Tx tx, byte[] groupId, byte[] author, long seq, byte[] msgId, byte[] raw,
            long receivedAt) throws SQLException {
        PreparedStatement ins = tx.prepare("SELECT pos FROM FINAL TABLE (INSERT INTO group_messages"
                + " (group_id, author, seq, msg_id, raw, hidden, received_at) VALUES (?, ?, ?, ?, ?, ?, ?))");
        ins.setBytes(1, groupId);
        ins.setBytes(2, author);
        ins.setLong(3, seq);
        ins.setBytes(4, msgId);
        ins.setBytes(5, raw);
        ins.setBoolean(6, raw == null);
        ins.setLong(7, receivedAt);
        try (ResultSet rs = ins.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Re-creates a logged group message row if the store file lacks it (the process ended
     * before H2 wrote it), at the end of the storage order as when it was first stored (a log
     * is replayed in order, after every row H2 had written). Idempotent. A group deleted since
     * has nothing to restore into (deleting is a synced write, so this does not happen after
     * the log was emptied; kept for a repair's replay).
     */
    static boolean redo(Database.Tx tx, CommitLog.GroupEntry e) throws SQLException {
        PreparedStatement group = tx.prepare("SELECT 1 FROM chat_groups WHERE group_id = ?");
        group.setBytes(1, e.groupId());
        try (ResultSet rs = group.executeQuery()) {
            if (!rs.next()) {
                return false;
            }
        }
        PreparedStatement held = tx.prepare(HELD);
        held.setBytes(1, e.groupId());
        held.setBytes(2, e.author());
        held.setLong(3, e.seq());
        try (ResultSet rs = held.executeQuery()) {
            if (rs.next()) {
                return false;
            }
        }
        insert(tx, e.groupId(), e.author(), e.seq(), e.msgId(), e.raw(), e.receivedAt());
        return true;
    }

    @Override
    public List<GroupMessageRow> messages(byte[] groupId, long afterPos, int limit) throws StoreException {
        checkId(groupId);
        int n = Math.max(0, Math.min(limit, MAX_PAGE));
        return db.transaction("reading group messages", tx -> {
            PreparedStatement ps = tx.prepare("SELECT " + MESSAGE_COLUMNS + " FROM group_messages"
                    + " WHERE group_id = ? AND pos > ? ORDER BY pos LIMIT ?");
            ps.setBytes(1, groupId);
            ps.setLong(2, afterPos);
            ps.setInt(3, n);
            return rows(ps);
        });
    }

    @Override
    public List<GroupMessageRow> latest(byte[] groupId, long beforePos, int limit) throws StoreException {
        checkId(groupId);
        int n = Math.max(0, Math.min(limit, MAX_PAGE));
        return db.transaction("reading group messages", tx -> {
            PreparedStatement ps = tx.prepare("SELECT " + MESSAGE_COLUMNS + " FROM group_messages"
                    + " WHERE group_id = ? AND pos < ? ORDER BY pos DESC LIMIT ?");
            ps.setBytes(1, groupId);
            ps.setLong(2, beforePos);
            ps.setInt(3, n);
            List<GroupMessageRow> out = rows(ps);
            java.util.Collections.reverse(out);
            return out;
        });
    }

    private static List<GroupMessageRow> rows(PreparedStatement ps) throws SQLException {
        List<GroupMessageRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new GroupMessageRow(rs.getLong(1), rs.getBytes(2), rs.getBytes(3), rs.getLong(4), rs.getBytes(5),
                        rs.getBytes(6), rs.getBoolean(7), rs.getLong(8)));
            }
        }
        return out;
    }

    @Override
    public int hideAfter(byte[] groupId, byte[] author, long afterSeq) throws StoreException {
        checkId(groupId);
        return db.transaction("hiding group messages", tx -> {
            PreparedStatement ps = tx.prepare("UPDATE group_messages SET hidden = TRUE"
                    + " WHERE group_id = ? AND author = ? AND seq > ? AND hidden = FALSE");
            ps.setBytes(1, groupId);
            ps.setBytes(2, author);
            ps.setLong(3, afterSeq);
            return ps.executeUpdate();
        });
    }

    private static void checkId(byte[] id) {
        if (id == null || id.length != 16) {
            throw new IllegalArgumentException("a group id has 16 bytes");
        }
    }
}
