package org.allium.contacts;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.allium.contacts.api.DiskFullException;
import org.allium.contacts.api.ProfileClosedException;
import org.allium.contacts.api.ReadOnlyProfileException;
import org.allium.contacts.api.StoreEvent;
import org.allium.contacts.api.StoreException;
import org.allium.contacts.api.StoreListener;

/**
 * The encrypted H2 database of one profile and its transaction manager: work is a lambda
 * run in one transaction; events it attaches are handed to the event executor only after
 * the commit succeeded (Briar's TransactionManager idea), in commit order.
 *
 * <p>Thread-safe: one JDBC connection, used under one lock, so transactions are serialized.
 * H2 in-process commits take microseconds to a millisecond, so the simplicity is worth it.
 */
final class Database {
    private static final Logger LOG = Logger.getLogger(Database.class.getName());
    static final String BASE_NAME = "store";
    static final String FILE_NAME = BASE_NAME + ".mv.db";
    private static final String USER = "allium";

    /** Work done in one transaction. */
    @FunctionalInterface
    interface Work<R> {
        R run(Tx tx) throws SQLException, StoreException;
    }

    /** The transaction a {@link Work} runs in. Valid only during that run. */
    final class Tx {
        private final List<StoreEvent> events = new ArrayList<>();
        private final List<CommitLog.Entry> logged = new ArrayList<>();
        private boolean writes;

        /** A cached prepared statement; parameters must all be set by the caller. */
        PreparedStatement prepare(String sql) throws SQLException {
            // Plain SELECTs never change data; anything else (including SELECT ... FROM FINAL TABLE
            // (INSERT ...)) makes the transaction one that must be synced to disk.
            if (!writes && (!sql.startsWith("SELECT") || sql.contains("FINAL TABLE"))) {
                // The first write of the transaction: refused before H2 touches the disk when
                // the disk is (nearly) full, so H2 never meets a failed write on this path.
                if (readOnly) {
                    throw new Refused(new ReadOnlyProfileException());
                }
                long need = spaceNeeded(minFree);
                if (need > 0) {
                    throw new Refused(new DiskFullException(need));
                }
                writes = true;
            }
            PreparedStatement ps = statements.get(sql);
            if (ps == null) {
                ps = connection.prepareStatement(sql);
                statements.put(sql, ps);
            }
            return ps;
        }

        /** Publishes {@code event} if and only if this transaction commits. */
        void attach(StoreEvent event) {
            events.add(event);
        }

        /**
         * Records the redo entry of what this transaction wrote; a {@link Durability#LOGGED}
         * transaction is durable through these entries, so they must describe all its writes.
         */
        void log(CommitLog.Entry entry) {
            logged.add(entry);
        }
    }

    /**
     * Writes are refused while less than this is free on the profile's disk: room for H2's
     * next chunks (copy-on-write; freed ones are kept 45 s), the commit log's next units and a
     * synced checkpoint. A write that fails anyway (another program filled the disk after the
     * check) closes H2; the store is then reopened, checked and its log replayed, once there
     * is room again.
     */
    static final long MIN_FREE_BYTES = 8L * 1024 * 1024;

    /** The first write of a transaction was refused (too little free space, a read-only store). */
    static final class Refused extends SQLException {
        private static final long serialVersionUID = 1L;
        final StoreException reason;

        Refused(StoreException reason) {
            super("refused");
            this.reason = reason;
        }
    }

    /** Past this size the log is folded into a synced store file and emptied. */
    static final long LOG_LIMIT = 1024 * 1024;

