package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.Direction;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.MessageStatus;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitLogTest {
    private static final byte[] KEY = new byte[KeyDerivation.KEY_LENGTH];

    @TempDir
    Path tmp;

    private static byte[] storeKey(Path dir) throws Exception {
        return ProfileHeader.read(dir).unseal(TestProfiles.PASSPHRASE.clone());
    }

    private static CommitLog.Entry entry(int i) {
        return new CommitLog.MessageEntry(i % 2 == 0, 7, MessageId.random(TestProfiles.RANDOM), i, 1000L + i,
                i % 2 == 0 ? 0 : 2000L + i, "secret body " + i + " ünïcödé " + "x".repeat(1200));
    }

    private static javax.crypto.spec.SecretKeySpec key() {
        return CommitLog.key(KEY);
    }

    private List<List<CommitLog.Entry>> writeFrames(int frames) throws IOException {
        List<List<CommitLog.Entry>> written = new ArrayList<>();
        try (CommitLog log = CommitLog.create(tmp, key(), TestProfiles.RANDOM, 0)) {
            for (int f = 0; f < frames; f++) {
                List<CommitLog.Entry> frame = List.of(entry(2 * f), entry(2 * f + 1));
                log.append(frame);
                written.add(frame);
            }
        }
        return written;
    }

    private CommitLog.Scan scan() throws IOException {
        return CommitLog.scan(tmp, KEY);
    }

    private static List<CommitLog.Entry> entries(CommitLog.Scan s) {
        return s.frames().stream().flatMap(f -> f.entries().stream()).toList();
    }

    @Test
    void framesRoundTripInOrderAndHoldNoPlaintext() throws IOException {
        List<List<CommitLog.Entry>> written = writeFrames(5);
        List<CommitLog.Entry> all = written.stream().flatMap(List::stream).toList();
        CommitLog.Scan s = scan();
        assertEquals(all, entries(s));
        assertEquals(null, s.damage());
        assertFalse(s.tornTail());
        assertEquals(0, Files.size(tmp.resolve(CommitLog.FILE_NAME)) % CommitLog.UNIT, "grown in whole units");
        byte[] file = Files.readAllBytes(tmp.resolve(CommitLog.FILE_NAME));
        String asText = new String(file, StandardCharsets.ISO_8859_1);
        assertFalse(asText.contains("secret body"), "bodies are encrypted");
        for (CommitLog.Entry e : all) {
            assertFalse(asText.contains(new String(((CommitLog.MessageEntry) e).id().toBytes(), StandardCharsets.ISO_8859_1)), "ids too");
        }
    }

    /** Where the last frame of a three-frame log starts and ends. */
    private long[] lastFrame() throws IOException {
        byte[] bytes = Files.readAllBytes(tmp.resolve(CommitLog.FILE_NAME));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        long pos = CommitLog.HEADER_LENGTH;
        long start = pos;
        while (b.getInt((int) pos) != 0) {
            start = pos;
            pos += 4 + b.getInt((int) pos);
        }
        return new long[] {start, pos};
    }

    @Test
    void anUnwrittenSectorInTheLastFrameIsATornWriteNotDamage() throws IOException {
        List<List<CommitLog.Entry>> written = writeFrames(3);
        Path file = tmp.resolve(CommitLog.FILE_NAME);
        byte[] whole = Files.readAllBytes(file);
        long[] last = lastFrame();
        List<CommitLog.Entry> firstTwo = new ArrayList<>(written.get(0));
        firstTwo.addAll(written.get(1));
        // A power cut wrote the frame's first sectors, not its last: the rest still holds zeros.
        List<Long> starts = new ArrayList<>(List.of(last[0] + 4));
        for (long sector = (last[0] / 512 + 1) * 512; sector < last[1]; sector += 512) {
            starts.add(sector);
        }
        assertTrue(starts.size() >= 1);
        for (long from : starts) {
            byte[] torn = whole.clone();
            java.util.Arrays.fill(torn, (int) from, (int) last[1], (byte) 0);
            Files.write(file, torn);
            CommitLog.Scan s = scan();
            assertEquals(null, s.damage(), "zeros from " + from);
            assertTrue(s.tornTail(), "zeros from " + from);
            assertEquals(firstTwo, entries(s));
        }
        // Its first and last sectors written, one in the middle not.
        long middle = (last[0] / 512 + 1) * 512;
        assertTrue(middle + 512 < last[1], "the test frame spans several sectors");
        byte[] holed = whole.clone();
        java.util.Arrays.fill(holed, (int) middle, (int) middle + 512, (byte) 0);
        Files.write(file, holed);
        assertTrue(scan().tornTail());
        assertEquals(null, scan().damage());
    }

    @Test
    void aFileCutShortAnywhereIsDamageNotATornWrite() throws IOException {
        writeFrames(3);
        Path file = tmp.resolve(CommitLog.FILE_NAME);
        byte[] whole = Files.readAllBytes(file);
        long[] last = lastFrame();
        for (long cut : new long[] {whole.length - 7, last[1] + 2, last[1], last[1] - 1, last[0] + 5, last[0],
                CommitLog.HEADER_LENGTH + 1}) {
            Files.write(file, java.util.Arrays.copyOf(whole, (int) cut));
            CommitLog.Scan s = scan();
            assertTrue(s.damage() != null && s.damage().contains("cut short"), "cut at " + cut + ": " + s.damage());
        }
        Files.write(file, new byte[0]);
        assertTrue(scan().headerProblem() != null, "an empty file has no header");
    }

    @Test
    void aFlippedByteAnywhereIsDamageAndAWrongKeyReadsNothing() throws IOException {
        writeFrames(3);
        Path file = tmp.resolve(CommitLog.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        long[] last = lastFrame();
        for (long at : new long[] {CommitLog.HEADER_LENGTH + 20, last[0] + 30, last[1] - 1, last[1] + 100, 20}) {
            byte[] damaged = bytes.clone();
            damaged[(int) at] ^= 1;
            Files.write(file, damaged);
            CommitLog.Scan s = scan();
            assertTrue(s.damage() != null || s.headerProblem() != null, "flip at " + at);
            assertFalse(s.tornTail(), "a flipped byte is not a torn write: " + at);
        }
        Files.write(file, bytes);
        byte[] otherKey = new byte[KeyDerivation.KEY_LENGTH];
        otherKey[0] = 1;
        CommitLog.Scan s = CommitLog.scan(tmp, otherKey);
        assertTrue(s.damage() != null && s.frames().isEmpty(), "nothing authenticates under another key");
    }

    @Test
    void resetEmptiesTheLogAndIndexesGoOn() throws IOException {
        try (CommitLog log = CommitLog.create(tmp, key(), TestProfiles.RANDOM, 0)) {
            log.append(List.of(entry(1)));
            log.append(List.of(entry(2)));
            log.reset(1);
            assertEquals(0, scan().frames().size());
            assertEquals(CommitLog.UNIT, Files.size(tmp.resolve(CommitLog.FILE_NAME)));
            log.append(List.of(entry(3)));
        }
        CommitLog.Scan s = scan();
        assertEquals(1, s.frames().size());
        assertEquals(2, s.frames().get(0).index(), "frame indexes continue across a reset");
    }

    @Test
    void aLogOfAnotherGenerationIsNeverReplayed() throws IOException {
        writeFrames(2);
        CommitLog.Scan old = scan();
        try (CommitLog log = CommitLog.create(tmp, key(), TestProfiles.RANDOM, 0)) {
            log.append(List.of(entry(5)));
        }
        CommitLog.Scan current = scan();
        // The store records the current generation; the old log copied back is refused.
        StoreCheck.LogState state = new StoreCheck.LogState(current.generation(), 0, false, 0,
                java.util.Set.of(java.util.HexFormat.of().formatHex(old.generation()),
                        java.util.HexFormat.of().formatHex(current.generation())));
        List<CommitLog.Entry> replay = new ArrayList<>();
        assertEquals(null, StoreCheck.checkLog(state, current, replay));
        assertEquals(1, replay.size());
        replay.clear();
        StoreCheck.Damage damage = StoreCheck.checkLog(state, old, replay);
        assertTrue(damage != null && damage.problem().contains("older state"), String.valueOf(damage));
        assertEquals(CommitLog.FILE_NAME, damage.file());
        assertEquals(List.of(), replay);
        // Frames the store has folded are not replayed; frames it expects but the log lacks are damage.
        assertEquals(null, StoreCheck.checkLog(new StoreCheck.LogState(current.generation(), 1, false, 0, Set.of()),
                current, replay));
        assertEquals(List.of(), replay);
        assertTrue(StoreCheck.checkLog(new StoreCheck.LogState(current.generation(), 0, false),
                CommitLog.Scan.absent(), replay).problem().contains("missing"));
    }

    /**
     * A child queues and receives messages and halts the JVM without closing anything: the
     * store's file does not have them yet, the log does, and opening replays them once.
     */
    @Test
    void acknowledgedWritesComeBackFromTheLogAfterTheProcessHalts() throws Exception {
        ProfileManager manager = TestProfiles.manager(new TestProfiles.MutableClock());
        Path dir = tmp.resolve("p");
        ContactId bob;
        Message before;
        try (Profile p = TestProfiles.create(manager, dir)) {
            bob = TestProfiles.acceptedContact(p);
            before = p.messages().enqueueOutgoing(bob, "before the halt");
        }
        assertEquals(0, CommitLog.scan(dir, storeKey(dir)).entryCount(), "a closed store's log is empty");
        List<String> lines;
        try (ChildJvm child = new ChildJvm(tmp, "halt", dir.toString(), new String(TestProfiles.PASSPHRASE),
                Long.toString(bob.value()), "halted")) {
            assertEquals(3, child.waitFor(Duration.ofSeconds(120)), "the child halted");
            lines = child.killAndCollect();
        }
        assertEquals(10, lines.size(), "five out, five in: " + lines);
        assertEquals(10, CommitLog.scan(dir, storeKey(dir)).entryCount(), "the log carried them");
        try (Profile p = manager.open(dir, TestProfiles.PASSPHRASE)) {
            for (String l : lines) {
                MessageId id = MessageId.fromBytes(HexFormat.of().parseHex(l.substring(l.indexOf(' ') + 1)));
                Direction d = l.startsWith("OUT") ? Direction.OUTGOING : Direction.INCOMING;
                assertTrue(p.messages().get(bob, d, id).isPresent(), "kept: " + l);
            }
            List<Message> pending = p.messages().pendingFor(bob);
            assertEquals(6, pending.size(), "the earlier message and the five halted ones, once each");
            assertEquals(before.id(), pending.get(0).id());
            for (int i = 0; i < pending.size(); i++) {
                assertEquals(i + 1, pending.get(i).seq(), "sequence numbers continue without a gap");
                assertEquals(MessageStatus.QUEUED, pending.get(i).status());
            }
            Message next = p.messages().enqueueOutgoing(bob, "after the halt");
            assertEquals(7, next.seq(), "the next sequence number follows the replayed ones");
            assertEquals(5, p.messages().unreadCount(bob), "replayed incoming messages are unread");
        }
        assertEquals(0, CommitLog.scan(dir, storeKey(dir)).entryCount(), "closing folds the log into the store");
    }

    /**
     * Opening after a halt replays the log, syncs the store as closed cleanly, then starts a new
     * log. Stopped between the two (here: the new log cannot be created, as a crash at that
     * moment would leave it), the old log's frames are still there; the next open must see them
     * as already in the store, not report a damaged profile, and replay nothing twice.
     */
    @Test
    void anOpenStoppedAfterReplayingButBeforeTheNewLogOpensAgainCleanly() throws Exception {
        ProfileManager manager = TestProfiles.manager(new TestProfiles.MutableClock());
        Path dir = tmp.resolve("p");
        ContactId bob;
        try (Profile p = TestProfiles.create(manager, dir)) {
            bob = TestProfiles.acceptedContact(p);
        }
        try (ChildJvm child = new ChildJvm(tmp, "halt", dir.toString(), new String(TestProfiles.PASSPHRASE),
                Long.toString(bob.value()), "halted")) {
            assertEquals(3, child.waitFor(Duration.ofSeconds(120)), "the child halted");
            child.killAndCollect();
        }
        assertEquals(10, CommitLog.scan(dir, storeKey(dir)).entryCount(), "the log carried them");
        // Where the new log is written first: a directory, so creating it fails after the replay.
        Path blocker = Files.createDirectories(dir.resolve(CommitLog.FILE_NAME + ".new").resolve("x"));
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> manager.open(dir, TestProfiles.PASSPHRASE).close(),
                "the new log cannot be created");
        Files.delete(blocker);
        Files.delete(blocker.getParent());
        try (Profile p = manager.open(dir, TestProfiles.PASSPHRASE)) {
            assertEquals(5, p.messages().pendingFor(bob).size(), "the five halted outgoing messages, once each");
            assertEquals(5, p.messages().unreadCount(bob), "the five halted incoming messages, once each");
        }
    }
}
