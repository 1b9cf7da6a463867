package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.Direction;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.MessageStatus;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: "delete for me" removes one message from this profile — from the store's rows and
 * its commit log, nothing left to read — and the request's text becomes the first item of the
 * conversation when a request is accepted (either way).
 */
class DeleteForMeTest {
    @TempDir
    Path tmp;

    private final TestProfiles.MutableClock clock = new TestProfiles.MutableClock();
    private final ProfileManager manager = TestProfiles.manager(clock);
    private Profile profile;

    @BeforeEach
    void open() throws Exception {
        profile = TestProfiles.create(manager, tmp.resolve("p"));
    }

    @AfterEach
    void close() throws Exception {
        profile.close();
    }

    private ContactId accepted() throws Exception {
        return TestProfiles.acceptedContact(profile);
    }

    private int rows(String sql, Object... args) throws Exception {
        Database db = ((ProfileImpl) profile).database();
        return db.transaction("test", tx -> {
            var ps = tx.prepare(sql);
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void aDeletedMessageIsGoneFromTheStoreAndTheLog() throws Exception {
        ContactId bob = accepted();
        String secretIn = "incoming-marker-7d1e5c";
        String secretOut = "outgoing-marker-93af02";
        MessageId in = MessageId.random(TestProfiles.RANDOM);
        assertTrue(profile.messages().acceptIncoming(bob, in, 1, clock.instant(), secretIn));
        Message out = profile.messages().enqueueOutgoing(bob, secretOut);
        Message kept = profile.messages().enqueueOutgoing(bob, "kept");
        assertThrows(IllegalStateException.class, () -> profile.messages().delete(bob, Direction.OUTGOING, out.id()),
                "a message still being sent is not deleted");
        profile.messages().markDelivered(bob, List.of(out.id(), kept.id()));

        assertTrue(profile.messages().delete(bob, Direction.INCOMING, in));
        assertTrue(profile.messages().delete(bob, Direction.OUTGOING, out.id()));
        assertFalse(profile.messages().delete(bob, Direction.INCOMING, in), "already deleted");
        assertFalse(profile.messages().delete(bob, Direction.INCOMING, out.id()), "the direction is part of the name");

        assertEquals(List.of(kept.id()), profile.messages().page(bob, Long.MAX_VALUE, 10).stream()
                .map(Message::id).toList());
        assertEquals(Optional.empty(), profile.messages().get(bob, Direction.INCOMING, in));
        assertEquals(Optional.empty(), profile.messages().get(bob, Direction.OUTGOING, out.id()));
        // No row holds either text; the incoming one stays a content-free tombstone, so a resend
        // is recognised and not shown again.
        assertEquals(0, rows("SELECT COUNT(*) FROM messages WHERE body = ? OR body = ?", secretIn, secretOut));
        assertEquals(0, rows("SELECT COUNT(*) FROM messages WHERE outgoing = TRUE AND msg_id = ?", out.id().toBytes()));
        assertEquals(1, rows("SELECT COUNT(*) FROM messages WHERE outgoing = FALSE AND msg_id = ? AND expunged = TRUE"
                + " AND body IS NULL AND composed_at IS NULL", in.toBytes()));
        assertFalse(profile.messages().acceptIncoming(bob, in, 1, clock.instant(), secretIn), "a resend is a duplicate");
        assertEquals(1, profile.messages().page(bob, Long.MAX_VALUE, 10).size());

        // The delete synced the store: the commit log (which held the incoming text) is empty
        // again; after closing (compaction) no file of the profile holds either text as bytes.
        Path dir = tmp.resolve("p");
        Path log = dir.resolve("store.log");
        byte[] logBytes = Files.readAllBytes(log);
        for (int i = CommitLog.HEADER_LENGTH; i < logBytes.length; i++) {
            assertEquals(0, logBytes[i], "the commit log was emptied (byte " + i + ")");
        }
        profile.close();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                byte[] bytes = Files.readAllBytes(f);
                for (String s : List.of(secretIn, secretOut)) {
                    assertFalse(contains(bytes, s.getBytes(StandardCharsets.UTF_8)), f.getFileName() + " holds " + s);
                    assertFalse(contains(bytes, s.getBytes(StandardCharsets.UTF_16BE)), f.getFileName() + " holds " + s);
                    assertFalse(contains(bytes, s.getBytes(StandardCharsets.UTF_16LE)), f.getFileName() + " holds " + s);
                }
            }
        }
        profile = manager.open(dir, TestProfiles.PASSPHRASE);
        assertEquals(List.of(kept.id()), profile.messages().page(bob, Long.MAX_VALUE, 10).stream()
                .map(Message::id).toList(), "still gone after reopening (no log replay brings it back)");
    }

    @Test
    void anAcceptedRequestsTextIsTheFirstItemOfTheConversation() throws Exception {
        // They asked us: their text is the first (read) incoming message once we accept.
        Contact theirs = profile.contacts().recordIncomingRequest(TestProfiles.randomAddress(), "Ana",
                "I have documents for you", TestProfiles.theirKeys()).contact();
        assertEquals(List.of(), profile.messages().page(theirs.id(), Long.MAX_VALUE, 10));
        profile.contacts().accept(theirs.id(), TestProfiles.ourKeys());
        List<Message> conv = profile.messages().page(theirs.id(), Long.MAX_VALUE, 10);
        assertEquals(1, conv.size());
        assertEquals(Direction.INCOMING, conv.get(0).direction());
        assertEquals("I have documents for you", conv.get(0).body());
        assertEquals(theirs.firstSeen(), conv.get(0).composed());
        assertTrue(conv.get(0).read(), "read: the user read it before accepting");
        assertEquals(0, profile.messages().unreadCount(theirs.id()));
        assertEquals(0, rows("SELECT COUNT(*) FROM contacts WHERE request_text IS NOT NULL"), "kept once, not twice");
        Message reply = profile.messages().enqueueOutgoing(theirs.id(), "Thank you");
        assertEquals(1, reply.seq(), "our own numbering is untouched");
        assertEquals(List.of("I have documents for you", "Thank you"),
                profile.messages().page(theirs.id(), Long.MAX_VALUE, 10).stream().map(Message::body).toList());

        // We asked them: our text is the first (delivered) outgoing message once they accept;
        // it is never pending, so nothing is sent for it.
        Contact ours = profile.contacts().addOutgoingRequest(TestProfiles.randomAddress(), "Bob", null,
                "Hello, it is me", TestProfiles.ourKeys());
        profile.contacts().accept(ours.id(), TestProfiles.theirKeys());
        List<Message> mine = profile.messages().page(ours.id(), Long.MAX_VALUE, 10);
        assertEquals(1, mine.size());
        assertEquals(Direction.OUTGOING, mine.get(0).direction());
        assertEquals(MessageStatus.DELIVERED, mine.get(0).status());
        assertEquals("Hello, it is me", mine.get(0).body());
        assertEquals(List.of(), profile.messages().pendingFor(ours.id()));
        assertEquals(1, profile.messages().enqueueOutgoing(ours.id(), "next").seq());

        // An empty request text leaves the conversation empty.
        Contact silent = profile.contacts().recordIncomingRequest(TestProfiles.randomAddress(), null, null,
                TestProfiles.theirKeys()).contact();
        profile.contacts().accept(silent.id(), TestProfiles.ourKeys());
        assertEquals(List.of(), profile.messages().page(silent.id(), Long.MAX_VALUE, 10));
    }

    @Test
    void crossingRequestsKeepBothTextsInOrder() throws Exception {
        var address = TestProfiles.randomAddress();
        profile.contacts().addOutgoingRequest(address, null, null, "mine first", TestProfiles.ourKeys());
        clock.advance(java.time.Duration.ofSeconds(5));
        Contact c = profile.contacts().recordIncomingRequest(address, null, "theirs then", TestProfiles.theirKeys())
                .contact();
        assertEquals(List.of("mine first", "theirs then"),
                profile.messages().page(c.id(), Long.MAX_VALUE, 10).stream().map(Message::body).toList());
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
