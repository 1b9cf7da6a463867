package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.allium.contacts.api.DropStore;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropStoreTest {
    @TempDir
    Path tmp;

    private final TestProfiles.MutableClock clock = new TestProfiles.MutableClock();
    private final ProfileManager manager = TestProfiles.manager(clock);
    private Profile profile;
    private DropStore drops;
    private final byte[] source = key(1);
    private final byte[] other = key(2);

    private static byte[] key(int b) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) b);
        return k;
    }

    @BeforeEach
    void open() throws Exception {
        profile = TestProfiles.create(manager, tmp.resolve("p"));
        drops = profile.drops();
    }

    @AfterEach
    void close() throws Exception {
        profile.close();
    }

    private static MessageId id() {
        return MessageId.random(TestProfiles.RANDOM);
    }

    @Test
    void aSourceHasOneCaseAndResendsAreStoredOnce() throws Exception {
        MessageId first = id();
        DropStore.Submitted s = drops.submit(source, "a b 12", first, clock.instant(), "hello", DropStore.Quotas.DEFAULT);
        assertEquals(DropStore.Outcome.STORED, s.outcome());
        assertEquals(DropStore.Outcome.DUPLICATE,
                drops.submit(source, "a b 12", first, clock.instant(), "hello", DropStore.Quotas.DEFAULT).outcome());
        assertEquals(DropStore.Outcome.STORED,
                drops.submit(source, "a b 12", id(), clock.instant(), "again", DropStore.Quotas.DEFAULT).outcome());
        assertEquals(s.caseId(), drops.caseOf(source).orElseThrow().id());
        assertTrue(drops.caseOf(other).isEmpty());
        DropStore.Case c = drops.get(s.caseId()).orElseThrow();
        assertEquals(2, c.submissions());
        assertEquals(DropStore.State.NEW, c.state());
        assertTrue(c.unread());
        assertEquals(List.of("hello", "again"), drops.items(c.id()).stream().map(DropStore.Item::text).toList());
    }

    @Test
    void repliesNotesStateAssignmentAndReopening() throws Exception {
        long c = drops.submit(source, "p", id(), clock.instant(), "x", DropStore.Quotas.DEFAULT).caseId();
        drops.markRead(c);
        assertEquals(DropStore.State.READ, drops.get(c).orElseThrow().state());
        assertFalse(drops.get(c).orElseThrow().unread());
        MessageId r = id();
        drops.add(c, DropStore.Kind.REPLY, r, clock.instant(), 7L, "answer");
        drops.add(c, DropStore.Kind.REPLY, r, clock.instant(), 7L, "answer"); // resend: stored once
        drops.add(c, DropStore.Kind.NOTE, id(), clock.instant(), 7L, "team only");
        drops.assign(c, 7L);
        DropStore.Case now = drops.get(c).orElseThrow();
        assertEquals(DropStore.State.REPLIED, now.state());
        assertEquals(1, now.replies());
        assertEquals(7L, now.assignee());
        assertEquals(List.of("answer"), drops.replies(c, 64).stream().map(DropStore.Item::text).toList());
        drops.setState(c, DropStore.State.CLOSED);
        drops.submit(source, "p", id(), clock.instant(), "one more", DropStore.Quotas.DEFAULT);
        assertEquals(DropStore.State.NEW, drops.get(c).orElseThrow().state(), "a new submission reopens the case");
    }

    @Test
    void repliesReturnTheNewestOldestFirst() throws Exception {
        long c = drops.submit(source, "p", id(), clock.instant(), "x", DropStore.Quotas.DEFAULT).caseId();
        for (int i = 0; i < 5; i++) {
            drops.add(c, DropStore.Kind.REPLY, id(), clock.instant(), null, "r" + i);
        }
        assertEquals(List.of("r2", "r3", "r4"), drops.replies(c, 3).stream().map(DropStore.Item::text).toList());
    }

    @Test
    void quotasRefusePerSourceAndForTheWholeLine() throws Exception {
        DropStore.Quotas q = new DropStore.Quotas(2, 10_000, 2, 5000);
        assertEquals(DropStore.Outcome.STORED, drops.submit(source, "p", id(), clock.instant(), "1", q).outcome());
        assertEquals(DropStore.Outcome.STORED, drops.submit(source, "p", id(), clock.instant(), "2", q).outcome());
        assertEquals(DropStore.Outcome.SOURCE_QUOTA, drops.submit(source, "p", id(), clock.instant(), "3", q).outcome());
        assertEquals(DropStore.Outcome.STORED, drops.submit(other, "o", id(), clock.instant(), "1", q).outcome());
        assertEquals(DropStore.Outcome.LINE_FULL, drops.submit(key(3), "t", id(), clock.instant(), "1", q).outcome());
        assertEquals(DropStore.Outcome.LINE_FULL,
                drops.submit(other, "o", id(), clock.instant(), "y".repeat(4999), q).outcome());
        assertEquals(2, drops.cases().size());
    }

    @Test
    void deletionAndRetentionOfClosedCases() throws Exception {
        long a = drops.submit(source, "p", id(), clock.instant(), "x", DropStore.Quotas.DEFAULT).caseId();
        long b = drops.submit(other, "q", id(), clock.instant(), "y", DropStore.Quotas.DEFAULT).caseId();
        drops.setState(a, DropStore.State.CLOSED);
        clock.advance(Duration.ofDays(31));
        drops.add(b, DropStore.Kind.NOTE, id(), clock.instant(), null, "keep");
        assertEquals(1, drops.deleteClosedBefore(clock.instant().minus(Duration.ofDays(30))));
        assertTrue(drops.get(a).isEmpty());
        assertTrue(drops.delete(b));
        assertTrue(drops.cases().isEmpty());
        assertFalse(drops.delete(b));
    }

    @Test
    void theStoreHoldsNoSourceKey() throws Exception {
        drops.submit(source, "p", id(), Instant.EPOCH, "x", DropStore.Quotas.DEFAULT);
        byte[] h = ((ProfileImpl) profile).database().transaction("t", tx -> {
            try (var rs = tx.prepare("SELECT source_hash FROM drop_cases").executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        });
        assertFalse(java.util.Arrays.equals(source, h));
    }

    private static org.allium.contacts.api.FileOfferSpec spec(long size) {
        return new org.allium.contacts.api.FileOfferSpec("a.pdf", size, 1024, new byte[32], new byte[32]);
    }

    @Test
    void attachmentsCountWithTheirAnnouncedSizeAgainstEveryQuota() throws Exception {
        DropStore.Quotas q = new DropStore.Quotas(100, 100_000, 100, 1_000_000, 1000, 1500, 2500);
        MessageId f1 = id();
        assertEquals(DropStore.Outcome.TOO_LARGE, drops.submit(source, "a b 12", id(), clock.instant(), "big",
                List.of(new DropStore.NewAttachment(f1, spec(1001))), q).outcome());
        DropStore.Submitted s = drops.submit(source, "a b 12", id(), clock.instant(), "one",
                List.of(new DropStore.NewAttachment(f1, spec(1000))), q);
        assertEquals(DropStore.Outcome.STORED, s.outcome());
        assertEquals(DropStore.Outcome.SOURCE_QUOTA, drops.submit(source, "a b 12", id(), clock.instant(), "two",
                List.of(new DropStore.NewAttachment(id(), spec(501))), q).outcome(), "the case holds 1000 of 1500");
        assertEquals(DropStore.Outcome.STORED, drops.submit(other, "c d 13", id(), clock.instant(), "three",
                List.of(new DropStore.NewAttachment(id(), spec(1000))), q).outcome());
        assertEquals(DropStore.Outcome.LINE_FULL, drops.submit(key(3), "e f 14", id(), clock.instant(), "four",
                List.of(new DropStore.NewAttachment(id(), spec(501))), q).outcome(), "the line holds 2000 of 2500");
        List<DropStore.Attachment> a = drops.attachments(s.caseId());
        assertEquals(1, a.size());
        assertEquals(0, a.get(0).received());
        assertFalse(a.get(0).complete());
    }

    @Test
    void attachmentDataIsEncryptedAndGoesWithItsCase() throws Exception {
        MessageId f = id();
        byte[] chunk = "the leaked memo, plainly".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        DropStore.Submitted s = drops.submit(source, "a b 12", id(), clock.instant(), "memo",
                List.of(new DropStore.NewAttachment(f, new org.allium.contacts.api.FileOfferSpec("memo.txt",
                        chunk.length, 1024, new byte[32], new byte[32]))), DropStore.Quotas.DEFAULT);
        DropStore.Attachment a = drops.attachment(s.caseId(), f).orElseThrow();
        try (org.allium.contacts.api.FileData d = drops.openAttachment(a)) {
            d.writeChunk(0, chunk, 0, chunk.length);
            d.force();
        }
        drops.attachmentProgress(s.caseId(), f, chunk.length);
        assertTrue(drops.attachmentComplete(s.caseId(), f));
        assertFalse(drops.attachmentComplete(s.caseId(), f), "once");
        assertTrue(drops.attachment(s.caseId(), f).orElseThrow().complete());
        java.nio.file.Path dir = profile.directory().resolve("dropfiles");
        try (var files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path p : files.toList()) {
                String bytes = new String(java.nio.file.Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains("leaked memo"), "no plaintext on disk");
                assertFalse(p.getFileName().toString().contains("memo"), "no name on disk");
            }
        }
        byte[] back = new byte[1024];
        try (org.allium.contacts.api.FileData d = drops.openAttachment(a)) {
            assertEquals(chunk.length, d.readChunk(0, back));
        }
        assertTrue(drops.delete(s.caseId()));
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(0, files.count(), "a deleted case's attachments are deleted");
        }
    }

    /**
     * An operator reads a new copy (a local change) while the drop line closes the case: the
     * drop line's head for the close, stamped by its clock before this machine's read, still
     * replaces the copy. Before, the read moved the copy's time to the local clock and the head
     * was ignored as older: the copy stayed "read" for good.
     */
    @Test
    void aLocalChangeToACopyDoesNotHideTheDropLinesNextHead() throws Exception {
        MessageId ref = id();
        java.time.Instant t0 = clock.instant();
        DropStore.Case copy = drops.mirror(7, ref, "p q 10", DropStore.State.NEW, t0, t0, null,
                DropStore.Quotas.DEFAULT).orElseThrow();
        clock.advance(java.time.Duration.ofSeconds(10));
        drops.markRead(copy.id()); // the operator reads it at t0 + 10 s
        drops.setState(copy.id(), DropStore.State.READ);
        drops.add(copy.id(), DropStore.Kind.NOTE, id(), clock.instant(), null, "seen");
        // The drop line closed it at t0 + 5 s by its clock; the head arrives now.
        drops.mirror(7, ref, "p q 10", DropStore.State.CLOSED, t0, t0.plusSeconds(5), null, DropStore.Quotas.DEFAULT);
        assertEquals(DropStore.State.CLOSED, drops.get(copy.id()).orElseThrow().state());
        // An older head than the one held is still ignored.
        drops.mirror(7, ref, "p q 10", DropStore.State.NEW, t0, t0.plusSeconds(1), null, DropStore.Quotas.DEFAULT);
        assertEquals(DropStore.State.CLOSED, drops.get(copy.id()).orElseThrow().state());
    }
}
