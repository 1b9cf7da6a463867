package org.allium.contacts;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;

/**
 * Every row of a store as a stream, and back: what a backup holds and what a repair salvages
 * into a new store. Generic over the tables found (other modules' tables included); the
 * store's own bookkeeping ({@link #SKIP}) is rebuilt by the new store instead, and
 * {@code row_mac} is recomputed by it. Stateless.
 *
 * <pre>
 * u32 schema version
 * per table: u8 1, name, u16 column count, column names, per row: u8 1, values; then u8 0
 * u8 0
 * value: u8 tag (0 null, 1 boolean, 2 integer, 3 text, 4 bytes) and its encoding
 * </pre>
 */
final class RowDump {
    /** Not dumped: rebuilt by the schema and the store itself. */
    static final Set<String> SKIP = Set.of("SCHEMA_VERSION", "STORE_STATE", "LOG_HISTORY");
    private static final int MAX_VALUE = 1 << 20;
    private static final int MAX_NAME = 256;

    /** Rows per table written or read; {@code bad}: rows dropped (failed their MAC); {@code cutShort}: reading stopped at damage. */
    record TableRows(int rows, int bad, boolean cutShort) {
    }

    private RowDump() {
    }

    static List<String> tables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM"
                + " INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE'"
                + " ORDER BY TABLE_NAME")) {
            while (rs.next()) {
                if (!SKIP.contains(rs.getString(1))) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * Writes every row of every table of {@code c} (one consistent read when {@code c} is
     * used in one transaction). With a {@code mac}, rows failing their MAC are dropped and
     * unreadable stretches skipped (salvage); without, any error is thrown (backup).
     */
    static Map<String, TableRows> dump(Connection c, DataOutputStream out, Mac mac) throws SQLException, IOException {
        Map<String, TableRows> counts = new LinkedHashMap<>();
        out.writeInt(Schema.currentVersion(c));
        for (String table : tables(c)) {
            List<String> columns = RowMac.columns(c, table);
            int macColumn = columns.indexOf(RowMac.COLUMN);
            out.writeByte(1);
            writeText(out, table);
            out.writeShort(columns.size() - (macColumn >= 0 ? 1 : 0));
            for (String col : columns) {
                if (!col.equals(RowMac.COLUMN)) {
                    writeText(out, col);
                }
            }
            counts.put(table, mac == null ? dumpAll(c, table, macColumn, out)
                    : salvage(c, table, macColumn, mac, out));
            out.writeByte(0);
        }
        out.writeByte(0);
        return counts;
    }

    private static TableRows dumpAll(Connection c, String table, int macColumn, DataOutputStream out)
            throws SQLException, IOException {
        int rows = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                out.writeByte(1);
                for (int i = 0; i < n; i++) {
                    if (i != macColumn) {
                        writeValue(out, rs.getObject(i + 1));
                    }
                }
                rows++;
            }
        }
        return new TableRows(rows, 0, false);
    }

    /**
     * Reads forward by row id until the data cannot be read, then backward from the end until
     * the same, so the rows on both sides of a damaged page are kept.
     */
    private static TableRows salvage(Connection c, String table, int macColumn, Mac mac, DataOutputStream out)
            throws IOException {
        int rows = 0;
        int bad = 0;
        boolean cut = false;
        long lastForward = Long.MIN_VALUE;
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (String order : new String[] {"ASC", "DESC"}) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT _ROWID_, * FROM \""
                    + table + "\" ORDER BY _ROWID_ " + order)) {
                int n = rs.getMetaData().getColumnCount() - 1;
                Object[] row = new Object[n];
                while (rs.next()) {
                    long rowId = rs.getLong(1);
                    if (order.equals("DESC") && (rowId <= lastForward || !seen.add(rowId))) {
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getObject(i + 2);
                    }
                    if (order.equals("ASC")) {
                        lastForward = rowId;
                        seen.add(rowId);
                    }
                    if (macColumn >= 0 && !RowMac.verify(mac, table, row, macColumn)) {
                        bad++;
                        continue;
                    }
                    out.writeByte(1);
                    for (int i = 0; i < n; i++) {
                        if (i != macColumn) {
                            writeValue(out, row[i]);
                        }
                    }
                    rows++;
                }
                if (order.equals("ASC")) {
                    break; // read to the end: nothing to read backward
                }
            } catch (SQLException | RuntimeException e) {
                cut = true;
            }
        }
        return new TableRows(rows, bad, cut);
    }

    /**
     * Inserts every row of the stream into the (new, migrated) store of {@code c}; the
     * {@link RowMac} trigger authenticates each. Tables and columns must exist in the target.
     */
    static Map<String, TableRows> load(DataInputStream in, Connection c) throws SQLException, IOException {
        Map<String, TableRows> counts = new LinkedHashMap<>();
        int version = in.readInt();
        if (version > Schema.LATEST) {
            throw new IOException("it was written by a newer version of Allium (schema " + version + ")");
        }
        List<String> known = tables(c);
        try (Statement s = c.createStatement()) {
            s.execute("SET REFERENTIAL_INTEGRITY FALSE");
        }
        try {
            while (in.readByte() == 1) {
                String table = readText(in).toUpperCase(Locale.ROOT);
                if (!known.contains(table)) {
                    throw new IOException("it holds a table this version does not know");
                }
                List<String> targetColumns = RowMac.columns(c, table);
                int n = in.readUnsignedShort();
                List<String> columns = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String col = readText(in).toUpperCase(Locale.ROOT);
                    if (!targetColumns.contains(col) || col.equals(RowMac.COLUMN)) {
                        throw new IOException("it holds a column this version does not know");
                    }
                    columns.add(col);
                }
                String sql = "INSERT INTO \"" + table + "\" (\"" + String.join("\", \"", columns) + "\") VALUES ("
                        + "?, ".repeat(Math.max(0, n - 1)) + (n > 0 ? "?" : "") + ")";
                int rows = 0;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    while (in.readByte() == 1) {
                        for (int i = 0; i < n; i++) {
                            ps.setObject(i + 1, readValue(in));
                        }
                        ps.executeUpdate();
                        rows++;
                    }
                }
                restartIdentities(c, table);
                counts.put(table, new TableRows(rows, 0, false));
            }
        } finally {
            try (Statement s = c.createStatement()) {
                s.execute("SET REFERENTIAL_INTEGRITY TRUE");
            }
        }
        c.commit();
        return counts;
    }

    private static void restartIdentities(Connection c, String table) throws SQLException {
        List<String> identities = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS"
                + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ? AND IS_IDENTITY = 'YES'")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    identities.add(rs.getString(1));
                }
            }
        }
        for (String col : identities) {
            long max;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(\"" + col + "\"), 0) FROM \"" + table + "\"")) {
                rs.next();
                max = rs.getLong(1);
            }
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE \"" + table + "\" ALTER COLUMN \"" + col + "\" RESTART WITH " + (max + 1));
            }
        }
    }

    private static void writeText(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readText(DataInputStream in) throws IOException {
        return new String(readBytes(in, MAX_NAME), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputStream in, int max) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) {
            throw new IOException("it holds a value longer than any store holds");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static void writeValue(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte(0);
        } else if (v instanceof Boolean b) {
            out.writeByte(1);
            out.writeBoolean(b);
        } else if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
            out.writeByte(2);
            out.writeLong(((Number) v).longValue());
        } else if (v instanceof String s) {
            out.writeByte(3);
            writeText(out, s);
        } else if (v instanceof byte[] b) {
            out.writeByte(4);
            out.writeInt(b.length);
            out.write(b);
        } else {
            throw new IOException("no encoding for a column of type " + v.getClass().getSimpleName());
        }
    }

    private static Object readValue(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case 0 -> null;
            case 1 -> in.readBoolean();
            case 2 -> in.readLong();
            case 3 -> new String(readBytes(in, MAX_VALUE), StandardCharsets.UTF_8);
            case 4 -> readBytes(in, MAX_VALUE);
            default -> throw new IOException("it holds a value of unknown type");
        };
    }
}
