package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.ContactStateException;
import org.allium.contacts.api.Direction;
import org.allium.contacts.api.HistoryPolicy;
import org.allium.contacts.api.IncomingMessage;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.MessageStatus;
import org.allium.contacts.api.MessageStore;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.allium.contacts.api.StoreEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageStoreTest {
    @TempDir
    Path tmp;

    private final TestProfiles.MutableClock clock = new TestProfiles.MutableClock();
    private final TestProfiles.Events events = new TestProfiles.Events();
    private final ProfileManager manager = TestProfiles.manager(clock);
    private Profile profile;
    private MessageStore messages;
    private ContactId bob;

    @BeforeEach
    void open() throws Exception {
        profile = TestProfiles.create(manager, tmp.resolve("p"));
        profile.addListener(events.all::add);
        messages = profile.messages();
        bob = accepted();
        events.all.clear();
    }

    @AfterEach
    void close() throws Exception {
        profile.close();
    }

    private ContactId accepted() throws Exception {
        return TestProfiles.acceptedContact(profile);
    }

    private void reopen() throws Exception {
        profile.close();
        profile = manager.open(tmp.resolve("p"), TestProfiles.PASSPHRASE);
        profile.addListener(events.all::add);
        messages = profile.messages();
    }

    @Test
    void statusTransitionTableIsExactlyTheDocumentedOne() {
        for (MessageStatus from : MessageStatus.values()) {
            EnumSet<MessageStatus> allowed = switch (from) {
                case QUEUED -> EnumSet.of(MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.FAILED);
                case SENT -> EnumSet.of(MessageStatus.DELIVERED, MessageStatus.FAILED);
                case FAILED -> EnumSet.of(MessageStatus.QUEUED);
                case DELIVERED -> EnumSet.noneOf(MessageStatus.class);
            };
            for (MessageStatus to : MessageStatus.values()) {
                assertEquals(allowed.contains(to), from.canBecome(to), from + " -> " + to);
            }
        }
        assertTrue(MessageStatus.QUEUED.isPending());
        assertTrue(MessageStatus.SENT.isPending());
        assertFalse(MessageStatus.DELIVERED.isPending());
        assertFalse(MessageStatus.FAILED.isPending());
    }

    @Test
    void enqueueGivesRandomIdsAndConsecutiveSequenceNumbersPerContact() throws Exception {
        Message m1 = messages.enqueueOutgoing(bob, "one");
        Message m2 = messages.enqueueOutgoing(bob, "two");
        ContactId carol = accepted();
        Message c1 = messages.enqueueOutgoing(carol, "c");
        assertEquals(1, m1.seq());
        assertEquals(2, m2.seq());
        assertEquals(1, c1.seq());
        assertFalse(m1.id().equals(m2.id()));
        assertEquals(MessageStatus.QUEUED, m1.status());
        assertEquals(Direction.OUTGOING, m1.direction());
        assertEquals(clock.instant(), m1.composed());
        assertNull(m1.received());
        assertTrue(m1.read());
        assertTrue(m2.position() > m1.position());
        assertEquals(List.of(new StoreEvent.MessageQueued(m1), new StoreEvent.MessageQueued(m2)),
                events.of(StoreEvent.MessageQueued.class).subList(0, 2));
        reopen();
        assertEquals(3, messages.enqueueOutgoing(bob, "three").seq(), "the counter survives a reopen");
        assertEquals(List.of(m1, m2), messages.pendingFor(bob).subList(0, 2));
    }

    @Test
    void pendingSentDeliveredFailedRetry() throws Exception {
        Message a = messages.enqueueOutgoing(bob, "a");
        Message b = messages.enqueueOutgoing(bob, "b");
        Message c = messages.enqueueOutgoing(bob, "c");
        assertEquals(List.of(a.id(), b.id(), c.id()), ids(messages.pendingFor(bob)));

        assertEquals(2, messages.markSent(bob, List.of(a.id(), b.id(), a.id())));
        assertEquals(0, messages.markSent(bob, List.of(a.id())), "SENT -> SENT is not a change");
        assertEquals(List.of(a.id(), b.id(), c.id()), ids(messages.pendingFor(bob)), "sent is still unacked");

        events.all.clear();
        assertEquals(2, messages.markDelivered(bob, List.of(a.id(), c.id())), "QUEUED may jump to DELIVERED");
        assertEquals(List.of(new StoreEvent.MessageStatusChanged(bob, List.of(a.id(), c.id()), MessageStatus.DELIVERED)),
                events.all);
        assertEquals(List.of(b.id()), ids(messages.pendingFor(bob)));
        assertEquals(0, messages.markFailed(bob, List.of(a.id())), "delivered cannot fail");
        assertEquals(0, messages.markSent(bob, List.of(a.id())), "delivered cannot go back");

        assertEquals(1, messages.markFailed(bob, List.of(b.id())));
        assertEquals(List.of(), messages.pendingFor(bob));
        assertFalse(messages.retry(bob, a.id()));
        assertTrue(messages.retry(bob, b.id()));
        assertEquals(List.of(b.id()), ids(messages.pendingFor(bob)));
        assertEquals(Optional.of(MessageStatus.QUEUED),
                messages.findOutgoing(b.id()).map(Message::status));

        // ids of another contact or unknown ids change nothing
        ContactId carol = accepted();
        assertEquals(0, messages.markDelivered(carol, List.of(b.id())));
        assertEquals(0, messages.markDelivered(bob, List.of(MessageId.random(TestProfiles.RANDOM))));
        assertEquals(0, messages.markDelivered(bob, List.of()));
    }

    @Test
    void acceptIncomingIsIdempotentPerContactAndId() throws Exception {
        MessageId id = MessageId.random(TestProfiles.RANDOM);
        Instant composed = Instant.parse("2025-12-31T23:59:00Z");
        clock.advance(Duration.ofSeconds(5));
        assertTrue(messages.acceptIncoming(bob, id, 1, composed, "hello"));
        assertFalse(messages.acceptIncoming(bob, id, 1, composed, "hello"));
        assertFalse(messages.acceptIncoming(bob, id, 7, composed, "a different body"), "the id decides");
        List<StoreEvent.MessageReceived> received = events.of(StoreEvent.MessageReceived.class);
        assertEquals(1, received.size());
        Message m = received.get(0).message();
        assertEquals(Direction.INCOMING, m.direction());
        assertEquals(composed, m.composed());
        assertEquals(clock.instant(), m.received());
        assertEquals(MessageStatus.DELIVERED, m.status());
        assertEquals("hello", m.body());
        assertFalse(m.read());
        assertEquals(Optional.of(m), messages.get(bob, Direction.INCOMING, id));
        assertEquals(Optional.empty(), messages.get(bob, Direction.OUTGOING, id));

        // the same id from another contact is a different message
        ContactId carol = accepted();
        assertTrue(messages.acceptIncoming(carol, id, 1, composed, "hello"));
        // and our own outgoing id coming back from the peer does not collide with ours
        Message ours = messages.enqueueOutgoing(bob, "mine");
        assertTrue(messages.acceptIncoming(bob, ours.id(), 2, composed, "echo"));
        reopen();
        assertFalse(messages.acceptIncoming(bob, id, 1, composed, "hello"), "still a duplicate after reopen");
    }

    @Test
    void aBurstIsStoredInOneCallWithDuplicatesCountedOnce() throws Exception {
        MessageId old = MessageId.random(TestProfiles.RANDOM);
        assertTrue(messages.acceptIncoming(bob, old, 1, clock.instant(), "earlier"));
        events.all.clear();
        MessageId a = MessageId.random(TestProfiles.RANDOM);
        MessageId b = MessageId.random(TestProfiles.RANDOM);
        List<Boolean> fresh = messages.acceptIncoming(bob, List.of(
                new IncomingMessage(a, 2, clock.instant(), "a"),
                new IncomingMessage(old, 1, clock.instant(), "earlier"),
                new IncomingMessage(b, 3, clock.instant(), "b"),
                new IncomingMessage(a, 2, clock.instant(), "a")));
        assertEquals(List.of(true, false, true, false), fresh);
        List<StoreEvent.MessageReceived> received = events.of(StoreEvent.MessageReceived.class);
        assertEquals(List.of(a, b), received.stream().map(r -> r.message().id()).toList(), "one event each, in order");
        assertEquals(3, messages.unreadCount(bob));
        assertEquals(List.of(), messages.acceptIncoming(bob, List.of()));
        // one bad message refuses the whole burst: nothing of it is stored
        MessageId c = MessageId.random(TestProfiles.RANDOM);
        assertThrows(IllegalArgumentException.class, () -> messages.acceptIncoming(bob, List.of(
                new IncomingMessage(c, 4, clock.instant(), "c"),
                new IncomingMessage(MessageId.random(TestProfiles.RANDOM), 5, clock.instant(), ""))));
        assertEquals(Optional.empty(), messages.get(bob, Direction.INCOMING, c));
        reopen();
        assertEquals(List.of(false, false, false), messages.acceptIncoming(bob, List.of(
                new IncomingMessage(a, 2, clock.instant(), "a"), new IncomingMessage(b, 3, clock.instant(), "b"),
                new IncomingMessage(old, 1, clock.instant(), "earlier"))), "still duplicates after reopen");
    }

    @Test
    void incomingValidation() throws Exception {
        MessageId id = MessageId.random(TestProfiles.RANDOM);
        assertThrows(IllegalArgumentException.class, () -> messages.acceptIncoming(bob, id, 1, clock.instant(), ""));
        assertThrows(IllegalArgumentException.class, () -> messages.acceptIncoming(bob, id, 1, clock.instant(),
                "x".repeat(MessageStore.MAX_BODY_LENGTH + 1)));
        assertThrows(IllegalArgumentException.class, () -> messages.acceptIncoming(bob, id, -1, clock.instant(), "x"));
        assertTrue(messages.acceptIncoming(bob, id, 1, clock.instant(), "x".repeat(MessageStore.MAX_BODY_LENGTH)));
        Contact pending = profile.contacts().recordIncomingRequest(TestProfiles.randomAddress(), null, null,
                TestProfiles.theirKeys()).contact();
        assertThrows(ContactStateException.class,
                () -> messages.acceptIncoming(pending.id(), id, 1, clock.instant(), "x"));
        assertThrows(ContactStateException.class, () -> messages.enqueueOutgoing(pending.id(), "x"));
        Contact outgoing = profile.contacts().addOutgoingRequest(TestProfiles.randomAddress(), null, null, null,
                TestProfiles.ourKeys());
        assertEquals(1, messages.enqueueOutgoing(outgoing.id(), "queued before acceptance").seq());
    }

    @Test
    void readAndUnread() throws Exception {
        messages.acceptIncoming(bob, MessageId.random(TestProfiles.RANDOM), 1, clock.instant(), "a");
        messages.acceptIncoming(bob, MessageId.random(TestProfiles.RANDOM), 2, clock.instant(), "b");
        messages.enqueueOutgoing(bob, "c");
        assertEquals(2, messages.unreadCount(bob));
        events.all.clear();
        assertEquals(2, messages.markRead(bob));
        assertEquals(List.of(new StoreEvent.MessagesRead(bob, 2)), events.all);
        assertEquals(0, messages.unreadCount(bob));
        assertEquals(0, messages.markRead(bob));
        assertTrue(messages.page(bob, Long.MAX_VALUE, 10).stream().allMatch(Message::read));
    }

    @Test
    void pagingGoesBackwardsOldestFirstWithinAPage() throws Exception {
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            if (i % 3 == 0) {
                MessageId id = MessageId.random(TestProfiles.RANDOM);
                messages.acceptIncoming(bob, id, i, clock.instant(), "in " + i);
                all.add(messages.get(bob, Direction.INCOMING, id).orElseThrow());
            } else {
                all.add(messages.enqueueOutgoing(bob, "out " + i));
            }
        }
        messages.enqueueOutgoing(accepted(), "other conversation");
        List<Message> newest = messages.page(bob, Long.MAX_VALUE, 10);
        assertEquals(all.subList(15, 25), newest);
        List<Message> older = messages.page(bob, newest.get(0).position(), 10);
        assertEquals(all.subList(5, 15), older);
        assertEquals(all.subList(0, 5), messages.page(bob, older.get(0).position(), 10));
        assertEquals(List.of(), messages.page(bob, all.get(0).position(), 10));
        assertEquals(all.subList(5, 15), messages.page(bob, newest.get(0).id(), 10));
        assertEquals(all.subList(15, 25), messages.page(bob, MessageId.random(TestProfiles.RANDOM), 10));
        assertThrows(IllegalArgumentException.class, () -> messages.page(bob, Long.MAX_VALUE, 0));
    }

    @Test
    void keepIsTheDefaultAndKeepsEverythingAcrossSessions() throws Exception {
        assertEquals(HistoryPolicy.KEEP, messages.defaultPolicy());
        assertEquals(HistoryPolicy.KEEP, messages.policy(bob));
        Message out = messages.enqueueOutgoing(bob, "x");
        messages.markDelivered(bob, List.of(out.id()));
        messages.acceptIncoming(bob, MessageId.random(TestProfiles.RANDOM), 1, clock.instant(), "y");
        clock.advance(Duration.ofDays(3650));
        assertEquals(0, messages.expireDue());
        reopen();
        assertEquals(2, messages.page(bob, Long.MAX_VALUE, 10).size());
    }

    @Test
    void dontKeepExpungesAtTheSessionBoundaryButKeepsPendingAndDuplicateDetection() throws Exception {
        messages.setPolicy(bob, HistoryPolicy.DONT_KEEP);
        assertEquals(HistoryPolicy.DONT_KEEP, messages.policy(bob));
        Message delivered = messages.enqueueOutgoing(bob, "delivered");
        messages.markDelivered(bob, List.of(delivered.id()));
        Message pending = messages.enqueueOutgoing(bob, "pending");
        MessageId in = MessageId.random(TestProfiles.RANDOM);
        messages.acceptIncoming(bob, in, 1, clock.instant(), "incoming");
        assertEquals(3, messages.page(bob, Long.MAX_VALUE, 10).size(), "visible during the session");

        reopen();
        assertEquals(List.of(pending.id()), ids(messages.page(bob, Long.MAX_VALUE, 10)));
        assertEquals(List.of(pending.id()), ids(messages.pendingFor(bob)));
        assertFalse(messages.acceptIncoming(bob, in, 1, clock.instant(), "incoming"), "tombstone still dedups");
        assertEquals(Optional.empty(), messages.get(bob, Direction.INCOMING, in));
        assertEquals(0, messages.unreadCount(bob));

        messages.markDelivered(bob, List.of(pending.id()));
        events.all.clear();
        assertEquals(1, messages.endSession());
        assertEquals(List.of(new StoreEvent.MessagesExpunged(bob, 1)), events.all);
        assertEquals(List.of(), messages.page(bob, Long.MAX_VALUE, 10));
    }

    @Test
    void disappearAfterExpungesOnlyWhatIsDue() throws Exception {
        messages.setPolicy(bob, HistoryPolicy.disappearAfter(Duration.ofHours(1)));
        Message old = messages.enqueueOutgoing(bob, "old");
        messages.markDelivered(bob, List.of(old.id()));
        Message oldPending = messages.enqueueOutgoing(bob, "old but undelivered");
        MessageId oldIn = MessageId.random(TestProfiles.RANDOM);
        messages.acceptIncoming(bob, oldIn, 1, Instant.EPOCH, "old incoming");
        clock.advance(Duration.ofMinutes(40));
        MessageId newIn = MessageId.random(TestProfiles.RANDOM);
        messages.acceptIncoming(bob, newIn, 2, clock.instant(), "new incoming");
        assertEquals(0, messages.expireDue());
        clock.advance(Duration.ofMinutes(20));
        assertEquals(2, messages.expireDue());
        assertEquals(List.of(oldPending.id(), newIn), ids(messages.page(bob, Long.MAX_VALUE, 10)));
        assertFalse(messages.acceptIncoming(bob, oldIn, 1, Instant.EPOCH, "old incoming"));
        // an undelivered message stays until it is delivered, then goes at the next sweep
        messages.markDelivered(bob, List.of(oldPending.id()));
        assertEquals(1, messages.expireDue());
        clock.advance(Duration.ofMinutes(40));
        reopen(); // opening sweeps too
        assertEquals(List.of(), messages.page(bob, Long.MAX_VALUE, 10));
    }

    @Test
    void settingAShorterTimerAppliesAtOnceAndDefaultPolicyAppliesToNewConversations() throws Exception {
        messages.acceptIncoming(bob, MessageId.random(TestProfiles.RANDOM), 1, clock.instant(), "x");
        clock.advance(Duration.ofMinutes(10));
        events.all.clear();
        messages.setPolicy(bob, HistoryPolicy.disappearAfter(Duration.ofMinutes(5)));
        assertEquals(List.of(new StoreEvent.HistoryPolicyChanged(bob, HistoryPolicy.disappearAfter(Duration.ofMinutes(5))),
                new StoreEvent.MessagesExpunged(bob, 1)), events.all);
        messages.setDefaultPolicy(HistoryPolicy.DONT_KEEP);
        assertEquals(HistoryPolicy.DONT_KEEP, messages.defaultPolicy());
        assertEquals(HistoryPolicy.DONT_KEEP, messages.policy(accepted()));
        assertEquals(HistoryPolicy.disappearAfter(Duration.ofMinutes(5)), messages.policy(bob));
    }

    @Test
    void clearHistoryKeepsPendingMessages() throws Exception {
        Message pending = messages.enqueueOutgoing(bob, "p");
        Message done = messages.enqueueOutgoing(bob, "d");
        messages.markDelivered(bob, List.of(done.id()));
        messages.acceptIncoming(bob, MessageId.random(TestProfiles.RANDOM), 1, clock.instant(), "i");
        assertEquals(2, messages.clearHistory(bob));
        assertEquals(List.of(pending.id()), ids(messages.page(bob, Long.MAX_VALUE, 10)));
    }

    @Test
    void policyTextForm() {
        for (HistoryPolicy p : List.of(HistoryPolicy.KEEP, HistoryPolicy.DONT_KEEP,
                HistoryPolicy.disappearAfter(Duration.ofDays(7)))) {
            assertEquals(p, HistoryPolicy.decode(p.encode()));
        }
        assertThrows(IllegalArgumentException.class, () -> HistoryPolicy.decode("FOREVER"));
        assertThrows(IllegalArgumentException.class, () -> HistoryPolicy.decode("DISAPPEAR_AFTER:PT0S"));
        assertThrows(IllegalArgumentException.class, () -> HistoryPolicy.disappearAfter(Duration.ofDays(5000)));
    }

    @Test
    void messageIdWireForm() {
        MessageId id = MessageId.random(TestProfiles.RANDOM);
        assertEquals(id, MessageId.fromBytes(id.toBytes()));
        assertEquals(32, id.toHex().length());
        assertThrows(IllegalArgumentException.class, () -> MessageId.fromBytes(new byte[15]));
    }

    private static List<MessageId> ids(List<Message> l) {
        return l.stream().map(Message::id).toList();
    }
}