    private final Executor eventExecutor;
    private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock: null once closed.
    private Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    // Guarded by lock (replaced when the store is reopened).
    private PreparedStatement checkpoint;
    private final Path dir;
    // The file system of the profile, for its free space; null if it cannot be told.
    private final java.nio.file.FileStore disk;
    // Guarded by lock: the store key, to reopen after a failed write closed H2; wiped at close.
    private final byte[] storeKey;
    // Guarded by lock: how logged changes are re-applied (the messages' redo; also set by recover).
    private Redo redo = Replay::apply;
    // Guarded by lock: the free space still missing while writes are refused (0: writes work).
    private long diskNeeded;
    // Guarded by lock: a failed write closed H2 (its connection is dead); reopen before use.
    private boolean broken;
    // Opened with ACCESS_MODE_DATA=r (read-only media or files): every write is refused.
    private final boolean readOnly;
    // Guarded by lock: writes are refused below this much free space (lowered only by tests).
    private long minFree = MIN_FREE_BYTES;
    private final javax.crypto.spec.SecretKeySpec logKey;
    private final SecureRandom random;
    // Guarded by lock: null until startLog (and for a store opened read-only).
    private CommitLog log;
    // Guarded by lock: what store_state.log_folded says (frames below it are in the synced file).
    private long folded;
    // Guarded by lock: what store_state.sync_count says.
    private long syncCount;
    // Guarded by lock: after a failure to empty the log, LOGGED transactions sync the store instead.
    private boolean logBroken;
    // Guarded by lock: what the check before opening found (its changes to replay), until recover.
    private StoreCheck.Result check;

    private Database(Connection connection, Executor eventExecutor, Path dir, byte[] storeKey, SecureRandom random,
            StoreCheck.Result check, boolean readOnly) throws SQLException {
        this.connection = connection;
        this.eventExecutor = eventExecutor;
        this.readOnly = readOnly;
        this.checkpoint = readOnly ? null : connection.prepareStatement("CHECKPOINT SYNC");
        this.dir = dir;
        this.disk = fileStore(dir);
        this.storeKey = storeKey.clone();
        this.logKey = CommitLog.key(storeKey);
        this.random = random;
        this.check = check;
    }

    /**
     * Opens (or with {@code create}, creates) the database in {@code dir} with keys derived
     * from {@code storeKey}. The caller has checked the key against the header, so H2 never
     * sees a wrong key and never rewrites a file because of one. An existing store and its
     * commit log are first {@linkplain StoreCheck checked read-only}; if either is damaged,
     * nothing is opened for writing and every file stays as it was.
     *
     * @throws org.allium.contacts.api.DamagedProfileException if the store or log is damaged
     */
    static Database open(Path dir, byte[] storeKey, boolean create, Executor eventExecutor, SecureRandom random)
            throws StoreException {
        StoreCheck.Result check = null;
        if (!create) {
            check = StoreCheck.check(dir, storeKey);
            check.throwIfDamaged();
        }
        Connection c = null;
        try {
            c = connect(dir, storeKey, create, false);
            FileSystemSupport.restrictToOwner(dir.resolve(FILE_NAME));
            return new Database(c, eventExecutor, dir, storeKey, random, check, false);
        } catch (SQLException e) {
            closeQuietly(c);
            throw Sql.scrub("opening the store", e);
        } catch (java.io.IOException e) {
            closeQuietly(c);
            throw new StoreException("cannot open the store's files: " + e.getClass().getSimpleName(), e);
        }
    }

    private static java.nio.file.FileStore fileStore(Path dir) {
        try {
            return java.nio.file.Files.getFileStore(dir);
        } catch (java.io.IOException | SecurityException e) {
            LOG.log(Level.WARNING, "cannot tell the free space of the profile's disk ({0})", e.getClass().getSimpleName());
            return null;
        }
    }

