package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.DamagedProfileException;
import org.allium.contacts.api.GroupStore;
import org.allium.contacts.api.GroupStore.GroupMessageRow;
import org.allium.contacts.api.GroupStore.GroupRow;
import org.allium.contacts.api.GroupStore.GroupState;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group messages are durable through the commit log (GroupStore.append is LOGGED): a process
 * that halts after storing them, before H2 wrote them, finds each exactly once after opening;
 * the log's group entries pass the open's check, and a damaged one is reported, not applied.
 * Old (version 2) logs of chat entries still replay.
 */
class GroupLogTest {
    private static final byte[] GROUP = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10");

    @TempDir
    Path tmp;

    private final ProfileManager manager = TestProfiles.manager(new TestProfiles.MutableClock());

    private static byte[] storeKey(Path dir) throws Exception {
        return ProfileHeader.read(dir).unseal(TestProfiles.PASSPHRASE.clone());
    }

    /** A profile with one contact and one (empty) group; returns the contact. */
    private ContactId profileWithGroup(Path dir) throws Exception {
        try (Profile p = TestProfiles.create(manager, dir)) {
            ContactId bob = TestProfiles.acceptedContact(p);
            assertTrue(p.groups().addGroup(new GroupRow(GROUP, GroupState.JOINED, null, null, 0, 0)));
            return bob;
        }
    }

    /** Runs the halting child; returns its "G author seq" lines. */
    private List<String> haltAfterGroupWrites(Path dir, ContactId bob) throws Exception {
        List<String> lines;
        try (ChildJvm child = new ChildJvm(tmp, "halt-groups", dir.toString(), new String(TestProfiles.PASSPHRASE),
                Long.toString(bob.value()), HexFormat.of().formatHex(GROUP))) {
            assertEquals(3, child.waitFor(Duration.ofSeconds(120)), "the child halted: " + child.stderrTail());
            lines = child.killAndCollect();
        }
        return lines;
    }

    private static long groupEntries(CommitLog.Scan s) {
        return s.frames().stream().flatMap(f -> f.entries().stream())
                .filter(e -> e instanceof CommitLog.GroupEntry).count();
    }

