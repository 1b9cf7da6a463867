package org.allium.contacts;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import org.allium.contacts.api.ContactStore;
import org.allium.contacts.api.FileStore;
import org.allium.contacts.api.GroupStore;
import org.allium.contacts.api.MessageStore;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileClosedException;
import org.allium.contacts.api.SettingsStore;
import org.allium.contacts.api.StoreException;
import org.allium.contacts.api.StoreListener;
import org.allium.protocol.IdentityKeyPair;

/** An open profile: its lock, database and stores. Thread-safe. */
final class ProfileImpl implements Profile {
    private final Path dir;
    private final Database db;
    private final ProfileLock lock;
    private final Clock clock;
    private final ProfileManagerImpl manager;
    private final ContactStoreImpl contacts;
    private final MessageStoreImpl messages;
    private final SettingsStoreImpl settings;
    private final FileStoreImpl files;
    private final GroupStoreImpl groups;
    private final SecureRandom random;
    // The store key's backup sub-key: a backup is sealed under a key derived from it.
    private final byte[] backupKey;
    private final DropStoreImpl drops;
    // Serializes changePassphrase against itself and close.
    private final Object headerLock = new Object();

    ProfileImpl(Path dir, Database db, ProfileLock lock, byte[] storeKey, Clock clock, ProfileManagerImpl manager,
            SecureRandom random) {
        this.dir = dir;
        this.db = db;
        this.lock = lock;
        this.clock = clock;
        this.manager = manager;
        byte[] hashKey = KeyDerivation.subKey(storeKey, KeyDerivation.Purpose.ADDRESS_HASH);
        this.contacts = new ContactStoreImpl(db, clock, hashKey);
        Arrays.fill(hashKey, (byte) 0);
        byte[] dropKey = KeyDerivation.subKey(storeKey, KeyDerivation.Purpose.DROP_SOURCE_HASH);
        this.drops = new DropStoreImpl(db, clock, dropKey, dir, random);
        Arrays.fill(dropKey, (byte) 0);
        this.messages = new MessageStoreImpl(db, clock, random);
        this.settings = new SettingsStoreImpl(db);
        byte[] filesKey = KeyDerivation.subKey(storeKey, KeyDerivation.Purpose.FILES);
        this.files = new FileStoreImpl(db, dir, clock, random, filesKey);
        Arrays.fill(filesKey, (byte) 0);
        this.groups = new GroupStoreImpl(db, clock);
        this.random = random;
        this.backupKey = KeyDerivation.subKey(storeKey, KeyDerivation.Purpose.BACKUP);
    }

    /** For tests in this package. */
    Database database() {
        return db;
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public IdentityKeyPair identity() throws StoreException {
        return db.transaction("reading the identity", tx -> {
            PreparedStatement ps = tx.prepare("SELECT identity_seed FROM profile WHERE id = 1");
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("the store holds no identity");
                }
                byte[] seed = rs.getBytes(1);
                try {
                    return IdentityKeyPair.fromSeed(seed);
                } finally {
                    Arrays.fill(seed, (byte) 0);
                }
            }
        });
    }

    @Override
    public Optional<String> nickname() throws StoreException {
        return db.transaction("reading the nickname", tx -> {
            PreparedStatement ps = tx.prepare("SELECT nickname FROM profile WHERE id = 1");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public void setNickname(String nickname) throws StoreException {
        String nick = ContactStoreImpl.cleanNickname(nickname);
        db.transaction("setting the nickname", tx -> {
            PreparedStatement ps = tx.prepare("UPDATE profile SET nickname = ? WHERE id = 1");
            ps.setString(1, nick);
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public ContactStore contacts() {
        return contacts;
    }

    @Override
    public MessageStore messages() {
        return messages;
    }

    @Override
    public FileStore files() {
        return files;
    }

    @Override
    public org.allium.contacts.api.DropStore drops() {
        return drops;
    }

    @Override
    public SettingsStore settings() {
        return settings;
    }

    @Override
    public GroupStore groups() {
        return groups;
    }

    @Override
    public void addListener(StoreListener listener) {
        db.addListener(listener);
    }

    @Override
    public void removeListener(StoreListener listener) {
        db.removeListener(listener);
    }

    @Override
    public boolean awaitEventsDelivered(java.time.Duration timeout) throws InterruptedException {
        return db.awaitEventsDelivered(timeout);
    }

    @Override
    public void changePassphrase(char[] current, char[] next) throws StoreException {
        ProfileManagerImpl.checkPassphrase(next);
        synchronized (headerLock) {
            if (!db.isOpen()) {
                throw new ProfileClosedException();
            }
            manager.rewrap(dir, current, next);
        }
    }

    @Override
    public void close() throws StoreException {
        synchronized (headerLock) {
            try {
                db.close(tx -> MessageStoreImpl.sweepSession(tx, clock.millis()));
            } finally {
                lock.close();
            }
        }
    }

    @Override
    public void wipe() throws StoreException {
        try {
            close();
        } catch (StoreException e) {
            // Panic: destroy the files whatever state the store is in.
        }
        manager.wipeDirectory(dir);
    }

    /** The key of {@link #backup}'s and restore's counts for the profile's files beside the store. */
    static final String FILES_KEY = "files/";

    @Override
    public java.util.Map<String, Integer> backup(Path file) throws StoreException {
        java.util.Objects.requireNonNull(file, "file");
        byte[] header;
        synchronized (headerLock) {
            if (!db.isOpen()) {
                throw new ProfileClosedException();
            }
            try {
                header = java.nio.file.Files.readAllBytes(dir.resolve(ProfileHeader.FILE_NAME));
            } catch (java.io.IOException e) {
                throw new StoreException("cannot read the profile header: " + Database.describe(e), e);
            }
        }
        BackupFile.Writer w;
        try {
            w = BackupFile.create(file.toAbsolutePath(), header, backupKey, random);
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create the backup file: " + Database.describe(e), e);
        }
        try {
            java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(w));
            java.util.Map<String, RowDump.TableRows> rows = db.dump(out);
            // After the rows: every file they refer to is at least as new as they are.
            ProfileFiles.Carried files = ProfileFiles.write(dir, out);
            out.flush();
            w.close();
            java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
            rows.forEach((t, r) -> counts.put(t.toLowerCase(java.util.Locale.ROOT), r.rows()));
            counts.put(FILES_KEY, files.files());
            return counts;
        } catch (java.io.IOException e) {
            w.abort();
            throw new StoreException("cannot write the backup file: " + Database.describe(e), e);
        } catch (StoreException | RuntimeException e) {
            w.abort();
            throw e;
        }
    }

    @Override
    public boolean isReadOnly() {
        return db.isReadOnly();
    }

    @Override
    public long checkDiskSpace() {
        return db.checkDiskSpace();
    }

    @Override
    public boolean isOpen() {
        return db.isOpen();
    }
}