    /** Bytes of free space missing before writes are allowed; 0 if there is enough (or it cannot be told). */
    private long spaceNeeded(long threshold) {
        if (disk == null) {
            return 0;
        }
        try {
            long free = disk.getUsableSpace();
            return free >= threshold ? 0 : threshold - free;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /**
     * For tests: the free space below which a write is refused before it starts (0: only a
     * failing write tells). Writes resume only once {@link #MIN_FREE_BYTES} are free.
     */
    void setMinFreeBytes(long bytes) {
        lock.lock();
        try {
            minFree = bytes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Opens the store of {@code dir} for reading only (H2's ACCESS_MODE_DATA=r: no file is
     * opened for writing, no log is started, nothing is replayed or migrated), after the same
     * read-only check as {@link #open}. For profiles on read-only media. Changes still only in
     * the commit log (the profile was not closed cleanly) are not shown: they cannot be
     * replayed without writing.
     */
    static Database openReadOnly(Path dir, byte[] storeKey, Executor eventExecutor, SecureRandom random)
            throws StoreException {
        StoreCheck.Result check = StoreCheck.check(dir, storeKey);
        check.throwIfDamaged();
        if (!check.replay().isEmpty()) {
            LOG.warning(check.replay().size() + " logged changes are not shown: the profile was not closed cleanly,"
                    + " and a read-only profile cannot replay its log");
        }
        Connection c = null;
        try {
            c = connect(dir, storeKey, false, true);
            Database db = new Database(c, eventExecutor, dir, storeKey, random, null, true);
            int version = Schema.currentVersion(c);
            if (version != Schema.LATEST) {
                db.close(null);
                throw new StoreException("this profile's store has format " + version + ", this Allium reads "
                        + Schema.LATEST + ": open it once where it can be written");
            }
            return db;
        } catch (SQLException e) {
            closeQuietly(c);
            throw Sql.scrub("opening the store read-only", e);
        }
    }

    boolean isReadOnly() {
        return readOnly;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // already failing
            }
        }
    }

    /**
     * A JDBC connection to the H2 store of {@code dir}, auto-commit off. Read-only opens the
     * file for reading only (H2 cannot write it, not even to recover); a writable connection
     * gets the {@link RowMac} key.
     */
    static Connection connect(Path dir, byte[] storeKey, boolean create, boolean readOnly) throws SQLException,
            StoreException {
        String path = dir.toAbsolutePath().resolve(BASE_NAME).toString();
        if (path.indexOf(';') >= 0) {
            throw new StoreException("the profile directory path must not contain ';'");
        }
        // CIPHER=AES: H2's XTS-AES file encryption of every page, including temporary result files.
        // TRACE_LEVEL_FILE=0: no .trace.db (it would hold SQL text and values).
        // WRITE_DELAY=500 keeps H2's background writer, which also reclaims old chunks; durability
        // does not rely on it: transaction() makes every commit durable itself (log or CHECKPOINT SYNC).
        // (WRITE_DELAY=0 would write each commit too, but stops that background thread, and the
        // file then grows by every commit's pages until it is closed.)
        // DB_CLOSE_ON_EXIT=FALSE: we close it ourselves, in order.
        String url = "jdbc:h2:file:" + path + ";CIPHER=AES;TRACE_LEVEL_FILE=0;TRACE_LEVEL_SYSTEM_OUT=0"
                + ";WRITE_DELAY=500;DB_CLOSE_ON_EXIT=FALSE;IFEXISTS=" + (create ? "FALSE" : "TRUE")
                + (readOnly ? ";ACCESS_MODE_DATA=r" : "");
        byte[] fileKey = KeyDerivation.subKey(storeKey, KeyDerivation.Purpose.H2_FILE);
        byte[] userKey = KeyDerivation.subKey(storeKey, KeyDerivation.Purpose.H2_USER);
        byte[] rowKey = KeyDerivation.subKey(storeKey, KeyDerivation.Purpose.ROW_MAC);
        char[] fileHex = KeyDerivation.hexChars(fileKey);
        char[] userHex = KeyDerivation.hexChars(userKey);
        // H2 takes "<file password> <user password>" when CIPHER is set; as a char[] it can be wiped.
        char[] password = new char[fileHex.length + 1 + userHex.length];
        System.arraycopy(fileHex, 0, password, 0, fileHex.length);
        password[fileHex.length] = ' ';
        System.arraycopy(userHex, 0, password, fileHex.length + 1, userHex.length);
        Properties props = new Properties();
        props.put("user", USER);
        props.put("password", password);
        try {
            Connection c = new org.h2.Driver().connect(url, props);
            if (c == null) {
                throw new StoreException("the H2 driver refused the URL");
            }
            try {
                c.setAutoCommit(false);
                if (!readOnly) {
                    try (PreparedStatement ps = c.prepareStatement("SET " + RowMac.KEY_VARIABLE + " = ?")) {
                        ps.setBytes(1, rowKey);
                        ps.execute();
                    }
                }
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return c;
        } finally {
            Arrays.fill(fileKey, (byte) 0);
            Arrays.fill(userKey, (byte) 0);
            Arrays.fill(rowKey, (byte) 0);
            Arrays.fill(fileHex, (char) 0);
            Arrays.fill(userHex, (char) 0);
            Arrays.fill(password, (char) 0);
        }
    }

    /** Applies pending schema migrations ({@link Schema}); returns the version found before. */
    int migrate() throws StoreException {
        lock.lock();
        try {
            if (connection == null) {
                throw new ProfileClosedException();
            }
            try {
                return Schema.migrate(connection);
            } catch (SQLException e) {
                rollback();
                throw Sql.scrub("migrating the schema", e);
            }
        } finally {
            lock.unlock();
        }
    }

    void addListener(StoreListener l) {
        listeners.add(l);
    }

    void removeListener(StoreListener l) {
        listeners.remove(l);
    }

    /** A no-op queued behind every event published so far: done when they are (one ordered executor). */
    boolean awaitEventsDelivered(java.time.Duration timeout) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try {
            eventExecutor.execute(done::countDown);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
        return done.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code work} in one transaction and commits it; on any exception rolls back and
     * rethrows (SQL errors as a scrubbed {@link StoreException}). Attached events go to the
     * event executor after the commit, before the next transaction can start.
     */
    <R> R transaction(String operation, Work<R> work) throws StoreException {
        return transaction(operation, Durability.SYNCED, work);
    }

    /** How far a committed transaction must have reached before {@link #transaction} returns. */
    enum Durability {
        /** Written and fsynced: survives a killed process and a lost machine. */
        SYNCED,
        /**
         * Committed in H2 and durable through the {@link CommitLog}: the transaction's redo
         * entries ({@link Tx#log}) are appended and synced; H2 writes its pages in the
         * background. Survives a killed process and a lost machine like SYNCED, at a third of
         * the cost. Its events are published once the entries are written (they survive the
         * process), while the sync runs: listeners may act on it up to one fdatasync before
         * it would survive a power cut. A LOGGED transaction that logged nothing is SYNCED.
         */
        LOGGED,
        /**
         * Committed in H2 (visible, consistent) and written by H2's background writer within
         * about WRITE_DELAY, or by the next SYNCED commit, whichever comes first. A crash
         * before that brings the previous state back, never a partial one. Only for changes
         * that the protocol repeats after a crash anyway (delivery status: the message is
         * resent, the receiver recognises it and acknowledges again).
         */
        RELAXED
    }

    /** As {@link #transaction(String, Work)}, with the given durability for a writing transaction. */
    <R> R transaction(String operation, Durability durability, Work<R> work) throws StoreException {
        lock.lock();
        try {
            ensureUsable();
            Tx tx = new Tx();
            R result;
            boolean published = false;
            try {
                result = work.run(tx);
                connection.commit();
                // The commit is in H2's memory; each writing transaction is made durable as its
                // Durability says before we return.
                if (tx.writes) {
                    if (durability == Durability.LOGGED && !tx.logged.isEmpty() && log != null && !logBroken) {
                        if (writeLog(tx.logged)) {
                            // Committed and written: it survives the end of this process, so
                            // listeners hear of it now, while the disk sync below runs.
                            publishAll(tx.events);
                            published = true;
                            forceLog();
                        }
                    } else if (durability != Durability.RELAXED) {
                        sync();
                    }
                }
            } catch (SQLException e) {
                throw failed(operation, e);
            } catch (StoreException | RuntimeException | Error e) {
                StoreException full = failed(operation, null);
                if (full instanceof DiskFullException) {
                    throw full;
                }
                throw e;
            }
            if (!published) {
                publishAll(tx.events);
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes sure the store can be used: refuses a closed profile; after a failed write closed
     * H2, reopens it (checked, log replayed) if there is room again, else refuses with
     * {@link DiskFullException}; notices when space came back. Call with the lock held.
     */
    private void ensureUsable() throws StoreException {
        if (connection == null) {
            throw new ProfileClosedException();
        }
        if (broken) {
            long need = spaceNeeded(MIN_FREE_BYTES);
            if (need > 0) {
                noteDiskFull(need);
                throw new DiskFullException(need);
            }
            reopen();
        }
        if (diskNeeded > 0) {
            long need = spaceNeeded(MIN_FREE_BYTES);
            if (need == 0) {
                diskNeeded = 0;
                LOG.warning("there is room on the profile's disk again: writes resume");
                publish(new StoreEvent.DiskSpaceChanged(0));
            } else {
                diskNeeded = need;
            }
        }
    }

    /**
     * Cleans up after a failed transaction (rolls back, or after H2 closed itself marks the
     * store for reopening) and returns what to throw: {@link DiskFullException} when the disk
     * is full, else the scrubbed {@code e} (null: the caller rethrows its own exception).
     */
    private StoreException failed(String operation, SQLException e) {
        if (e instanceof Refused r) {
            rollback();
            if (r.reason instanceof DiskFullException d) {
                noteDiskFull(d.bytesNeeded());
            }
            return r.reason;
        }
        if (storeFailed(e) || connectionDead()) {
            // H2 closes itself when a write fails (e.g. no space left): a rollback can only fail
            // too. Its file and the commit log are as after a crash; reopen() picks them up.
            markBroken();
            long need = spaceNeeded(MIN_FREE_BYTES);
            if (need == 0 && noSpaceLeft(e)) {
                need = MIN_FREE_BYTES;
            }
            if (need > 0) {
                noteDiskFull(need);
                return new DiskFullException(need);
            }
            return e == null ? null : Sql.scrub(operation, e);
        }
        rollback();
        return e == null ? null : Sql.scrub(operation, e);
    }

    /**
     * Whether H2's file store failed under {@code e}: MVStore closes itself on a failed write
     * (its "panic"), though the connection answers a while longer.
     */
    private static boolean storeFailed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.h2.mvstore.MVStoreException || t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /** Whether H2 has closed this connection's database (after a failed write). */
    private boolean connectionDead() {
        // isValid() stays true after H2 closed its store on a failed write; a statement tells.
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT 1");
            return false;
        } catch (SQLException e) {
            return e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_IS_CLOSED
                    || e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_CALLED_AT_SHUTDOWN
                    || e.getErrorCode() == org.h2.api.ErrorCode.OBJECT_CLOSED
                    || e.getErrorCode() == org.h2.api.ErrorCode.CONNECTION_BROKEN_1;
        }
    }

    /** Whether "No space left on device" is somewhere in {@code e}'s causes (the message is the OS's, never data). */
    private static boolean noSpaceLeft(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException && t.getMessage() != null
                    && t.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }

    private void noteDiskFull(long need) {
        if (diskNeeded == 0) {
            // Once per episode, not per refused write.
            LOG.log(Level.WARNING, "the profile''s disk is full ({0} MB more needed): writes are refused until there"
                    + " is room", DiskFullException.megabytes(need));
            diskNeeded = need;
            publish(new StoreEvent.DiskSpaceChanged(need));
        } else {
            diskNeeded = need;
        }
    }

    /** H2 closed itself: drop the dead connection and the log; {@link #reopen} starts afresh. */
    private void markBroken() {
        broken = true;
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // dead anyway
            }
        }
        statements.clear();
        closeQuietly(connection);
        if (log != null) {
            try {
                log.close();
            } catch (java.io.IOException ignored) {
                // its frames are on disk as far as they got; the check on reopen reads them
            }
            log = null;
        }
    }

    /**
     * Opens the store again after H2 closed itself: the same read-only check as at open, then
     * the log's frames replayed and a new log generation started.
     */
    private void reopen() throws StoreException {
        StoreCheck.Result c = StoreCheck.check(dir, storeKey);
        c.throwIfDamaged();
        Connection fresh;
        try {
            fresh = connect(dir, storeKey, false, false);
        } catch (SQLException e) {
            throw Sql.scrub("reopening the store", e);
        }
        try {
            checkpoint = fresh.prepareStatement("CHECKPOINT SYNC");
        } catch (SQLException e) {
            closeQuietly(fresh);
            throw Sql.scrub("reopening the store", e);
        }
        connection = fresh;
        broken = false;
        logBroken = false;
        check = c;
        int replayed = recover(redo);
        LOG.warning("the store was reopened after a failed write (" + replayed + " logged changes replayed)");
    }

    /**
     * For the profile's writes outside H2 (file transfer data in {@code files/}): refuses
     * below the same free space as the store's own writes, as one disk-full episode with them
     * (one {@link StoreEvent.DiskSpaceChanged}; {@link #checkDiskSpace} sees the room come
     * back). {@code failed}: such a write already failed for lack of space, so refuse anyway.
     */
    void requireRoom(boolean failed) throws DiskFullException {
        lock.lock();
        try {
            long need = spaceNeeded(minFree);
            if (need == 0 && failed) {
                need = MIN_FREE_BYTES;
            }
            if (need > 0) {
                noteDiskFull(need);
                throw new DiskFullException(need);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The disk space still missing before writes work (0: they do); reopens the store first
     * if a failed write closed it and there is room now. See {@link #ensureUsable}.
     */
    long checkDiskSpace() {
        lock.lock();
        try {
            if (connection == null) {
                return 0;
            }
            try {
                ensureUsable();
            } catch (DiskFullException e) {
                return e.bytesNeeded();
            } catch (StoreException e) {
                LOG.log(Level.WARNING, "reopening the store failed: {0}", e.getMessage());
                return Math.max(1, diskNeeded);
            }
            if (diskNeeded == 0 && broken) {
                return 1;
            }
            return diskNeeded;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes a LOGGED transaction's entries to the log; if that fails, makes the store file
     * durable instead.
     *
     * @return whether the entries are in the log (still to be forced)
     */
    private boolean writeLog(List<CommitLog.Entry> entries) throws SQLException {
        try {
            log.write(entries);
            return true;
        } catch (java.io.IOException e) {
            LOG.log(Level.WARNING, "appending to the commit log failed ({0}); syncing the store instead",
                    e.getClass().getSimpleName());
            logBroken = true;
            sync();
            return false;
        }
    }

    /** Syncs what {@link #writeLog} wrote; if that fails, makes the store file durable instead. */
    private void forceLog() throws SQLException {
        try {
            log.force();
            if (log.size() > LOG_LIMIT) {
                sync();
            }
        } catch (java.io.IOException e) {
            LOG.log(Level.WARNING, "syncing the commit log failed ({0}); syncing the store instead",
                    e.getClass().getSimpleName());
            logBroken = true;
            sync();
        }
    }

    private void publishAll(List<StoreEvent> events) {
        for (StoreEvent event : events) {
            publish(event);
        }
    }

    /**
     * CHECKPOINT SYNC: everything committed so far is written and fsynced into the store
     * file, so the log's entries are no longer needed and it is emptied.
     */
    private void sync() throws SQLException {
        sync(false);
    }

    /**
     * CHECKPOINT SYNC: everything committed so far is written and fsynced into the store
     * file, together with the log's progress and the next sync count; the log is then emptied
     * and its header records that count (so a store file that later falls back to an earlier
     * state is told by a lower count). {@code clean}: the store is being closed.
     */
    private void sync(boolean clean) throws SQLException {
        if (log == null) {
            checkpoint.execute();
            return;
        }
        long count = syncCount + 1;
        recordLog(null, log.nextIndex(), clean, count);
        checkpoint.execute();
        try {
            log.reset(count);
        } catch (java.io.IOException e) {
            // Its entries are in the file now, and replaying them is harmless; only appending
            // after a failed truncation is not trusted.
            LOG.log(Level.WARNING, "emptying the commit log failed ({0})", e.getClass().getSimpleName());
            logBroken = true;
        }
    }

    /** Re-applies one logged change if it is missing; must be idempotent. Returns whether it was missing. */
    @FunctionalInterface
    interface Redo {
        boolean apply(Tx tx, CommitLog.Entry entry) throws SQLException, StoreException;
    }

    /**
     * Re-applies what the commit log holds (changes that were durable only there when the
     * store was last used; checked when it was opened), syncs the store file and starts a new
     * log generation. Call once, right after opening and migrating, before any other
     * transaction.
     *
     * @return how many entries were replayed
     */
    int recover(Redo redo) throws StoreException {
        lock.lock();
        try {
            if (connection == null) {
                throw new ProfileClosedException();
            }
            this.redo = redo;
            List<CommitLog.Entry> entries = check == null ? List.of() : check.replay();
            // Every frame of the old log is in the store once the transaction below is synced:
            // fold them all, so that a crash before the new log exists leaves a store whose old
            // log holds nothing after its clean close (not "damage" at the next open).
            long foldTo = check != null && check.state() != null ? check.state().folded() : folded;
            if (check != null && check.log() != null) {
                for (CommitLog.Frame f : check.log().frames()) {
                    foldTo = Math.max(foldTo, f.index() + 1);
                }
            }
            long foldedAfter = foldTo;
            check = null;
            try {
                syncCount = readSyncCount();
            } catch (SQLException e) {
                throw Sql.scrub("reading the store's state", e);
            }
            transaction("recovering logged changes", Durability.SYNCED, tx -> {
                for (CommitLog.Entry e : entries) {
                    redo.apply(tx, e);
                }
                // Everything the old log held is in the store now: it is closed, as if cleanly.
                PreparedStatement ps = tx.prepare("UPDATE store_state SET log_clean = TRUE, log_folded = ? WHERE id = 1");
                ps.setLong(1, foldedAfter);
                ps.executeUpdate();
                return null;
            });
            startLog();
            if (!entries.isEmpty()) {
                LOG.fine("replayed " + entries.size() + " logged changes");
            }
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a new commit log generation and records it in the store before any frame is
     * written. Call with the lock held, after the previous log's changes are in the synced
     * store file.
     */
    void startLog() throws StoreException {
        lock.lock();
        try {
            CommitLog fresh;
            try {
                fresh = CommitLog.create(dir, logKey, random, syncCount);
            } catch (java.io.IOException e) {
                throw new StoreException("cannot create the commit log: " + e.getClass().getSimpleName(), e);
            }
            try {
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO log_history (generation) VALUES (?)")) {
                    ps.setBytes(1, fresh.generation());
                    ps.executeUpdate();
                }
                recordLog(fresh.generation(), 0, false, syncCount);
                checkpoint.execute();
            } catch (SQLException e) {
                try {
                    fresh.close();
                } catch (java.io.IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                rollback();
                throw Sql.scrub("starting the commit log", e);
            }
            log = fresh;
        } finally {
            lock.unlock();
        }
    }

    /** Updates store_state (generation unchanged when null) and commits, in memory; the caller syncs. */
    private void recordLog(byte[] generation, long foldedIndex, boolean clean, long count) throws SQLException {
        String sql = generation == null
                ? "UPDATE store_state SET log_folded = ?, log_clean = ?, sync_count = ? WHERE id = 1"
                : "UPDATE store_state SET log_folded = ?, log_clean = ?, sync_count = ?, log_generation = ?"
                        + " WHERE id = 1";
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        ps.setLong(1, foldedIndex);
        ps.setBoolean(2, clean);
        ps.setLong(3, count);
        if (generation != null) {
            ps.setBytes(4, generation);
        }
        ps.executeUpdate();
        connection.commit();
        folded = foldedIndex;
        syncCount = count;
    }

    /** The store's sync count as recorded (0 for a store that predates it). */
    private long readSyncCount() throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT sync_count FROM store_state WHERE id = 1")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Writes every row as one consistent read ({@link RowDump}); the caller seals the stream. */
    java.util.Map<String, RowDump.TableRows> dump(java.io.DataOutputStream out) throws StoreException {
        lock.lock();
        try {
            if (connection == null) {
                throw new ProfileClosedException();
            }
            try {
                return RowDump.dump(connection, out, null);
            } catch (SQLException e) {
                throw Sql.scrub("reading the store for a backup", e);
            } catch (java.io.IOException e) {
                throw new StoreException("cannot write the backup: " + describe(e), e);
            } finally {
                rollback(); // ends the read
            }
        } finally {
            lock.unlock();
        }
    }

    /** Loads a {@link RowDump} into this new, migrated, still empty store and syncs it. */
    java.util.Map<String, RowDump.TableRows> load(java.io.DataInputStream in) throws StoreException, java.io.IOException {
        lock.lock();
        try {
            if (connection == null) {
                throw new ProfileClosedException();
            }
            try {
                // The new store's own profile row (none yet: created empty) would collide; none exists.
                java.util.Map<String, RowDump.TableRows> counts = RowDump.load(in, connection);
                checkpoint.execute();
                return counts;
            } catch (SQLException e) {
                rollback();
                throw Sql.scrub("loading rows into the new store", e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** An exception's class and, for file-system errors, which kind (never a path or value). */
    static String describe(Exception e) {
        return e.getClass().getSimpleName();
    }

    /** Runs {@code lastWork} in a final transaction (best effort), then closes the database. Idempotent. */
    void close(Work<?> lastWork) throws StoreException {
        lock.lock();
        try {
            if (connection == null) {
                return;
            }
            if (readOnly) {
                // Nothing was written: no last work, no sync, no compaction.
                statements.clear();
                Arrays.fill(storeKey, (byte) 0);
                try {
                    connection.close();
                } catch (SQLException e) {
                    throw Sql.scrub("closing the store", e);
                } finally {
                    connection = null;
                }
                return;
            }
            StoreException failure = null;
            if (broken) {
                try {
                    ensureUsable(); // reopens if there is room, so the log is folded in below
                } catch (StoreException e) {
                    failure = e;
                }
            }
            if (lastWork != null && !broken) {
                try {
                    transaction("closing", lastWork);
                } catch (StoreException e) {
                    failure = e;
                }
            }
            for (PreparedStatement ps : statements.values()) {
                try {
                    ps.close();
                } catch (SQLException e) {
                    // closing the connection closes them too
                }
            }
            statements.clear();
            boolean compacted = false;
            try {
                if (!broken) {
                    // Everything logged goes into the synced file before the log is removed, and
                    // the store records that it was closed cleanly (the log may then be absent).
                    sync(!logBroken);
                    checkpoint.close();
                    // Rewrites the live pages into a fresh (encrypted) file: the file shrinks back from
                    // the per-commit chunks H2 keeps for 45 s, and expunged content in old chunks goes.
                    // Not on a full disk: the copy needs room for all live pages.
                    try (java.sql.Statement s = connection.createStatement()) {
                        compacted = spaceNeeded(MIN_FREE_BYTES) == 0;
                        s.execute(compacted ? "SHUTDOWN COMPACT" : "SHUTDOWN");
                    }
                }
            } catch (SQLException e) {
                if (failure == null) {
                    failure = Sql.scrub("compacting the store", e);
                }
            }
            if (compacted) {
                try {
                    // The compacted file is a new file, made with the process's umask.
                    FileSystemSupport.restrictToOwner(dir.resolve(FILE_NAME));
                } catch (java.io.IOException e) {
                    LOG.log(Level.WARNING, "cannot restrict the store file to its owner ({0})", describe(e));
                }
            }
            Arrays.fill(storeKey, (byte) 0);
            try {
                connection.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = Sql.scrub("closing the store", e);
                }
            } finally {
                connection = null;
            }
            try {
                if (log == null) {
                    // never started, or closed when H2 closed itself
                } else {
                    // Kept, empty, when closed cleanly: its header carries the store's sync count.
                    log.close();
                }
            } catch (java.io.IOException e) {
                if (failure == null) {
                    failure = new StoreException("closing the commit log failed", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    boolean isOpen() {
        lock.lock();
        try {
            return connection != null;
        } finally {
            lock.unlock();
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "rollback failed (H2 code {0})", e.getErrorCode());
        }
    }

    private void publish(StoreEvent event) {
        for (StoreListener l : listeners) {
            eventExecutor.execute(() -> {
                try {
                    l.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a store listener threw {0} on {1}",
                            new Object[] {e.getClass().getName(), event.getClass().getSimpleName()});
                }
            });
        }
    }
}
