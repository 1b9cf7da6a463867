package org.allium.contacts;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.allium.contacts.api.SettingsStore;
import org.allium.contacts.api.StoreEvent;
import org.allium.contacts.api.StoreException;

/** {@link SettingsStore} over the profile's {@link Database}. Thread-safe through it. */
final class SettingsStoreImpl implements SettingsStore {
    private static final Pattern KEY = Pattern.compile("[a-z0-9._-]{1,128}");
    static final int MAX_VALUE_LENGTH = 4096;

    private final Database db;

    SettingsStoreImpl(Database db) {
        this.db = db;
    }

    @Override
    public Optional<String> get(String key) throws StoreException {
        checkKey(key);
        return db.transaction("reading a setting", tx -> get(tx, key));
    }

    @Override
    public void put(String key, String value) throws StoreException {
        checkKey(key);
        Objects.requireNonNull(value, "value");
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("a setting value is at most " + MAX_VALUE_LENGTH + " characters");
        }
        db.transaction("writing a setting", tx -> {
            put(tx, key, value);
            return null;
        });
    }

    @Override
    public void remove(String key) throws StoreException {
        checkKey(key);
        db.transaction("removing a setting", tx -> {
            PreparedStatement ps = tx.prepare("DELETE FROM settings WHERE k = ?");
            ps.setString(1, key);
            if (ps.executeUpdate() > 0) {
                tx.attach(new StoreEvent.SettingChanged(key));
            }
            return null;
        });
    }

    @Override
    public Map<String, String> all() throws StoreException {
        return db.transaction("listing settings", tx -> {
            PreparedStatement ps = tx.prepare("SELECT k, v FROM settings");
            Map<String, String> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    static Optional<String> get(Database.Tx tx, String key) throws SQLException {
        PreparedStatement ps = tx.prepare("SELECT v FROM settings WHERE k = ?");
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    static void put(Database.Tx tx, String key, String value) throws SQLException {
        PreparedStatement ps = tx.prepare("MERGE INTO settings (k, v) KEY (k) VALUES (?, ?)");
        ps.setString(1, key);
        ps.setString(2, value);
        ps.executeUpdate();
        tx.attach(new StoreEvent.SettingChanged(key));
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a setting key is 1-128 characters of [a-z0-9._-]");
        }
    }
}
