package org.allium.contacts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import javax.crypto.Mac;
import org.allium.contacts.api.RepairReport;
import org.allium.contacts.api.StoreException;

/**
 * {@code allium repair}: salvages a damaged store into a new one in a work directory
 * ({@code repair.tmp}) — every readable row that passes its MAC, then the commit log's intact
 * changes — and only then moves the damaged originals into {@code damaged-<time>/} and the new
 * files into their place. A crash before that last step leaves the originals where they
 * were. One use; the caller holds the profile lock.
 */
final class Repair {
    static final String WORK_DIR = "repair.tmp";
    static final String KEPT_PREFIX = "damaged-";

    private final Path dir;
    private final byte[] storeKey;
    private final Executor eventExecutor;
    private final SecureRandom random;
    private final Clock clock;

    Repair(Path dir, byte[] storeKey, Executor eventExecutor, SecureRandom random, Clock clock) {
        this.dir = dir;
        this.storeKey = storeKey;
        this.eventExecutor = eventExecutor;
        this.random = random;
        this.clock = clock;
    }

    RepairReport run() throws StoreException {
        StoreCheck.Result check = StoreCheck.check(dir, storeKey);
        List<String> problems = new ArrayList<>();
        if (check.storeDamage() != null) {
            problems.add(Database.FILE_NAME + ": " + check.storeDamage());
        }
        if (check.logDamage() != null) {
            problems.add(check.logDamage().file() + ": " + check.logDamage().problem());
        }
        if (problems.isEmpty()) {
            Map<String, Integer> rows = new LinkedHashMap<>();
            check.tables().forEach((t, c) -> {
                if (!RowDump.SKIP.contains(t)) {
                    rows.put(t.toLowerCase(Locale.ROOT), c.rows());
                }
            });
            return new RepairReport(List.of(), null, rows, Map.of(), List.of(), 0, 0);
        }

        // 1. Salvage the rows (read-only).
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        Map<String, RowDump.TableRows> salvaged = Map.of();
        if (Files.isRegularFile(dir.resolve(Database.FILE_NAME))) {
            try (Connection c = Database.connect(dir, storeKey, false, true)) {
                byte[] rowKey = KeyDerivation.subKey(storeKey, KeyDerivation.Purpose.ROW_MAC);
                Mac mac = RowMac.newMac(rowKey);
                Arrays.fill(rowKey, (byte) 0);
                salvaged = RowDump.dump(c, new DataOutputStream(dump), mac);
            } catch (SQLException | IOException | RuntimeException e) {
                // unreadable as a whole: nothing salvaged from it
                dump.reset();
                salvaged = Map.of();
            }
        }
        // 2. The log's intact changes, unless the log is an older state (its changes were undone since).
        List<CommitLog.Entry> logEntries = new ArrayList<>();
        boolean oldLog = check.logDamage() != null && check.logDamage().file().equals(CommitLog.FILE_NAME)
                && check.logDamage().problem().contains("older state");
        for (CommitLog.Frame f : check.log().frames()) {
            logEntries.addAll(f.entries());
        }

        // 3. A new store in the work directory.
        Path work = dir.resolve(WORK_DIR);
        deleteTree(work);
        int replayed = 0;
        Map<String, RowDump.TableRows> loaded;
        try {
            FileSystemSupport.createPrivateDirectory(work);
        } catch (IOException e) {
            throw new StoreException("cannot create the repair's work directory: " + Database.describe(e), e);
        }
        Database db = Database.open(work, storeKey, true, eventExecutor, random);
        try {
            db.migrate();
            if (dump.size() > 0) {
                loaded = db.load(new DataInputStream(new ByteArrayInputStream(dump.toByteArray())));
            } else {
                loaded = Map.of();
            }
            if (!oldLog && !logEntries.isEmpty()) {
                replayed = db.transaction("replaying the commit log", tx -> {
                    int n = 0;
                    for (CommitLog.Entry e : logEntries) {
                        if (Replay.apply(tx, e)) {
                            n++;
                        }
                    }
                    return n;
                });
            }
            db.startLog();
            db.close(null);
        } catch (IOException e) {
            closeQuietly(db);
            throw new StoreException("cannot build the repaired store: " + Database.describe(e), e);
        } catch (StoreException | RuntimeException e) {
            closeQuietly(db);
            throw e;
        }
        if (loaded.get("PROFILE") == null || loaded.get("PROFILE").rows() != 1) {
            throw new StoreException("nothing can be salvaged: the identity is unreadable; restore a backup"
                    + " ('allium restore BACKUP DIR')");
        }

        // 4. Swap: originals aside (kept), the new files in.
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                .format(clock.instant().atOffset(ZoneOffset.UTC));
        Path kept = dir.resolve(KEPT_PREFIX + stamp);
        try {
            Files.createDirectories(kept);
            for (String name : new String[] {Database.FILE_NAME, CommitLog.FILE_NAME}) {
                if (Files.exists(dir.resolve(name))) {
                    Files.move(dir.resolve(name), kept.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            for (String name : new String[] {Database.FILE_NAME, CommitLog.FILE_NAME}) {
                Files.move(work.resolve(name), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            }
            FileSystemSupport.syncDirectory(kept);
            FileSystemSupport.syncDirectory(dir);
            deleteTree(work);
        } catch (IOException e) {
            throw new StoreException("cannot put the repaired store in place (the originals are in "
                    + kept.getFileName() + "): " + Database.describe(e), e);
        }

        Map<String, Integer> recovered = new LinkedHashMap<>();
        Map<String, Integer> dropped = new LinkedHashMap<>();
        List<String> cutShort = new ArrayList<>();
        salvaged.forEach((t, r) -> {
            String name = t.toLowerCase(Locale.ROOT);
            recovered.put(name, r.rows());
            if (r.bad() > 0) {
                dropped.put(name, r.bad());
            }
            if (r.cutShort()) {
                cutShort.add(name);
            }
        });
        recovered.merge("messages", replayed, Integer::sum);
        return new RepairReport(problems, kept, recovered, dropped, cutShort, replayed,
                logEntries.size() - replayed);
    }

    private static void closeQuietly(Database db) {
        try {
            db.close(null);
        } catch (StoreException e) {
            // already failing
        }
    }

    private static void deleteTree(Path p) throws StoreException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        } catch (IOException e) {
            throw new StoreException("cannot remove an old repair work directory: " + Database.describe(e), e);
        }
    }
}
