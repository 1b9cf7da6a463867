package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactExistsException;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.ContactState;
import org.allium.contacts.api.ContactStateException;
import org.allium.contacts.api.ContactStore;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.IncomingRequestOutcome.Kind;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageStatus;
import org.allium.contacts.api.NoSuchContactException;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.StoreEvent;
import org.allium.protocol.OnionAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactStoreTest {
    @TempDir
    Path tmp;

    private final TestProfiles.MutableClock clock = new TestProfiles.MutableClock();
    private final TestProfiles.Events events = new TestProfiles.Events();
    private Profile profile;
    private ContactStore contacts;

    @BeforeEach
    void open() throws Exception {
        profile = TestProfiles.create(TestProfiles.manager(clock), tmp.resolve("p"));
        profile.addListener(events.all::add);
        contacts = profile.contacts();
    }

    @AfterEach
    void close() throws Exception {
        profile.close();
    }

    @Test
    void transitionTableIsExactlyTheDocumentedOne() {
        for (ContactState from : ContactState.values()) {
            EnumSet<ContactState> allowed = switch (from) {
                case OUTGOING_REQUEST, INCOMING_REQUEST ->
                        EnumSet.of(ContactState.ACCEPTED, ContactState.BLOCKED, ContactState.REMOVED);
                case ACCEPTED -> EnumSet.of(ContactState.BLOCKED, ContactState.REMOVED);
                case BLOCKED -> EnumSet.of(ContactState.REMOVED);
                case REMOVED -> EnumSet.noneOf(ContactState.class);
            };
            for (ContactState to : ContactState.values()) {
                assertEquals(allowed.contains(to), from.canBecome(to), from + " -> " + to);
            }
        }
    }

    @Test
    void outgoingRequestThenAcceptedByThem() throws Exception {
        OnionAddress bob = TestProfiles.randomAddress();
        EndpointKeys ours = TestProfiles.ourKeys();
        Contact c = contacts.addOutgoingRequest(bob, "Bob", "Alice", "hi bob", ours);
        assertEquals(ContactState.OUTGOING_REQUEST, c.state());
        assertEquals("Bob", c.nickname());
        assertEquals("Alice", c.requestNickname());
        assertEquals("hi bob", c.requestText());
        assertFalse(c.requestDelivered());
        assertEquals(clock.instant(), c.firstSeen());
        assertNull(c.lastSeen());
        assertEquals(List.of(new StoreEvent.ContactAdded(c)), events.all);

        assertTrue(contacts.markRequestDelivered(c.id()).requestDelivered());
        assertThrows(ContactExistsException.class, () -> contacts.addOutgoingRequest(bob, null, null, null, ours));

        EndpointKeys theirs = TestProfiles.theirKeys();
        Contact accepted = contacts.accept(c.id(), theirs);
        assertEquals(ContactState.ACCEPTED, accepted.state());
        assertNull(accepted.requestText());
        assertNull(accepted.requestNickname());
        EndpointKeys stored = contacts.endpointKeys(c.id());
        assertTrue(stored.isComplete());
        assertEquals(ours.ourEndpoint(), stored.ourEndpoint());
        assertEquals(ours.theirClientAuthPublicKey(), stored.theirClientAuthPublicKey());
        assertEquals(theirs.theirEndpoint(), stored.theirEndpoint());
        assertEquals(theirs.ourClientAuth(), stored.ourClientAuth());
        StoreEvent.ContactChanged changed = events.of(StoreEvent.ContactChanged.class).get(1);
        assertEquals(ContactState.OUTGOING_REQUEST, changed.previousState());
        assertEquals(ContactState.ACCEPTED, changed.contact().state());

        ContactStateException e = assertThrows(ContactStateException.class, () -> contacts.accept(c.id(), theirs));
        assertEquals(ContactState.ACCEPTED, e.state());
    }

    @Test
    void incomingRequestThenAcceptedByUs() throws Exception {
        OnionAddress carol = TestProfiles.randomAddress();
        EndpointKeys theirs = TestProfiles.theirKeys();
        var outcome = contacts.recordIncomingRequest(carol, "Carol", "hello", theirs);
        assertEquals(Kind.NEW, outcome.kind());
        Contact c = outcome.contact();
        assertEquals(ContactState.INCOMING_REQUEST, c.state());
        assertEquals("Carol", c.nickname());
        assertEquals("hello", c.requestText());

        // a replay neither duplicates the contact nor replaces the keys we hold
        var again = contacts.recordIncomingRequest(carol, "Mallory", "other", TestProfiles.theirKeys());
        assertEquals(Kind.DUPLICATE, again.kind());
        assertEquals(theirs.theirEndpoint(), contacts.endpointKeys(c.id()).theirEndpoint());
        assertEquals(1, contacts.list().size());

        Contact accepted = contacts.accept(c.id(), TestProfiles.ourKeys());
        assertEquals(ContactState.ACCEPTED, accepted.state());
        assertTrue(contacts.endpointKeys(c.id()).isComplete());
        assertEquals(Kind.ALREADY_ACCEPTED,
                contacts.recordIncomingRequest(carol, null, null, TestProfiles.theirKeys()).kind());
        assertEquals(theirs.theirEndpoint(), contacts.endpointKeys(c.id()).theirEndpoint());
    }

    @Test
    void crossingRequestsBecomeMutual() throws Exception {
        OnionAddress dave = TestProfiles.randomAddress();
        Contact c = contacts.addOutgoingRequest(dave, "Dave", null, null, TestProfiles.ourKeys());
        var outcome = contacts.recordIncomingRequest(dave, "D", "hi", TestProfiles.theirKeys());
        assertEquals(Kind.MUTUAL, outcome.kind());
        assertEquals(ContactState.ACCEPTED, outcome.contact().state());
        assertEquals("Dave", outcome.contact().nickname());
        assertTrue(contacts.endpointKeys(c.id()).isComplete());
    }

    @Test
    void blockingDropsKeysAndRequestTextAndFailsPendingAndRefusesFutureRequests() throws Exception {
        OnionAddress eve = TestProfiles.randomAddress();
        Contact c = contacts.recordIncomingRequest(eve, "Eve", "secret request", TestProfiles.theirKeys()).contact();
        contacts.accept(c.id(), TestProfiles.ourKeys());
        Message queued = profile.messages().enqueueOutgoing(c.id(), "unsent");
        assertTrue(profile.messages().acceptIncoming(c.id(), org.allium.contacts.api.MessageId.random(TestProfiles.RANDOM),
                1, clock.instant(), "kept history"));
        events.all.clear();

        Contact blocked = contacts.block(c.id());
        assertEquals(ContactState.BLOCKED, blocked.state());
        assertNull(blocked.requestText());
        assertEquals(EndpointKeys.NONE, contacts.endpointKeys(c.id()));
        assertTrue(contacts.isBlocked(eve));
        assertEquals(MessageStatus.FAILED, profile.messages().get(c.id(), queued.direction(), queued.id())
                .orElseThrow().status());
        // history stays: the accepted request's text (its first item), "unsent", "kept history"
        assertEquals(3, profile.messages().page(c.id(), Long.MAX_VALUE, 10).size());
        assertEquals(new StoreEvent.MessageStatusChanged(c.id(), List.of(queued.id()), MessageStatus.FAILED),
                events.all.get(0));

        // future requests leave nothing behind and publish nothing
        events.all.clear();
        var outcome = contacts.recordIncomingRequest(eve, "Eve2", "let me in", TestProfiles.theirKeys());
        assertEquals(Kind.BLOCKED, outcome.kind());
        assertNull(outcome.contact());
        assertEquals(List.of(), events.all);
        assertNull(contacts.get(c.id()).orElseThrow().requestText());
        assertEquals(EndpointKeys.NONE, contacts.endpointKeys(c.id()));
        assertEquals(Optional.of(blocked), contacts.get(c.id()));

        assertSame(blocked, contacts.block(c.id()));
        assertThrows(ContactStateException.class, () -> contacts.accept(c.id(), TestProfiles.ourKeys()));
        assertThrows(ContactStateException.class, () -> profile.messages().enqueueOutgoing(c.id(), "x"));
        assertThrows(ContactStateException.class, () -> profile.messages().acceptIncoming(c.id(),
                org.allium.contacts.api.MessageId.random(TestProfiles.RANDOM), 2, clock.instant(), "x"));
        assertThrows(ContactStateException.class, () -> contacts.updateEndpointKeys(c.id(), TestProfiles.ourKeys()));
        assertThrows(ContactExistsException.class,
                () -> contacts.addOutgoingRequest(eve, null, null, null, TestProfiles.ourKeys()));

        // unblocking forgets the contact entirely; they can ask again
        contacts.unblock(eve);
        assertFalse(contacts.isBlocked(eve));
        assertEquals(Optional.empty(), contacts.get(c.id()));
        assertTrue(events.all.contains(new StoreEvent.ContactRemoved(c.id())));
        assertEquals(Kind.NEW, contacts.recordIncomingRequest(eve, null, null, TestProfiles.theirKeys()).kind());
    }

    private static void assertSame(Contact expected, Contact actual) {
        assertEquals(expected, actual);
    }

    @Test
    void blockingAStrangerStoresOnlyAKeyedHash() throws Exception {
        OnionAddress stranger = TestProfiles.randomAddress();
        contacts.blockAddress(stranger);
        assertTrue(contacts.isBlocked(stranger));
        assertFalse(contacts.isBlocked(TestProfiles.randomAddress()));
        assertEquals(List.of(), contacts.list());
        assertEquals(Kind.BLOCKED, contacts.recordIncomingRequest(stranger, "x", "y", TestProfiles.theirKeys()).kind());
        assertEquals(List.of(), contacts.list());
        contacts.unblock(stranger);
        assertFalse(contacts.isBlocked(stranger));
        contacts.unblock(stranger); // no-op
    }

    @Test
    void blockAddressOfAnExistingContactBlocksTheContact() throws Exception {
        OnionAddress a = TestProfiles.randomAddress();
        Contact c = contacts.addOutgoingRequest(a, null, null, "req", TestProfiles.ourKeys());
        contacts.blockAddress(a);
        assertEquals(ContactState.BLOCKED, contacts.get(c.id()).orElseThrow().state());
        assertTrue(contacts.isBlocked(a));
    }

    @Test
    void removalDeletesHistoryAndKeysInEveryState() throws Exception {
        for (ContactState state : List.of(ContactState.OUTGOING_REQUEST, ContactState.INCOMING_REQUEST,
                ContactState.ACCEPTED, ContactState.BLOCKED)) {
            OnionAddress a = TestProfiles.randomAddress();
            Contact c = contactIn(state, a);
            events.all.clear();
            contacts.remove(c.id());
            assertEquals(Optional.empty(), contacts.get(c.id()), state.name());
            assertEquals(Optional.empty(), contacts.find(a));
            assertEquals(List.of(new StoreEvent.ContactRemoved(c.id())), events.all);
            assertThrows(NoSuchContactException.class, () -> contacts.endpointKeys(c.id()));
            assertThrows(NoSuchContactException.class, () -> profile.messages().policy(c.id()));
            assertEquals(List.of(), profile.messages().page(c.id(), Long.MAX_VALUE, 10));
            assertEquals(state == ContactState.BLOCKED, contacts.isBlocked(a), "a removed blocked contact stays blocked");
            // the raw tables hold nothing of it
            assertEquals(0, countRows("SELECT COUNT(*) FROM messages WHERE contact_id = " + c.id().value()));
            assertEquals(0, countRows("SELECT COUNT(*) FROM endpoint_keys WHERE contact_id = " + c.id().value()));
            assertEquals(0, countRows("SELECT COUNT(*) FROM conversations WHERE contact_id = " + c.id().value()));
        }
        assertThrows(NoSuchContactException.class, () -> contacts.remove(new ContactId(999)));
    }

    private int countRows(String sql) throws Exception {
        Database db = ((ProfileImpl) profile).database();
        return db.transaction("test", tx -> {
            try (var rs = tx.prepare(sql).executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    private Contact contactIn(ContactState state, OnionAddress a) throws Exception {
        Contact c = switch (state) {
            case OUTGOING_REQUEST -> contacts.addOutgoingRequest(a, null, null, null, TestProfiles.ourKeys());
            default -> contacts.recordIncomingRequest(a, null, null, TestProfiles.theirKeys()).contact();
        };
        if (state == ContactState.ACCEPTED || state == ContactState.BLOCKED) {
            contacts.accept(c.id(), TestProfiles.ourKeys());
            profile.messages().enqueueOutgoing(c.id(), "out");
            profile.messages().acceptIncoming(c.id(), org.allium.contacts.api.MessageId.random(TestProfiles.RANDOM), 1,
                    clock.instant(), "in");
        }
        if (state == ContactState.BLOCKED) {
            contacts.block(c.id());
        }
        return contacts.get(c.id()).orElseThrow();
    }

    @Test
    void nicknameVerifiedAndSeen() throws Exception {
        Contact c = contacts.addOutgoingRequest(TestProfiles.randomAddress(), "x", null, null, TestProfiles.ourKeys());
        assertEquals("Y", contacts.setNickname(c.id(), "  Y ").nickname());
        assertNull(contacts.setNickname(c.id(), " ").nickname());
        assertThrows(IllegalArgumentException.class, () -> contacts.setNickname(c.id(), "n".repeat(257)));
        assertTrue(contacts.setVerified(c.id(), true).verified());
        assertFalse(contacts.setVerified(c.id(), false).verified());
        Instant t = clock.instant().plus(Duration.ofHours(1));
        assertEquals(t, contacts.markSeen(c.id(), t).lastSeen());
        assertEquals(t, contacts.markSeen(c.id(), t.minusSeconds(5)).lastSeen(), "last seen never goes back");
        assertEquals(clock.instant(), contacts.get(c.id()).orElseThrow().firstSeen());
        events.all.clear();
        contacts.setVerified(c.id(), false); // no change, no event
        assertEquals(List.of(), events.all);
    }

    @Test
    void endpointKeysCanBeFilledInLater() throws Exception {
        Contact c = contacts.addOutgoingRequest(TestProfiles.randomAddress(), null, null, null, EndpointKeys.NONE);
        assertEquals(EndpointKeys.NONE, contacts.endpointKeys(c.id()));
        EndpointKeys ours = TestProfiles.ourKeys();
        EndpointKeys merged = contacts.updateEndpointKeys(c.id(), ours);
        assertEquals(ours, merged);
        assertEquals(ours, contacts.endpointKeys(c.id()));
        assertNotNull(merged.toString());
        assertFalse(merged.toString().contains(ours.theirClientAuthPublicKey()));
    }

    @Test
    void contactToStringRevealsNothing() throws Exception {
        OnionAddress a = TestProfiles.randomAddress();
        Contact c = contacts.addOutgoingRequest(a, "SecretName", null, "secret text", TestProfiles.ourKeys());
        String s = c.toString() + events.all;
        assertFalse(s.contains(a.serviceId().substring(0, 10)));
        assertFalse(s.contains("SecretName"));
        assertFalse(s.contains("secret text"));
    }

    @Test
    void failedTransactionPublishesNoEventAndChangesNothing() throws Exception {
        OnionAddress a = TestProfiles.randomAddress();
        contacts.addOutgoingRequest(a, null, null, null, TestProfiles.ourKeys());
        events.all.clear();
        Database db = ((ProfileImpl) profile).database();
        assertThrows(IllegalStateException.class, () -> db.transaction("test", tx -> {
            tx.prepare("UPDATE contacts SET nickname = 'changed'").executeUpdate();
            tx.attach(new StoreEvent.SettingChanged("x"));
            throw new IllegalStateException("boom");
        }));
        assertEquals(List.of(), events.all);
        assertNull(contacts.find(a).orElseThrow().nickname());
    }
}
