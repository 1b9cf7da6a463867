package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.allium.contacts.api.Contact;
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

    private static CommitLog.Entry entry(int i) {
        return new CommitLog.Entry(i % 2 == 0, 7, MessageId.random(TestProfiles.RANDOM), i, 1000L + i,
                i % 2 == 0 ? 0 : 2000L + i, "secret body " + i + " ünïcödé");
    }

    private List<List<CommitLog.Entry>> writeFrames(int frames) throws IOException {
        List<List<CommitLog.Entry>> written = new ArrayList<>();
        try (CommitLog log = CommitLog.open(tmp, KEY, TestProfiles.RANDOM)) {
            log.readAll();
            for (int f = 0; f < frames; f++) {
                List<CommitLog.Entry> frame = List.of(entry(2 * f), entry(2 * f + 1));
                log.append(frame);
                written.add(frame);
            }
        }
        return written;
    }

    private List<CommitLog.Entry> readBack() throws IOException {
        try (CommitLog log = CommitLog.open(tmp, KEY, TestProfiles.RANDOM)) {
            return log.readAll();
        }
    }

    @Test
    void framesRoundTripInOrderAndHoldNoPlaintext() throws IOException {
        List<List<CommitLog.Entry>> written = writeFrames(5);
        List<CommitLog.Entry> all = written.stream().flatMap(List::stream).toList();
        assertEquals(all, readBack());
        byte[] file = Files.readAllBytes(tmp.resolve(CommitLog.FILE_NAME));
        String asText = new String(file, StandardCharsets.ISO_8859_1);
        assertFalse(asText.contains("secret body"), "bodies are encrypted");
        for (CommitLog.Entry e : all) {
            assertFalse(asText.contains(new String(e.id().toBytes(), StandardCharsets.ISO_8859_1)), "ids too");
        }
    }

    @Test
    void aTornLastFrameIsDroppedAtEveryCutAndOverwrittenByTheNextAppend() throws IOException {
        List<List<CommitLog.Entry>> written = writeFrames(3);
        Path file = tmp.resolve(CommitLog.FILE_NAME);
        byte[] whole = Files.readAllBytes(file);
        try (CommitLog log = CommitLog.open(tmp, KEY, TestProfiles.RANDOM)) {
            log.reset();
            log.append(written.get(0));
            log.append(written.get(1));
        }
        int boundary = Files.readAllBytes(file).length;
        List<CommitLog.Entry> firstTwo = new ArrayList<>(written.get(0));
        firstTwo.addAll(written.get(1));
        for (int cut = boundary; cut < whole.length; cut++) {
            Files.write(file, java.util.Arrays.copyOf(whole, cut));
            assertEquals(firstTwo, readBack(), "cut at " + cut);
        }
        // The next append goes where the torn frame began, and reads back whole.
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 3));
        List<CommitLog.Entry> later = List.of(entry(99));
        try (CommitLog log = CommitLog.open(tmp, KEY, TestProfiles.RANDOM)) {
            log.readAll();
            log.append(later);
        }
        List<CommitLog.Entry> expected = new ArrayList<>(firstTwo);
        expected.addAll(later);
        assertEquals(expected, readBack());
    }

    @Test
    void damageBeforeTheLastFrameFailsLoudlyAndAWrongKeyReadsNothing() throws IOException {
        writeFrames(3);
        Path file = tmp.resolve(CommitLog.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        byte[] damaged = bytes.clone();
        damaged[20] ^= 1; // inside the first frame's ciphertext
        Files.write(file, damaged);
        assertThrows(IOException.class, this::readBack);
        Files.write(file, bytes);
        byte[] otherKey = new byte[KeyDerivation.KEY_LENGTH];
        otherKey[0] = 1;
        try (CommitLog log = CommitLog.open(tmp, otherKey, TestProfiles.RANDOM)) {
            assertThrows(IOException.class, log::readAll, "a frame that fails authentication before others is damage");
        }
    }

    @Test
    void resetEmptiesTheFile() throws IOException {
        writeFrames(2);
        try (CommitLog log = CommitLog.open(tmp, KEY, TestProfiles.RANDOM)) {
            assertEquals(4, log.readAll().size());
            log.reset();
            assertEquals(0, log.size());
        }
        assertEquals(0, Files.size(tmp.resolve(CommitLog.FILE_NAME)));
        assertEquals(List.of(), readBack());
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
            Contact c = p.contacts().addOutgoingRequest(TestProfiles.randomAddress(), null, null, null,
                    TestProfiles.ourKeys());
            bob = p.contacts().accept(c.id(), TestProfiles.theirKeys()).id();
            before = p.messages().enqueueOutgoing(bob, "before the halt");
        }
        assertFalse(Files.exists(dir.resolve(CommitLog.FILE_NAME)), "a closed store has no log");
        List<String> lines;
        try (ChildJvm child = new ChildJvm(tmp, "halt", dir.toString(), new String(TestProfiles.PASSPHRASE),
                Long.toString(bob.value()), "halted")) {
            assertEquals(3, child.waitFor(Duration.ofSeconds(120)), "the child halted");
            lines = child.killAndCollect();
        }
        assertEquals(10, lines.size(), "five out, five in: " + lines);
        assertTrue(Files.size(dir.resolve(CommitLog.FILE_NAME)) > 0, "the log carried them");
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
        assertFalse(Files.exists(dir.resolve(CommitLog.FILE_NAME)), "closing folds the log into the store");
    }
}
