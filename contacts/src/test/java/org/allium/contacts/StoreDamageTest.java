package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.DamagedProfileException;
import org.allium.contacts.api.Direction;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.allium.contacts.api.RepairReport;
import org.allium.contacts.api.StoreException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files, as a disk, a crash or a backup tool leave them: every case must either be
 * refused with a message naming the file and the remedy, leaving every byte as it was, or
 * open with every acknowledged message intact. Nothing acknowledged disappears silently.
 *
 * <p>The fixture: a profile with 20 messages each way, closed, then a child JVM that queues
 * and receives five more each and halts without closing (so those ten live only in the
 * commit log), copied afresh for each case.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreDamageTest {
    @TempDir
    static Path tmp;

    private final ProfileManager manager = TestProfiles.manager(new TestProfiles.MutableClock());
    private Path pristine;
    private ContactId bob;
    /** Every acknowledged message: direction and id. */
    private final List<String> acknowledged = new ArrayList<>();
    private int copies;
    private Path backup;

    @BeforeAll
    void makeFixture() throws Exception {
        pristine = tmp.resolve("pristine");
        try (Profile p = TestProfiles.create(manager, pristine)) {
            bob = TestProfiles.acceptedContact(p);
            for (int i = 0; i < 20; i++) {
                acknowledged.add("OUT " + p.messages().enqueueOutgoing(bob, "closed out " + i).id().toHex());
                MessageId id = MessageId.random(TestProfiles.RANDOM);
                p.messages().acceptIncoming(bob, id, 1 + i, Instant.now(), "closed in " + i);
                acknowledged.add("IN " + id.toHex());
            }
        }
        try (ChildJvm child = new ChildJvm(tmp, "halt", pristine.toString(), new String(TestProfiles.PASSPHRASE),
                Long.toString(bob.value()), "halted")) {
            assertEquals(3, child.waitFor(Duration.ofSeconds(120)), "the child halted");
            acknowledged.addAll(child.killAndCollect());
        }
        assertEquals(50, acknowledged.size());
        assertTrue(Files.exists(pristine.resolve(CommitLog.FILE_NAME)), "the halted child left its log");
        // A backup of the same state, taken from an opened copy (the backup is of a running profile).
        Path running = copy();
        backup = tmp.resolve("backup.allium");
        try (Profile p = manager.open(running, TestProfiles.PASSPHRASE)) {
            assertEquals(50, p.backup(backup).get("messages"));
        }
    }

    private Path copy() throws IOException {
        Path dir = tmp.resolve("case" + copies++);
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(pristine)) {
            for (Path f : s.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return dir;
    }

    /** Opening must refuse, name {@code file} and the remedy, and change no byte. */
    private DamagedProfileException assertRefused(Path dir, String file) {
        Map<String, String> before = TestProfiles.hashes(dir);
        try (Profile p = manager.open(dir, TestProfiles.PASSPHRASE)) {
            fail("opened a damaged profile (" + file + ")");
            return null;
        } catch (DamagedProfileException e) {
            assertEquals(file, e.file(), e.getMessage());
            assertTrue(e.getMessage().startsWith(file + " is damaged: "), e.getMessage());
            assertTrue(e.getMessage().contains("allium repair") || e.getMessage().contains("allium restore"),
                    e.getMessage());
            assertEquals(before, TestProfiles.hashes(dir), "the failed open changed no byte");
            return e;
        } catch (StoreException e) {
            throw new AssertionError("not reported as damage: " + e, e);
        }
    }

    /** Either refused (as {@link #assertRefused}) or opened with every acknowledged message. */
    private void assertRefusedOrIntact(Path dir, String file, String what) throws StoreException {
        Map<String, String> before = TestProfiles.hashes(dir);
        Profile p;
        try {
            p = manager.open(dir, TestProfiles.PASSPHRASE);
        } catch (DamagedProfileException e) {
            assertEquals(file, e.file(), what + ": " + e.getMessage());
            assertEquals(before, TestProfiles.hashes(dir), what + ": the failed open changed no byte");
            return;
        }
        try (p) {
            assertAllThere(p, what);
        }
    }

    private void assertAllThere(Profile p, String what) throws StoreException {
        for (String a : acknowledged) {
            MessageId id = MessageId.fromBytes(HexFormat.of().parseHex(a.substring(a.indexOf(' ') + 1)));
            Direction d = a.startsWith("OUT") ? Direction.OUTGOING : Direction.INCOMING;
            assertTrue(p.messages().get(bob, d, id).isPresent(), what + ": lost " + a);
        }
    }

    /** How many of the acknowledged messages the profile holds. */
    private int present(Profile p) throws StoreException {
        int n = 0;
        for (String a : acknowledged) {
            MessageId id = MessageId.fromBytes(HexFormat.of().parseHex(a.substring(a.indexOf(' ') + 1)));
            Direction d = a.startsWith("OUT") ? Direction.OUTGOING : Direction.INCOMING;
            if (p.messages().get(bob, d, id).isPresent()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Repairs {@code dir}: the damaged originals are kept byte for byte, the profile opens,
     * the report's message count is what it holds; returns how many acknowledged ones it holds.
     */
    private int assertRepairs(Path dir) throws Exception {
        Map<String, String> before = TestProfiles.hashes(dir);
        RepairReport report = manager.repair(dir, TestProfiles.PASSPHRASE);
        assertTrue(report.repaired(), "repaired: " + report);
        assertTrue(!report.problems().isEmpty());
        Map<String, String> kept = TestProfiles.hashes(report.damagedFilesKept());
        for (Map.Entry<String, String> e : kept.entrySet()) {
            assertEquals(before.get(e.getKey()), e.getValue(), "kept unchanged: " + e.getKey());
        }
        assertTrue(kept.containsKey(Database.FILE_NAME) || !before.containsKey(Database.FILE_NAME));
        try (Profile p = manager.open(dir, TestProfiles.PASSPHRASE)) {
            int n = present(p);
            int inStore = report.rowsRecovered().getOrDefault("messages", 0);
            assertTrue(n <= inStore, "the report counts what came back: " + n + " vs " + report);
            return n;
        }
    }

    /** Restores the backup taken before any damage into a new directory: everything comes back. */
    private void assertRestoreGivesEverything() throws Exception {
        Path target = tmp.resolve("restored" + copies++);
        Map<String, Integer> rows = manager.restore(backup, target, TestProfiles.PASSPHRASE);
        assertEquals(50, rows.get("messages"));
        try (Profile p = manager.open(target, TestProfiles.PASSPHRASE)) {
            assertEquals(50, present(p));
        }
    }

    @Test
    void theUndamagedFixtureOpensWithEverything() throws Exception {
        try (Profile p = manager.open(copy(), TestProfiles.PASSPHRASE)) {
            assertAllThere(p, "undamaged");
        }
    }

    @Test
    void aLogMissingItsLastBytesIsRefused() throws Exception {
        for (int cut : new int[] {7, 1, 100}) {
            Path dir = copy();
            Path log = dir.resolve(CommitLog.FILE_NAME);
            byte[] b = Files.readAllBytes(log);
            Files.write(log, Arrays.copyOf(b, b.length - cut));
            assertTrue(assertRefused(dir, CommitLog.FILE_NAME).problem().contains("cut short"));
            assertEquals(50, assertRepairs(dir), "every frame was intact: all come back");
        }
        assertRestoreGivesEverything();
    }

    @Test
    void aLogTruncatedToNothingOrDeletedIsRefused() throws Exception {
        Path dir = copy();
        Files.write(dir.resolve(CommitLog.FILE_NAME), new byte[0]);
        assertRefused(dir, CommitLog.FILE_NAME);
        assertTrue(assertRepairs(dir) >= 40, "what the store file held comes back");
        Path gone = copy();
        Files.delete(gone.resolve(CommitLog.FILE_NAME));
        assertTrue(assertRefused(gone, CommitLog.FILE_NAME).problem().contains("missing"));
        assertTrue(assertRepairs(gone) >= 40);
        assertRestoreGivesEverything();
    }

    @Test
    void aFlippedOrZeroedByteInTheLogIsRefused() throws Exception {
        long size = Files.size(pristine.resolve(CommitLog.FILE_NAME));
        int used = usedLogBytes(pristine.resolve(CommitLog.FILE_NAME));
        for (long at : new long[] {3, 20, 40, 60, 200, used / 2, used - 1, used + 10, size - 1}) {
            Path dir = copy();
            Path log = dir.resolve(CommitLog.FILE_NAME);
            byte[] b = Files.readAllBytes(log);
            b[(int) at] ^= 0x40;
            Files.write(log, b);
            assertRefused(dir, CommitLog.FILE_NAME);
            int back = assertRepairs(dir);
            assertTrue(back >= 40, "flip at " + at + ": at most the damaged frame's message is lost: " + back);
            assertTrue(at >= CommitLog.HEADER_LENGTH && at < used ? back >= 49 : true, "flip at " + at + ": " + back);
        }
        assertRestoreGivesEverything();
        // A zeroed sector in the middle: the frames after it are not silently dropped.
        Path dir = copy();
        Path log = dir.resolve(CommitLog.FILE_NAME);
        byte[] b = Files.readAllBytes(log);
        Arrays.fill(b, 512, 1024, (byte) 0);
        Files.write(log, b);
        assertRefused(dir, CommitLog.FILE_NAME);
    }

    private static int usedLogBytes(Path log) throws IOException {
        byte[] b = Files.readAllBytes(log);
        int pos = CommitLog.HEADER_LENGTH;
        while (java.nio.ByteBuffer.wrap(b).getInt(pos) != 0) {
            pos += 4 + java.nio.ByteBuffer.wrap(b).getInt(pos);
        }
        return pos;
    }

    @Test
    void anOldLogCopiedBackIsNeverReplayed() throws Exception {
        Path dir = copy();
        Path oldLog = tmp.resolve("old.log");
        Files.copy(dir.resolve(CommitLog.FILE_NAME), oldLog);
        MessageId deleted;
        try (Profile p = manager.open(dir, TestProfiles.PASSPHRASE)) {
            String a = acknowledged.get(acknowledged.size() - 1); // from the log: replayed by this open
            deleted = MessageId.fromBytes(HexFormat.of().parseHex(a.substring(a.indexOf(' ') + 1)));
            assertTrue(p.messages().get(bob, Direction.INCOMING, deleted).isPresent());
            p.messages().clearHistory(bob);
        }
        Files.copy(oldLog, dir.resolve(CommitLog.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        assertTrue(assertRefused(dir, CommitLog.FILE_NAME).problem().contains("older state"));
    }

    @Test
    void aStoreFileCutShortIsRefused() throws Exception {
        for (double fraction : new double[] {0.5, 0.9, 0.1}) {
            Path dir = copy();
            Path db = dir.resolve(Database.FILE_NAME);
            byte[] b = Files.readAllBytes(db);
            Files.write(db, Arrays.copyOf(b, (int) (b.length * fraction)));
            assertRefusedOrIntact(dir, Database.FILE_NAME, "cut to " + fraction);
        }
        Path dir = copy();
        Files.write(dir.resolve(Database.FILE_NAME), new byte[0]);
        assertRefused(dir, Database.FILE_NAME);
        assertRestoreGivesEverything();
    }

    @Test
    void aFlippedByteInTheStoreFileIsRefusedOrHarmless() throws Exception {
        long size = Files.size(pristine.resolve(Database.FILE_NAME));
        int refused = 0;
        for (int i = 1; i < 24; i++) {
            long at = size * i / 24;
            Path dir = copy();
            Path db = dir.resolve(Database.FILE_NAME);
            byte[] b = Files.readAllBytes(db);
            b[(int) at] ^= 0x10;
            Files.write(db, b);
            Map<String, String> before = TestProfiles.hashes(dir);
            try {
                manager.open(dir, TestProfiles.PASSPHRASE).close();
            } catch (DamagedProfileException e) {
                refused++;
                assertEquals(before, TestProfiles.hashes(dir), "flip at " + at);
                try {
                    assertRepairs(dir);
                } catch (StoreException unsalvageable) {
                    assertTrue(unsalvageable.getMessage().contains("restore"), unsalvageable.getMessage());
                }
                continue;
            }
            assertRefusedOrIntact(dir, Database.FILE_NAME, "flip at " + at);
        }
        System.out.println("store.mv.db flips refused: " + refused + " of 23");
        assertRestoreGivesEverything();
    }

    @Test
    void aZeroedBlockInTheStoreFileIsRefusedOrHarmless() throws Exception {
        long size = Files.size(pristine.resolve(Database.FILE_NAME));
        for (int i = 1; i < 8; i++) {
            long at = size * i / 8 / 4096 * 4096;
            Path dir = copy();
            Path db = dir.resolve(Database.FILE_NAME);
            byte[] b = Files.readAllBytes(db);
            Arrays.fill(b, (int) at, (int) Math.min(b.length, at + 4096), (byte) 0);
            Files.write(db, b);
            assertRefusedOrIntact(dir, Database.FILE_NAME, "zeroed block at " + at);
        }
    }

    @Test
    void aDamagedBackupRestoresNothingAndAWrongPassphraseIsSaidSo() throws Exception {
        byte[] good = Files.readAllBytes(backup);
        long[] cuts = {good.length - 1, good.length / 2, 200, 10};
        for (long cut : cuts) {
            Path b = tmp.resolve("cut" + cut);
            Files.write(b, Arrays.copyOf(good, (int) cut));
            Path target = tmp.resolve("target-cut" + cut);
            DamagedProfileException e = org.junit.jupiter.api.Assertions.assertThrows(DamagedProfileException.class,
                    () -> manager.restore(b, target, TestProfiles.PASSPHRASE), "cut " + cut);
            assertEquals(b.getFileName().toString(), e.file());
            assertTrue(!Files.exists(target.resolve(ProfileHeader.FILE_NAME)), "nothing restored");
        }
        for (int at : new int[] {good.length - 1, good.length - 20, good.length / 2, 300, 150, 20}) {
            byte[] d = good.clone();
            d[at] ^= 1;
            Path b = tmp.resolve("flip" + at);
            Files.write(b, d);
            Path target = tmp.resolve("target-flip" + at);
            org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
                    () -> manager.restore(b, target, TestProfiles.PASSPHRASE), "flip " + at);
            assertTrue(!Files.exists(target.resolve(ProfileHeader.FILE_NAME)), "nothing restored: " + at);
        }
        org.junit.jupiter.api.Assertions.assertThrows(org.allium.contacts.api.WrongPassphraseException.class,
                () -> manager.restore(backup, tmp.resolve("wrong"), "nope".toCharArray()));
        String text = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(!text.contains("closed out") && !text.contains("halted"), "the backup is encrypted");
    }
}
