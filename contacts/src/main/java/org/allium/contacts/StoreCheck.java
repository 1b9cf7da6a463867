package org.allium.contacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import org.allium.contacts.api.DamagedProfileException;
import org.allium.contacts.api.StoreException;

/**
 * Checks a profile's store and commit log without writing a byte: the store file is opened
 * read-only and every row of every table is read and its {@link RowMac} verified, every index
 * is walked, and the commit log is {@linkplain CommitLog#scan scanned} and held against what
 * the store says about it ({@code store_state}). Opening a profile for writing happens only
 * after this passed, so a damaged file is never rewritten, "recovered" or compacted by an open.
 * Stateless.
 */
final class StoreCheck {
    /** What {@code store_state} says about the commit log; null fields for a store that predates it. */
    record LogState(byte[] generation, long folded, boolean clean, long syncCount, java.util.Set<String> history) {
        LogState(byte[] generation, long folded, boolean clean) {
            this(generation, folded, clean, 0, java.util.Set.of());
        }

        boolean hadGeneration(byte[] g) {
            return g != null && history.contains(java.util.HexFormat.of().formatHex(g));
        }
    }

    /** A damaged file and what is wrong with it. */
    record Damage(String file, String problem) {
    }

    /** Rows and bad rows of one table. */
    record TableCount(int rows, int badRows) {
    }

    /**
     * What was found. {@code storeDamage} and {@code logDamage} are null when that file is
     * sound; {@code replay} are the logged changes that the store file may lack.
     */
    record Result(Map<String, TableCount> tables, LogState state, CommitLog.Scan log, List<CommitLog.Entry> replay,
                  String storeDamage, Damage logDamage) {
        /** Throws the first damage found as a {@link DamagedProfileException}. */
        void throwIfDamaged() throws DamagedProfileException {
            if (storeDamage != null) {
                throw new DamagedProfileException(Database.FILE_NAME, storeDamage, DamagedProfileException.REPAIR);
            }
            if (logDamage != null) {
                throw new DamagedProfileException(logDamage.file(), logDamage.problem(),
                        DamagedProfileException.REPAIR);
            }
        }
    }

    private StoreCheck() {
    }

    /** Checks the store and log of {@code dir} (read-only). Throws only when they cannot be read at all. */
    static Result check(Path dir, byte[] storeKey) throws StoreException {
        Map<String, TableCount> tables = new LinkedHashMap<>();
        String storeDamage = null;
        LogState state = null;
        if (!Files.isRegularFile(dir.resolve(Database.FILE_NAME))) {
            storeDamage = "it is missing";
        } else {
            try (Connection c = Database.connect(dir, storeKey, false, true)) {
                state = readStateQuietly(c);
                // After a crash, a read-only view can hold a transaction H2 was writing when
                // the process ended (a read-write open rolls it back first), so its indexes may
                // differ from the table for a moment: they are walked in every store (one that
                // cannot be read is damage) and compared with their table only in a closed one.
                storeDamage = checkTables(c, storeKey, tables, state != null && state.clean());
                if (storeDamage != null) {
                    state = null;
                }
            } catch (SQLException e) {
                storeDamage = "it cannot be read (H2 error " + e.getErrorCode() + ")";
            } catch (RuntimeException e) {
                storeDamage = "it cannot be read (" + e.getClass().getSimpleName() + ")";
            }
        }
        CommitLog.Scan scan;
        try {
            scan = CommitLog.scan(dir, storeKey);
        } catch (IOException e) {
            throw new StoreException("cannot read the commit log: " + e.getClass().getSimpleName(), e);
        }
        List<CommitLog.Entry> replay = new ArrayList<>();
        Damage logDamage = storeDamage == null ? checkLog(state, scan, replay)
                : scan.damage() != null ? new Damage(CommitLog.FILE_NAME, scan.damage()) : null;
        return new Result(tables, state, scan, List.copyOf(replay), storeDamage, logDamage);
    }