    @Test
    void groupMessagesComeBackFromTheLogExactlyOnceInOrderAfterTheProcessHalts() throws Exception {
        Path dir = tmp.resolve("p");
        ContactId bob = profileWithGroup(dir);
        List<String> lines = haltAfterGroupWrites(dir, bob);
        assertEquals(List.of("G 1 1", "G 1 2", "G 1 3", "G 2 1", "G 2 2", "G 2 3", "G 1 4", "G 1 5"), lines,
                "each stored once (the batch's duplicate skipped), in order");

        // The open's read-only check accepts the log and hands its group entries to the replay.
        byte[] key = storeKey(dir);
        StoreCheck.Result check = StoreCheck.check(dir, key);
        assertNull(check.storeDamage());
        assertNull(check.logDamage());
        long logged = check.replay().stream().filter(e -> e instanceof CommitLog.GroupEntry).count();
        assertTrue(logged >= 3, "at least the messages after the pause are only in the log: " + logged);
        assertEquals(8, groupEntries(CommitLog.scan(dir, key)), "every stored group message was logged once");

        // Replayed once at open; applying every entry a second time changes nothing (idempotent).
        AtomicInteger applied = new AtomicInteger();
        AtomicInteger again = new AtomicInteger();
        Database db = Database.open(dir, key, false, Runnable::run, TestProfiles.RANDOM);
        try {
            db.migrate();
            db.recover((tx, e) -> {
                boolean first = Replay.apply(tx, e);
                if (first && e instanceof CommitLog.GroupEntry) {
                    applied.incrementAndGet();
                }
                if (Replay.apply(tx, e)) {
                    again.incrementAndGet();
                }
                return first;
            });
        } finally {
            db.close(null);
        }
        assertEquals(0, again.get(), "a second application of an entry finds its row");
        assertTrue(applied.get() >= 1 && applied.get() <= 8, "rows H2 lacked were re-created: " + applied.get());

        try (Profile p = manager.open(dir, TestProfiles.PASSPHRASE)) {
            GroupStore s = p.groups();
            List<GroupMessageRow> rows = s.messages(GROUP, 0, 100);
            List<String> held = new ArrayList<>();
            long lastPos = 0;
            for (GroupMessageRow r : rows) {
                held.add("G " + r.author()[0] + " " + r.seq());
                assertTrue(r.pos() > lastPos, "positions increase");
                lastPos = r.pos();
                GroupStore.NewGroupMessage expected = StoreChild.groupMessage(r.author()[0], r.seq(), r.raw() != null);
                assertArrayEquals(expected.msgId(), r.msgId());
                assertArrayEquals(expected.raw(), r.raw(), "the raw message comes back byte for byte");
                assertEquals(r.raw() == null, r.hidden(), "the tombstone is hidden");
            }
            assertEquals(lines, held, "each message exactly once, in the order stored");
            assertTrue(rows.stream().anyMatch(r -> r.raw() == null), "the tombstone came back");
            assertEquals(4, p.messages().pendingFor(bob).size(), "the chat messages between them came back too");
            List<GroupMessageRow> next = s.append(GROUP, List.of(StoreChild.groupMessage(1, 6, true),
                    StoreChild.groupMessage(1, 5, true)));
            assertEquals(1, next.size(), "a replayed message is a duplicate");
            assertTrue(next.get(0).pos() > lastPos, "positions go on after the replayed ones");
        }
        assertEquals(0, CommitLog.scan(dir, storeKey(dir)).entryCount(), "closing folds the log into the store");
        try (Profile p = manager.open(dir, TestProfiles.PASSPHRASE)) {
            assertEquals(9, p.groups().messages(GROUP, 0, 100).size(), "nothing replayed twice");
        }
    }

    @Test
    void aDamagedGroupEntryIsReportedAndNothingIsReplayed() throws Exception {
        Path dir = tmp.resolve("p");
        ContactId bob = profileWithGroup(dir);
        haltAfterGroupWrites(dir, bob);
        Path log = dir.resolve(CommitLog.FILE_NAME);
        byte[] bytes = Files.readAllBytes(log);
        // The last frame holds the last group message: flip a byte in its middle.
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int pos = CommitLog.HEADER_LENGTH;
        int start = pos;
        while (b.getInt(pos) != 0) {
            start = pos;
            pos += 4 + b.getInt(pos);
        }
        byte[] damaged = bytes.clone();
        damaged[(start + pos) / 2] ^= 0x10;
        Files.write(log, damaged);
        var hashes = TestProfiles.hashes(dir);
        StoreCheck.Result check = StoreCheck.check(dir, storeKey(dir));
        assertTrue(check.logDamage() != null && check.logDamage().problem().contains("integrity"),
                String.valueOf(check.logDamage()));
        DamagedProfileException refused = assertThrows(DamagedProfileException.class,
                () -> manager.open(dir, TestProfiles.PASSPHRASE));
        assertEquals(CommitLog.FILE_NAME, refused.file());
        assertEquals(hashes, TestProfiles.hashes(dir), "nothing was written");
    }

