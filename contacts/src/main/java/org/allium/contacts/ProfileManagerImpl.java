package org.allium.contacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.allium.contacts.api.DamagedProfileException;
import org.allium.contacts.api.KdfParams;
import org.allium.contacts.api.NoSuchProfileException;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileExistsException;
import org.allium.contacts.api.ProfileManager;
import org.allium.contacts.api.RepairReport;
import org.allium.contacts.api.StoreException;
import org.allium.protocol.IdentityKeyPair;

/** {@link ProfileManager}: the wiring of one profile's lock, header, database and stores. */
final class ProfileManagerImpl implements ProfileManager {
    private static final Logger LOG = Logger.getLogger(ProfileManagerImpl.class.getName());

    private final Executor eventExecutor;
    private final Clock clock;
    private final SecureRandom random;
    private final Wiper wiper;
    private final KdfParams defaultKdf;

    ProfileManagerImpl(Executor eventExecutor, Clock clock, SecureRandom random, KdfParams defaultKdf) {
        this.defaultKdf = Objects.requireNonNull(defaultKdf, "defaultKdf");
        this.eventExecutor = Objects.requireNonNull(eventExecutor, "eventExecutor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.wiper = new Wiper(random);
    }

    @Override
    public Profile create(Path directory, char[] passphrase, String nickname) throws StoreException {
        return create(directory, passphrase, nickname, defaultKdf);
    }

    @Override
    public Profile create(Path directory, char[] passphrase, String nickname, KdfParams kdf) throws StoreException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(kdf, "kdf");
        checkPassphrase(passphrase);
        String nick = ContactStoreImpl.cleanNickname(nickname);
        Path dir = directory.toAbsolutePath().normalize();
        boolean createdDir = !Files.exists(dir);
        if (!createdDir && !isEmptyDirectory(dir)) {
            throw new ProfileExistsException("the directory is not empty; a profile needs an empty or new directory");
        }
        try {
            FileSystemSupport.createPrivateDirectory(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create the profile directory: " + e.getClass().getSimpleName(), e);
        }
        ProfileLock lock = null;
        Database db = null;
        byte[] storeKey = new byte[KeyDerivation.KEY_LENGTH];
        random.nextBytes(storeKey);
        try {
            lock = ProfileLock.acquire(dir);
            ProfileHeader header = ProfileHeader.seal(storeKey, passphrase, kdf, random);
            db = Database.open(dir, storeKey, true, eventExecutor, random);
            db.migrate(); // a new store: no commit log yet, nothing to recover
            db.startLog();
            IdentityKeyPair identity = IdentityKeyPair.generate(random);
            db.transaction("creating the profile", tx -> {
                PreparedStatement ps = tx.prepare(
                        "INSERT INTO profile (id, identity_seed, nickname, created_at) VALUES (1, ?, ?, ?)");
                byte[] seed = identity.seed();
                try {
                    ps.setBytes(1, seed);
                    ps.setString(2, nick);
                    ps.setLong(3, clock.millis());
                    ps.executeUpdate();
                } finally {
                    Arrays.fill(seed, (byte) 0);
                }
                return null;
            });
            // Written last: a profile exists once its header does, so a crash during creation
            // leaves no half-made profile that asks for a passphrase.
            header.writeAtomically(dir);
            LOG.fine("profile created");
            return new ProfileImpl(dir, db, lock, storeKey, clock, this, random);
        } catch (StoreException | RuntimeException e) {
            cleanUpFailedCreate(dir, db, lock, createdDir, e);
            throw e;
        } finally {
            Arrays.fill(storeKey, (byte) 0);
        }
    }

    @Override
    public Profile open(Path directory, char[] passphrase) throws StoreException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(passphrase, "passphrase");
        Path dir = directory.toAbsolutePath().normalize();
        if (!exists(dir)) {
            throw new NoSuchProfileException("no Allium profile in this directory");
        }
        if (!writable(dir)) {
            return openReadOnly(dir, passphrase);
        }
        ProfileLock lock = ProfileLock.acquire(dir);
        Database db = null;
        byte[] storeKey = null;
        try {
            // The header check comes before H2 sees anything: a wrong passphrase modifies no file.
            storeKey = ProfileHeader.read(dir).unseal(passphrase);
            db = Database.open(dir, storeKey, false, eventExecutor, random);
            db.migrate();
            db.recover(Replay::apply);
            db.transaction("starting a session", tx -> MessageStoreImpl.sweepSession(tx, clock.millis()));
            LOG.fine("profile opened");
            return new ProfileImpl(dir, db, lock, storeKey, clock, this, random);
        } catch (StoreException | RuntimeException e) {
            if (db != null) {
                try {
                    db.close(null);
                } catch (StoreException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            lock.close();
            throw e;
        } finally {
            if (storeKey != null) {
                Arrays.fill(storeKey, (byte) 0);
            }
        }
    }

    /**
     * Whether this process can write the profile: its file system is not mounted read-only
     * and it may write the directory and every file of the profile there is.
     */
    static boolean writable(Path dir) {
        try {
            if (Files.getFileStore(dir).isReadOnly()) {
                return false;
            }
        } catch (IOException e) {
            // Unknown: the permissions below decide.
        }
        if (!Files.isWritable(dir)) {
            return false;
        }
        for (String name : new String[] {ProfileLock.FILE_NAME, Database.FILE_NAME, CommitLog.FILE_NAME}) {
            Path f = dir.resolve(name);
            if (Files.exists(f) && !Files.isWritable(f)) {
                return false;
            }
        }
        return true;
    }

    /** Opens a profile that cannot be written: reading only, every change refused. */
    private Profile openReadOnly(Path dir, char[] passphrase) throws StoreException {
        ProfileLock lock = ProfileLock.acquireShared(dir);
        byte[] storeKey = null;
        try {
            storeKey = ProfileHeader.read(dir).unseal(passphrase);
            Database db = Database.openReadOnly(dir, storeKey, eventExecutor, random);
            LOG.fine("profile opened read-only");
            return new ProfileImpl(dir, db, lock, storeKey, clock, this, random);
        } catch (StoreException | RuntimeException e) {
            lock.close();
            throw e;
        } finally {
            if (storeKey != null) {
                Arrays.fill(storeKey, (byte) 0);
            }
        }
    }

    @Override
    public void changePassphrase(Path directory, char[] current, char[] next) throws StoreException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(current, "current");
        checkPassphrase(next);
        Path dir = directory.toAbsolutePath().normalize();
        if (!exists(dir)) {
            throw new NoSuchProfileException("no Allium profile in this directory");
        }
        try (ProfileLock lock = ProfileLock.acquire(dir)) {
            rewrap(dir, current, next);
        }
    }

    /** Re-wraps the store key of {@code dir} under {@code next}; the caller holds the profile lock. */
    void rewrap(Path dir, char[] current, char[] next) throws StoreException {
        ProfileHeader old = ProfileHeader.read(dir);
        byte[] storeKey = old.unseal(current);
        try {
            // Upgrade to the current default cost, but never silently weaken a stronger one.
            KdfParams d = defaultKdf;
            KdfParams params = old.params().memoryKiB() >= d.memoryKiB() && old.params().iterations() >= d.iterations()
                    ? old.params() : d;
            ProfileHeader.seal(storeKey, next, params, random).writeAtomically(dir);
        } finally {
            Arrays.fill(storeKey, (byte) 0);
        }
    }

    @Override
    public java.util.Map<String, Integer> restore(Path backup, Path directory, char[] passphrase)
            throws StoreException {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(passphrase, "passphrase");
        Path dir = directory.toAbsolutePath().normalize();
        String name = backup.getFileName().toString();
        boolean createdDir = !Files.exists(dir);
        if (!createdDir && !isEmptyDirectory(dir)) {
            throw new ProfileExistsException("the directory is not empty; restore into an empty or new directory");
        }
        ProfileLock lock = null;
        Database db = null;
        byte[] storeKey = null;
        List<Path> created = new ArrayList<>(); // the profile's files beside the store, as restored
        try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(backup))) {
            ProfileHeader header;
            BackupFile.Head head;
            try {
                head = BackupFile.readHeader(in);
                header = ProfileHeader.decode(head.header());
            } catch (DamagedProfileException e) {
                throw new DamagedProfileException(name, "its copy of the profile header is damaged",
                        "Nothing was restored. Use another backup.");
            } catch (java.io.IOException e) {
                throw new DamagedProfileException(name, e.getMessage() == null ? "it cannot be read" : e.getMessage(),
                        "Nothing was restored. Use another backup.");
            }
            storeKey = header.unseal(passphrase);
            byte[] backupKey = KeyDerivation.subKey(storeKey, KeyDerivation.Purpose.BACKUP);
            java.util.Map<String, RowDump.TableRows> rows;
            ProfileFiles.Carried files = new ProfileFiles.Carried(0, 0);
            try {
                FileSystemSupport.createPrivateDirectory(dir);
                lock = ProfileLock.acquire(dir);
                db = Database.open(dir, storeKey, true, eventExecutor, random);
                db.migrate();
                java.io.InputStream plain = BackupFile.open(in, backupKey);
                java.io.DataInputStream data = new java.io.DataInputStream(plain);
                rows = db.load(data);
                if (head.version() >= BackupFile.VERSION) {
                    files = ProfileFiles.read(data, dir, created);
                }
                if (plain.read() >= 0) { // also authenticates the last part
                    throw new java.io.IOException("it has data after its end");
                }
                db.startLog();
                db.close(null);
                db = null;
                header.writeAtomically(dir); // last: a profile exists once its header does
            } catch (java.io.IOException e) {
                throw new DamagedProfileException(name, e.getMessage() == null ? "it cannot be read"
                        : e.getMessage(), "Nothing was restored. Use another backup.");
            } finally {
                Arrays.fill(backupKey, (byte) 0);
            }
            lock.close();
            lock = null;
            java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
            rows.forEach((t, r) -> counts.put(t.toLowerCase(java.util.Locale.ROOT), r.rows()));
            counts.put(ProfileImpl.FILES_KEY, files.files());
            return counts;
        } catch (java.io.IOException e) {
            cleanUpFailedCreate(dir, db, lock, createdDir, created, e);
            throw new StoreException("cannot read the backup file: " + Database.describe(e), e);
        } catch (StoreException | RuntimeException e) {
            cleanUpFailedCreate(dir, db, lock, createdDir, created, e);
            throw e;
        } finally {
            if (storeKey != null) {
                Arrays.fill(storeKey, (byte) 0);
            }
        }
    }

    @Override
    public RepairReport repair(Path directory, char[] passphrase) throws StoreException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(passphrase, "passphrase");
        Path dir = directory.toAbsolutePath().normalize();
        if (!exists(dir)) {
            throw new NoSuchProfileException("no Allium profile in this directory");
        }
        try (ProfileLock lock = ProfileLock.acquire(dir)) {
            byte[] storeKey = ProfileHeader.read(dir).unseal(passphrase);
            try {
                return new Repair(dir, storeKey, eventExecutor, random, clock).run();
            } finally {
                Arrays.fill(storeKey, (byte) 0);
            }
        }
    }

    @Override
    public boolean exists(Path directory) {
        return Files.isRegularFile(directory.resolve(ProfileHeader.FILE_NAME));
    }

    @Override
    public void wipe(Path directory) throws StoreException {
        Objects.requireNonNull(directory, "directory");
        wiper.wipe(directory.toAbsolutePath().normalize());
    }

    void wipeDirectory(Path dir) throws StoreException {
        wiper.wipe(dir);
    }

    static void checkPassphrase(char[] passphrase) {
        Objects.requireNonNull(passphrase, "passphrase");
        if (passphrase.length == 0) {
            throw new IllegalArgumentException("the passphrase must not be empty");
        }
    }

    private static boolean isEmptyDirectory(Path dir) throws StoreException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new StoreException("cannot read the profile directory: " + e.getClass().getSimpleName(), e);
        }
    }

    private static void cleanUpFailedCreate(Path dir, Database db, ProfileLock lock, boolean createdDir,
            Exception failure) {
        cleanUpFailedCreate(dir, db, lock, createdDir, List.of(), failure);
    }

    private static void cleanUpFailedCreate(Path dir, Database db, ProfileLock lock, boolean createdDir,
            List<Path> created, Exception failure) {
        for (int i = created.size() - 1; i >= 0; i--) { // files before the directories holding them
            try {
                Files.deleteIfExists(created.get(i));
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        if (db != null) {
            try {
                db.close(null);
            } catch (StoreException e) {
                failure.addSuppressed(e);
            }
        }
        if (lock == null) {
            return;
        }
        // Only files this attempt made: the directory was empty when we started.
        for (String name : new String[] {ProfileHeader.FILE_NAME, ProfileHeader.FILE_NAME + ".tmp",
                Database.FILE_NAME, CommitLog.FILE_NAME, CommitLog.FILE_NAME + ".new", ProfileLock.FILE_NAME}) {
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        lock.close();
        if (createdDir) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
