package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.DamagedProfileException;
import org.allium.contacts.api.Direction;
import org.allium.contacts.api.FileData;
import org.allium.contacts.api.FileOfferSpec;
import org.allium.contacts.api.FileRecord;
import org.allium.contacts.api.FileState;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup holds every table of the store — those of other modules too (files, groups, drop
 * line, client ids), whatever schema step added them — and every other file of the profile
 * (the received chunks and hash lists of file transfers under {@code files/}, the drop line's
 * attachments under {@code dropfiles/}, and whatever a
 * module keeps there later), except the files listed in {@link #EXCLUDED} with the reason;
 * a restore gives back the same rows in each table and each file byte for byte. Backups of
 * the first format (rows only) still restore.
 */
class BackupCoverageTest {
    /** Every file of a used profile that a backup leaves out, and why. Nothing else may be left out. */
    private static final Map<String, String> EXCLUDED = Map.of(
            "profile.header", "the backup carries it in its own header; a restore writes it back",
            "profile.lock", "an empty file the OS lock is taken on; every open makes it",
            "store.mv.db", "the store: each of its rows is in the backup, a restore builds a new store of them",
            "store.log", "the store's commit log: its rows are in the store the backup reads",
            "tor/cached-microdescs", "tor's data directory: caches and state that tor rebuilds; onion keys are"
                    + " in the store",
            "control/allium.sock", "the running daemon's control socket",
            "damaged-20260101-000000/store.mv.db", "the damaged original a repair set aside",
            "repair.tmp/store.mv.db", "an interrupted repair's work, redone by the next repair",
            "files/half.hashes.tmp", "a file being written, renamed into place when complete");

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path tmp;

    @Test
    void aBackupHoldsEveryTableAndEveryFileAndARestoreGivesThemBack() throws Exception {
        ProfileManager m = TestProfiles.manager(new TestProfiles.MutableClock());
        Path dir = tmp.resolve("p");
        Path backup = tmp.resolve("b.backup");
        Map<String, Integer> written;
        Set<String> tables;
        Map<String, String> before;
        MessageId in = MessageId.random(RANDOM);
        byte[] chunk0 = new byte[1024];
        byte[] chunk2 = new byte[452];
        RANDOM.nextBytes(chunk0);
        RANDOM.nextBytes(chunk2);
        byte[] dropChunk = new byte[1024];
        RANDOM.nextBytes(dropChunk);
        try (Profile p = TestProfiles.create(m, dir)) {
            Contact c = p.contacts().addOutgoingRequest(TestProfiles.randomAddress(), "bob", null, null,
                    TestProfiles.ourKeys());
            ContactId bob = p.contacts().accept(c.id(), TestProfiles.theirKeys()).id();
            p.messages().enqueueOutgoing(bob, "plain");
            p.messages().enqueueOutgoing(bob, "with a client id", "job-1");
            p.settings().put("k", "v");
            // A file being received (chunks 0 and 2 of 3, a hole between) and one offered.
            p.files().acceptIncomingOffer(bob, in, 9, Instant.now(), spec(300 * 1024 + 452), FileState.ACTIVE,
                    null);
            FileRecord r = p.files().get(bob, Direction.INCOMING, in).orElseThrow();
            try (FileData d = p.files().open(r)) {
                d.writeHashes(new byte[301 * 32]);
                d.writeChunk(0, chunk0, 0, chunk0.length);
                d.writeChunk(300, chunk2, 0, chunk2.length);
                d.force();
            }
            Message offered = p.files().offerOutgoing(bob, MessageId.random(RANDOM), spec(3000), "/tmp/x", 5,
                    new byte[3 * 32]);
            assertTrue(offered.seq() > 0);
            // A drop line submission with an attachment (its data under dropfiles/).
            byte[] source = new byte[32];
            Arrays.fill(source, (byte) 7);
            MessageId attached = MessageId.random(RANDOM);
            long caseId = p.drops().submit(source, "a b 12", MessageId.random(RANDOM), Instant.now(), "memo",
                    List.of(new org.allium.contacts.api.DropStore.NewAttachment(attached, spec(1024))),
                    org.allium.contacts.api.DropStore.Quotas.DEFAULT).caseId();
            try (FileData d = p.drops().openAttachment(p.drops().attachment(caseId, attached).orElseThrow())) {
                d.writeChunk(0, dropChunk, 0, dropChunk.length);
                d.force();
            }
            // What a daemon, a repair and a crash leave beside the store.
            for (String f : List.of("tor/cached-microdescs", "control/allium.sock",
                    "damaged-20260101-000000/store.mv.db", "repair.tmp/store.mv.db", "files/half.hashes.tmp")) {
                Files.createDirectories(dir.resolve(f).getParent());
                Files.writeString(dir.resolve(f), "left out: " + f);
            }
            tables = new TreeSet<>(tables(((ProfileImpl) p).database()));
            before = TestProfiles.hashes(dir);
            written = p.backup(backup);
        }
        // The store's own bookkeeping (its commit log's generations, schema steps, sync count)
        // belongs to one store file and is made afresh by a restore.
        tables.removeAll(Set.of("log_history", "schema_version", "store_state"));
        Set<String> keys = new TreeSet<>(tables);
        keys.add("files/");
        assertEquals(keys, written.keySet(), "every table of the store is in the backup, and the files");
        assertTrue(tables.containsAll(Set.of("client_ids", "drop_cases", "drop_items", "messages", "contacts",
                "file_transfers", "chat_groups")), tables.toString());
        assertEquals(1, written.get("client_ids"));
        assertEquals(4, written.get("files/"), "the incoming data and hash list, the offered hash list, the drop"
                + " line attachment's data");

        Path restored = tmp.resolve("r");
        Map<String, Integer> back = m.restore(backup, restored, TestProfiles.PASSPHRASE);
        assertEquals(written, back);
        Map<String, String> after = TestProfiles.hashes(restored);
        Map<String, String> leftOut = new TreeMap<>();
        for (Map.Entry<String, String> e : before.entrySet()) {
            if (!e.getValue().equals(after.get(e.getKey()))) {
                leftOut.put(e.getKey(), EXCLUDED.getOrDefault(e.getKey(), "NO REASON: not carried by the backup"));
            }
        }
        // Left out of the carried files, but made again by the restore, byte for byte.
        assertEquals(before.get(ProfileHeader.FILE_NAME), after.get(ProfileHeader.FILE_NAME));
        assertEquals(before.get(ProfileLock.FILE_NAME), after.get(ProfileLock.FILE_NAME));
        Map<String, String> expected = new TreeMap<>(EXCLUDED);
        expected.remove(ProfileHeader.FILE_NAME);
        expected.remove(ProfileLock.FILE_NAME);
        assertEquals(expected, leftOut, "every file of the profile is restored byte for byte or left out for"
                + " a reason");
        for (String f : EXCLUDED.keySet()) {
            assertTrue(ProfileFiles.excluded(Path.of(f)).isPresent(), f);
        }
        long files = before.keySet().stream().filter(f -> f.startsWith("files/") && !f.endsWith(".tmp")).count();
        assertEquals(3, files);
        assertEquals(1, before.keySet().stream().filter(f -> f.startsWith("dropfiles/")).count(), before.toString());

        try (Profile r = m.open(restored, TestProfiles.PASSPHRASE)) {
            Map<String, Integer> again = r.backup(tmp.resolve("again.backup"));
            assertEquals(written, again, "the restored profile holds the same rows in every table");
            FileRecord rec = r.files().list().stream().filter(x -> x.id().equals(in)).findFirst().orElseThrow();
            byte[] out = new byte[1024];
            try (FileData d = r.files().open(rec)) {
                assertEquals(1024, d.readChunk(0, out));
                assertArrayEquals(chunk0, out);
                assertEquals(-1, d.readChunk(1, out), "the hole is still a hole");
                assertEquals(452, d.readChunk(300, out));
                assertArrayEquals(chunk2, Arrays.copyOf(out, 452));
                assertEquals(301 * 32, d.readHashes().orElseThrow().length);
            }
            long caseId = r.drops().cases().get(0).id();
            org.allium.contacts.api.DropStore.Attachment a = r.drops().attachments(caseId).get(0);
            try (FileData d = r.drops().openAttachment(a)) {
                assertEquals(1024, d.readChunk(0, out));
                assertArrayEquals(dropChunk, out, "the drop line attachment came back");
            }
        }
        // Holes are not written out: of the data file's five 64 KiB blocks, the three that only
        // never-received chunks fall in cost the backup one byte each.
        assertTrue(Files.size(backup) < 2 * 64 * 1024 + 16 * 1024, "backup " + Files.size(backup) + " bytes");
    }

    @Test
    void aBackupCutShortInItsFilesRestoresNothing() throws Exception {
        ProfileManager m = TestProfiles.manager(new TestProfiles.MutableClock());
        Path dir = tmp.resolve("p");
        Path backup = tmp.resolve("b.backup");
        try (Profile p = TestProfiles.create(m, dir)) {
            Contact c = p.contacts().addOutgoingRequest(TestProfiles.randomAddress(), "bob", null, null,
                    TestProfiles.ourKeys());
            ContactId bob = p.contacts().accept(c.id(), TestProfiles.theirKeys()).id();
            MessageId in = MessageId.random(RANDOM);
            p.files().acceptIncomingOffer(bob, in, 1, Instant.now(), spec(200 * 1024), FileState.ACTIVE, null);
            try (FileData d = p.files().open(p.files().get(bob, Direction.INCOMING, in).orElseThrow())) {
                byte[] chunk = new byte[1024];
                for (int i = 0; i < 200; i++) {
                    RANDOM.nextBytes(chunk);
                    d.writeChunk(i, chunk, 0, chunk.length);
                }
            }
            p.backup(backup);
        }
        byte[] good = Files.readAllBytes(backup);
        for (int cut : new int[] {good.length - 1, good.length - 70_000}) {
            Path b = tmp.resolve("cut" + cut);
            Files.write(b, Arrays.copyOf(good, cut));
            Path target = tmp.resolve("target" + cut);
            DamagedProfileException e = assertThrows(DamagedProfileException.class,
                    () -> m.restore(b, target, TestProfiles.PASSPHRASE));
            assertTrue(e.getMessage().contains("cut short"), e.getMessage());
            assertFalse(Files.exists(target), "nothing is left of a failed restore: " + cut);
        }
    }

    @Test
    void aBackupOfTheFirstFormatStillRestores() throws Exception {
        ProfileManager m = TestProfiles.manager(new TestProfiles.MutableClock());
        Path backup = tmp.resolve("v1.backup");
        try (InputStream in = BackupCoverageTest.class.getResourceAsStream("backup-v1.backup")) {
            Files.write(backup, in.readAllBytes());
        }
        assertEquals(BackupFile.VERSION_ROWS_ONLY, BackupFile.readHeader(Files.newInputStream(backup)).version());
        Map<String, Integer> rows = m.restore(backup, tmp.resolve("r"), TestProfiles.PASSPHRASE);
        assertEquals(3, rows.get("messages"));
        assertEquals(0, rows.get("files/"));
        try (Profile r = m.open(tmp.resolve("r"), TestProfiles.PASSPHRASE)) {
            ContactId bob = r.contacts().list().get(0).id();
            List<String> bodies = new ArrayList<>();
            for (Message msg : r.messages().page(bob, Long.MAX_VALUE, 10)) {
                bodies.add(msg.body());
            }
            assertEquals(Set.of("version one message 1", "version one message 2", "version one message 3"),
                    new TreeSet<>(bodies));
            assertEquals("v1", r.settings().get("k").orElseThrow());
        }
    }

    @Test
    void aRestoreWritesOnlyPlainNamesInsideTheProfile() throws Exception {
        for (String bad : List.of("../escape", "/etc/passwd", "files/../../escape", "a//b", "", ".", "files/..",
                "store.mv.db", "profile.header", "tor/torrc", "files/x\\..\\y", "files/\u00e9")) {
            Path dir = tmp.resolve("t" + Math.abs(bad.hashCode()));
            Files.createDirectories(dir);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            byte[] name = bad.getBytes(StandardCharsets.UTF_8);
            out.writeByte(1);
            out.writeShort(name.length);
            out.write(name);
            out.writeLong(1);
            out.writeByte(1);
            out.writeByte(42);
            out.writeByte(0);
            List<Path> created = new ArrayList<>();
            IOException e = assertThrows(IOException.class, () -> ProfileFiles.read(
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), dir, created), bad);
            assertTrue(e.getMessage().startsWith("it "), e.getMessage());
            assertEquals(List.of(), created, bad);
            try (var s = Files.list(dir)) {
                assertEquals(0, s.count(), bad);
            }
        }
        assertFalse(Files.exists(tmp.resolve("escape")));
    }

    private static FileOfferSpec spec(long size) {
        return new FileOfferSpec("name.bin", size, 1024, new byte[32], new byte[32]);
    }

    private static Set<String> tables(Database db) throws Exception {
        return db.transaction("listing tables", tx -> {
            PreparedStatement ps = tx.prepare("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE'");
            Set<String> out = new TreeSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1).toLowerCase(Locale.ROOT));
                }
            }
            return out;
        });
    }
}