    @Test
    void aGroupEntryDecodesOnlyWhatItAnnounces() throws IOException {
        CommitLog.GroupEntry g = new CommitLog.GroupEntry(GROUP, new byte[32], 7, new byte[16], new byte[] {1, 2, 3},
                1234);
        CommitLog.GroupEntry tomb = new CommitLog.GroupEntry(GROUP, new byte[32], 8, new byte[16], null, 1235);
        CommitLog.MessageEntry chat = new CommitLog.MessageEntry(true, 7, MessageId.random(TestProfiles.RANDOM), 1, 2,
                0, "hi");
        List<CommitLog.Entry> all = List.of(chat, g, tomb);
        byte[] plain = CommitLog.encode(all);
        assertEquals(all, CommitLog.decode(plain, (short) 3));
        // A version 2 log holds chat entries only: a group entry there is damage.
        assertEquals(List.of(chat), CommitLog.decode(CommitLog.encode(List.of(chat)), (short) 2));
        assertThrows(IOException.class, () -> CommitLog.decode(plain, (short) 2));
        // Trailing bytes, a cut, an unknown kind, a raw length beyond the store's limit.
        byte[] longer = java.util.Arrays.copyOf(plain, plain.length + 1);
        assertThrows(IOException.class, () -> CommitLog.decode(longer, (short) 3));
        for (int cut = 0; cut < plain.length; cut++) {
            byte[] shorter = java.util.Arrays.copyOf(plain, cut);
            assertThrows(IOException.class, () -> CommitLog.decode(shorter, (short) 3), "cut at " + cut);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(1);
        out.writeByte(3);
        out.write(new byte[16 + 32 + 8 + 16 + 8]);
        out.writeInt(GroupStore.MAX_RAW_BYTES + 1);
        out.write(new byte[GroupStore.MAX_RAW_BYTES + 1]);
        assertThrows(IOException.class, () -> CommitLog.decode(bytes.toByteArray(), (short) 3), "raw too long");
        byte[] unknown = plain.clone();
        unknown[4] = 9;
        assertThrows(IOException.class, () -> CommitLog.decode(unknown, (short) 3), "unknown kind");
        byte[] seqZero = CommitLog.encode(List.of(g));
        java.util.Arrays.fill(seqZero, 4 + 1 + 16 + 32, 4 + 1 + 16 + 32 + 8, (byte) 0);
        assertThrows(IOException.class, () -> CommitLog.decode(seqZero, (short) 3), "sequence 0");
    }

    /** Rewrites a log's header as version 2 wrote it (same layout, version field 2, its checksum). */
    private static void markVersion2(Path log) throws Exception {
        byte[] bytes = Files.readAllBytes(log);
        ByteBuffer.wrap(bytes, 8, 2).putShort((short) 2);
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(bytes, 0, 40);
        System.arraycopy(d.digest(), 0, bytes, 40, 16);
        Files.write(log, bytes);
    }

    @Test
    void aVersion2LogOfChatMessagesStillReplaysAndAGroupEntryInOneIsDamage() throws Exception {
        Path dir = tmp.resolve("old");
        ContactId bob = profileWithGroup(dir);
        List<String> lines;
        try (ChildJvm child = new ChildJvm(tmp, "halt", dir.toString(), new String(TestProfiles.PASSPHRASE),
                Long.toString(bob.value()), "halted")) {
            assertEquals(3, child.waitFor(Duration.ofSeconds(120)), "the child halted");
            lines = child.killAndCollect();
        }
        markVersion2(dir.resolve(CommitLog.FILE_NAME));
        CommitLog.Scan old = CommitLog.scan(dir, storeKey(dir));
        assertNull(old.headerProblem());
        assertNull(old.damage());
        assertEquals(10, old.entryCount());
        try (Profile p = manager.open(dir, TestProfiles.PASSPHRASE)) {
            assertEquals(5, p.messages().pendingFor(bob).size(), "the old log's outgoing messages replayed");
            assertEquals(5, p.messages().unreadCount(bob), "and its incoming ones");
        }
        assertEquals(10, lines.size());

        Path mixed = tmp.resolve("mixed");
        ContactId carol = profileWithGroup(mixed);
        haltAfterGroupWrites(mixed, carol);
        markVersion2(mixed.resolve(CommitLog.FILE_NAME));
        CommitLog.Scan s = CommitLog.scan(mixed, storeKey(mixed));
        assertTrue(s.damage() != null, "a group entry in a version 2 log is not read as one");
        assertThrows(DamagedProfileException.class, () -> manager.open(mixed, TestProfiles.PASSPHRASE));
        assertFalse(s.frames().stream().flatMap(f -> f.entries().stream())
                .anyMatch(e -> e instanceof CommitLog.GroupEntry));
    }
}
