package org.allium.contacts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.h2.api.Trigger;

/**
 * Authenticates every row of the store: an H2 trigger (BEFORE INSERT, UPDATE, for each row)
 * that sets the row's {@code row_mac} column to HMAC-SHA256, under a key derived from the
 * store key, of the table name and every other column. H2's {@code CIPHER=AES} (XTS) hides
 * content but has no integrity: a flipped byte decrypts to 16 bytes of garbage that H2 may
 * read as a valid value. With a MAC per row such damage is found ({@link StoreCheck} verifies
 * every row before a profile is opened for writing) instead of being shown, sent or kept.
 *
 * <p>The key reaches the trigger through the session variable {@code @ALLIUM_ROW_KEY}, set
 * by {@link Database} on its connection before any write; a session without it cannot write
 * an authenticated table. Public only because H2 instantiates triggers by class name.
 * Not for use outside this package.
 *
 * <p>Thread-safety: H2 calls {@link #fire} under its own locks; the instance state is
 * guarded by {@code this}.
 */
public final class RowMac implements Trigger {
    static final String COLUMN = "ROW_MAC";
    static final String KEY_VARIABLE = "@ALLIUM_ROW_KEY";
    static final int LENGTH = 32;

    private String table;
    private int macColumn = -1;
    private Mac mac;

    /** For H2. */
    public RowMac() {
    }

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
            int type) throws SQLException {
        this.table = tableName;
        this.macColumn = macColumn(conn, tableName);
    }

    @Override
    public synchronized void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow == null) {
            return;
        }
        if (mac == null) {
            // Read from the session itself, not with a query: a statement run on the trigger's
            // connection in the middle of the firing one could end its transaction early.
            byte[] key = null;
            if (conn instanceof org.h2.jdbc.JdbcConnection jc
                    && jc.getSession() instanceof org.h2.engine.SessionLocal session) {
                org.h2.value.Value v = session.getVariable(KEY_VARIABLE.substring(1));
                key = v == null || v == org.h2.value.ValueNull.INSTANCE ? null : v.getBytes();
            }
            if (key == null || key.length != LENGTH) {
                throw new SQLException("this session cannot write authenticated rows (no row key)");
            }
            mac = newMac(key);
            java.util.Arrays.fill(key, (byte) 0);
        }
        newRow[macColumn] = compute(mac, table, newRow, macColumn);
    }

    @Override
    public void close() {
    }

    @Override
    public void remove() {
    }

    static Mac newMac(byte[] key) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /** The 0-based position of {@code row_mac} among the table's columns. */
    static int macColumn(Connection conn, String tableName) throws SQLException {
        List<String> columns = columns(conn, tableName);
        int i = columns.indexOf(COLUMN);
        if (i < 0) {
            throw new SQLException("table has no " + COLUMN + " column");
        }
        return i;
    }

    /** Column names of a table of the PUBLIC schema, in table order. */
    static List<String> columns(Connection conn, String tableName) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS"
                + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, tableName.toUpperCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * HMAC of the table name and every column but {@code skip}, each as a type tag and a
     * length-prefixed canonical encoding (all integer types as 8 bytes, so JDBC's choice of
     * Integer or Long does not matter).
     */
    static byte[] compute(Mac mac, String table, Object[] row, int skip) throws SQLException {
        mac.reset();
        byte[] name = table.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        mac.update(ByteBuffer.allocate(8).putInt(name.length).putInt(row.length - 1).array());
        mac.update(name);
        ByteBuffer num = ByteBuffer.allocate(9);
        for (int i = 0; i < row.length; i++) {
            if (i == skip) {
                continue;
            }
            Object v = row[i];
            num.clear();
            if (v == null) {
                mac.update((byte) 0);
            } else if (v instanceof Boolean b) {
                mac.update((byte) 1);
                mac.update((byte) (b ? 1 : 0));
            } else if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
                mac.update(num.put((byte) 2).putLong(((Number) v).longValue()).array());
            } else if (v instanceof String s) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                mac.update(num.put((byte) 3).putLong(b.length).array());
                mac.update(b);
            } else if (v instanceof byte[] b) {
                mac.update(num.put((byte) 4).putLong(b.length).array());
                mac.update(b);
            } else {
                throw new SQLException("no canonical encoding for a column of type " + v.getClass().getSimpleName());
            }
        }
        return mac.doFinal();
    }

    /** Whether {@code expected} is the MAC of {@code row}, in constant time. */
    static boolean verify(Mac mac, String table, Object[] row, int macColumn) throws SQLException {
        Object stored = row[macColumn];
        return stored instanceof byte[] b && MessageDigest.isEqual(b, compute(mac, table, row, macColumn));
    }
}