    /** Reads every row and index; returns the first damage found, or null. */
    private static String checkTables(Connection c, byte[] storeKey, Map<String, TableCount> out,
            boolean withIndexes) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM"
                + " INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE'"
                + " ORDER BY TABLE_NAME")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        if (!names.contains("SCHEMA_VERSION") || !names.contains("PROFILE")) {
            return "it holds no profile tables (it was cut short or overwritten)";
        }
        byte[] rowKey = KeyDerivation.subKey(storeKey, KeyDerivation.Purpose.ROW_MAC);
        Mac mac = RowMac.newMac(rowKey);
        Arrays.fill(rowKey, (byte) 0);
        String damage = null;
        for (String table : names) {
            TableCount count;
            try {
                count = checkTable(c, table, mac);
            } catch (SQLException | RuntimeException e) {
                out.put(table, new TableCount(-1, -1));
                damage = damage != null ? damage : "table " + table.toLowerCase() + " cannot be read";
                continue;
            }
            out.put(table, count);
            if (count.badRows() > 0 && damage == null) {
                damage = count.badRows() + " row(s) of table " + table.toLowerCase() + " fail their integrity check";
            }
            if (damage == null) {
                damage = checkIndexes(c, table, count.rows(), withIndexes);
            }
        }
        if (damage == null) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM profile")) {
                rs.next();
                if (rs.getInt(1) != 1) {
                    damage = "it holds no identity";
                }
            }
        }
        return damage;
    }

    private static TableCount checkTable(Connection c, String table, Mac mac) throws SQLException {
        List<String> columns = RowMac.columns(c, table);
        int macColumn = columns.indexOf(RowMac.COLUMN);
        int rows = 0;
        int bad = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
            int n = rs.getMetaData().getColumnCount();
            Object[] row = new Object[n];
            while (rs.next()) {
                for (int i = 0; i < n; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows++;
                if (macColumn >= 0 && !RowMac.verify(mac, table, row, macColumn)) {
                    bad++;
                }
            }
        }
        return new TableCount(rows, bad);
    }

    /**
     * Walks every index of {@code table}: an index that cannot be read is damage in any store
     * (replaying the log would use it and fail half-way); its entry count is compared with the
     * table's only when {@code compareCounts} (a closed store — see {@link #check}).
     */
    private static String checkIndexes(Connection c, String table, int rows, boolean compareCounts) {
        Map<String, List<String>> indexes = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT INDEX_NAME, COLUMN_NAME FROM"
                + " INFORMATION_SCHEMA.INDEX_COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ?"
                + " ORDER BY INDEX_NAME, ORDINAL_POSITION")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    indexes.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            for (Map.Entry<String, List<String>> e : indexes.entrySet()) {
                String cols = "\"" + String.join("\", \"", e.getValue()) + "\"";
                int n = 0;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + cols + " FROM \""
                        + table + "\" USE INDEX (\"" + e.getKey() + "\") ORDER BY " + cols)) {
                    while (rs.next()) {
                        n++;
                    }
                }
                if (compareCounts && n != rows) {
                    return "an index of table " + table.toLowerCase() + " does not match the table";
                }
            }
            return null;
        } catch (SQLException | RuntimeException e) {
            return "an index of table " + table.toLowerCase() + " cannot be read";
        }
    }

    private static LogState readStateQuietly(Connection c) {
        try {
            return readState(c);
        } catch (SQLException | RuntimeException e) {
            return null; // checkTables reports the damage
        }
    }

    private static LogState readState(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet t = s.executeQuery("SELECT COUNT(*) FROM"
                + " INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = 'STORE_STATE'")) {
            t.next();
            if (t.getInt(1) == 0) {
                return null;
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT log_generation, log_folded, log_clean, sync_count FROM store_state WHERE id = 1")) {
            if (!rs.next()) {
                return null;
            }
            byte[] generation = rs.getBytes(1);
            long folded = rs.getLong(2);
            boolean clean = rs.getBoolean(3);
            long count = rs.getLong(4);
            java.util.Set<String> history = new java.util.HashSet<>();
            try (Statement h = c.createStatement(); ResultSet hs = h.executeQuery("SELECT generation FROM log_history")) {
                while (hs.next()) {
                    history.add(java.util.HexFormat.of().formatHex(hs.getBytes(1)));
                }
            }
            return new LogState(generation, folded, clean, count, history);
        }
    }

    /**
     * Holds the log against the store's record of it; fills {@code replay} and returns the
     * damage found, or null.
     */
    static Damage checkLog(LogState state, CommitLog.Scan scan, List<CommitLog.Entry> replay) {
        boolean clean = state == null || state.clean();
        if (!scan.exists()) {
            return clean ? null : log("it is missing, but the store was not closed cleanly and expects its last"
                    + " changes there");
        }
        if (scan.headerProblem() != null) {
            return log(scan.headerProblem());
        }
        boolean hasFrames = !scan.frames().isEmpty();
        if (state == null || state.generation() == null || !Arrays.equals(state.generation(), scan.generation())) {
            boolean empty = !hasFrames && scan.damage() == null && !scan.tornTail();
            if (state == null) {
                return empty && clean ? null : log("it was not written for this store");
            }
            if (scan.syncCount() > state.syncCount() || !state.hadGeneration(scan.generation()) && !empty) {
                return new Damage(Database.FILE_NAME, "it is older than its commit log (" + state.syncCount()
                        + " synced writes, the log says " + scan.syncCount() + "): it was cut short, damaged, or"
                        + " restored from an older copy, and has fallen back to an earlier state");
            }
            if (!state.hadGeneration(scan.generation())) {
                // a crash while opening: a new log whose generation the store had not recorded yet
                return clean ? null : log("it is not the log the store expects (an empty log of another"
                        + " generation), and the store was not closed cleanly");
            }
            return log("it belongs to an older state of the store (a copy put back?); its " + scan.entryCount()
                    + " change(s) are not replayed");
        }
        if (scan.damage() != null) {
            return log(scan.damage());
        }
        // The store increments its count, then syncs, then writes it to the log's header: the
        // log may be one behind (a crash in between), never ahead.
        if (state.syncCount() < scan.syncCount()) {
            return new Damage(Database.FILE_NAME, "it is older than its commit log says (" + state.syncCount()
                    + " synced writes instead of " + scan.syncCount() + "): it was cut short, damaged, or"
                    + " restored from an older copy, and has fallen back to an earlier state");
        }
        if (state.syncCount() > scan.syncCount() + 1) {
            return log("it belongs to an older state of the store (a copy put back?)");
        }
        if (hasFrames && scan.frames().get(0).index() > state.folded()) {
            return log("frames " + state.folded() + " to " + (scan.frames().get(0).index() - 1)
                    + " are missing from its start");
        }
        for (CommitLog.Frame f : scan.frames()) {
            if (f.index() >= state.folded()) {
                if (state.clean()) {
                    return log("it holds changes after the store was closed cleanly");
                }
                replay.addAll(f.entries());
            }
        }
        return null;
    }

    private static Damage log(String problem) {
        return new Damage(CommitLog.FILE_NAME, problem);
    }
}
