package org.allium.contacts;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
import org.allium.contacts.api.ProfileClosedException;
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
        private boolean writes;

        /** A cached prepared statement; parameters must all be set by the caller. */
        PreparedStatement prepare(String sql) throws SQLException {
            // Plain SELECTs never change data; anything else (including SELECT ... FROM FINAL TABLE
            // (INSERT ...)) makes the transaction one that must be synced to disk.
            if (!sql.startsWith("SELECT") || sql.contains("FINAL TABLE")) {
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
    }

    private final Executor eventExecutor;
    private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock: null once closed.
    private Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    // Guarded by lock.
    private final PreparedStatement checkpoint;

    private Database(Connection connection, Executor eventExecutor) throws SQLException {
        this.connection = connection;
        this.eventExecutor = eventExecutor;
        this.checkpoint = connection.prepareStatement("CHECKPOINT SYNC");
    }

    /**
     * Opens (or with {@code create}, creates) the database in {@code dir} with keys derived
     * from {@code storeKey}. The caller has checked the key against the header, so H2 never
     * sees a wrong key and never rewrites a file because of one.
     */
    static Database open(Path dir, byte[] storeKey, boolean create, Executor eventExecutor) throws StoreException {
        String path = dir.toAbsolutePath().resolve(BASE_NAME).toString();
        if (path.indexOf(';') >= 0) {
            throw new StoreException("the profile directory path must not contain ';'");
        }
        // CIPHER=AES: H2's XTS-AES file encryption of every page, including temporary result files.
        // TRACE_LEVEL_FILE=0: no .trace.db (it would hold SQL text and values).
        // WRITE_DELAY=500 keeps H2's background writer, which also reclaims old chunks; durability
        // does not rely on it: transaction() writes and fsyncs every commit itself (CHECKPOINT SYNC).
        // (WRITE_DELAY=0 would write each commit too, but stops that background thread, and the
        // file then grows by every commit's pages until it is closed.)
        // DB_CLOSE_ON_EXIT=FALSE: we close it ourselves, in order.
        String url = "jdbc:h2:file:" + path + ";CIPHER=AES;TRACE_LEVEL_FILE=0;TRACE_LEVEL_SYSTEM_OUT=0"
                + ";WRITE_DELAY=500;DB_CLOSE_ON_EXIT=FALSE;IFEXISTS=" + (create ? "FALSE" : "TRUE");
        byte[] fileKey = KeyDerivation.subKey(storeKey, KeyDerivation.Purpose.H2_FILE);
        byte[] userKey = KeyDerivation.subKey(storeKey, KeyDerivation.Purpose.H2_USER);
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
            c.setAutoCommit(false);
            FileSystemSupport.restrictToOwner(dir.resolve(FILE_NAME));
            return new Database(c, eventExecutor);
        } catch (SQLException e) {
            throw Sql.scrub("opening the store", e);
        } catch (java.io.IOException e) {
            throw new StoreException("cannot restrict the store's permissions", e);
        } finally {
            Arrays.fill(fileKey, (byte) 0);
            Arrays.fill(userKey, (byte) 0);
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

    /**
     * Runs {@code work} in one transaction and commits it; on any exception rolls back and
     * rethrows (SQL errors as a scrubbed {@link StoreException}). Attached events go to the
     * event executor after the commit, before the next transaction can start.
     */
    <R> R transaction(String operation, Work<R> work) throws StoreException {
        lock.lock();
        try {
            if (connection == null) {
                throw new ProfileClosedException();
            }
            Tx tx = new Tx();
            R result;
            try {
                result = work.run(tx);
                connection.commit();
                // The commit is in H2's memory; CHECKPOINT SYNC writes it to the file and fsyncs before
                // we return, so an acknowledged change survives a killed process or a lost machine.
                if (tx.writes) {
                    checkpoint.execute();
                }
            } catch (SQLException e) {
                rollback();
                throw Sql.scrub(operation, e);
            } catch (StoreException | RuntimeException | Error e) {
                rollback();
                throw e;
            }
            for (StoreEvent event : tx.events) {
                publish(event);
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code lastWork} in a final transaction (best effort), then closes the database. Idempotent. */
    void close(Work<?> lastWork) throws StoreException {
        lock.lock();
        try {
            if (connection == null) {
                return;
            }
            StoreException failure = null;
            if (lastWork != null) {
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
            try {
                checkpoint.close();
                // Rewrites the live pages into a fresh (encrypted) file: the file shrinks back from
                // the per-commit chunks H2 keeps for 45 s, and expunged content in old chunks goes.
                try (java.sql.Statement s = connection.createStatement()) {
                    s.execute("SHUTDOWN COMPACT");
                }
            } catch (SQLException e) {
                if (failure == null) {
                    failure = Sql.scrub("compacting the store", e);
                }
            }
            try {
                connection.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = Sql.scrub("closing the store", e);
                }
            } finally {
                connection = null;
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
