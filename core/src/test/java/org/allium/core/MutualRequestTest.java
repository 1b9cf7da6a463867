package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.allium.core.api.ContactId;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.MessengerEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two people ask each other (they swapped addresses): B's request to A is still undelivered
 * (A not accepting for a moment) when A's request reaches B, so B records MUTUAL. Both must
 * end ACCEPTED and able to write. FAILS on main at the time of writing: B turns ACCEPTED and
 * dials A's endpoint, but A never learns B's endpoint — B's own request is abandoned
 * (tryDeliver: no longer OUTGOING_REQUEST) and the MUTUAL path sets no ACCEPT_PENDING, so no
 * Accept is sent on the session nor on A's re-ask — A stays OUTGOING_REQUEST for ever.
 */
class MutualRequestTest {
    private static final Duration LONG = FakeNode.LONG;

    @TempDir
    Path tmp;

    @Test
    void requestsCrossingBecomeOneAcceptedContactOnBothSides() throws Exception {
        try (FakeOnionNetwork net = new FakeOnionNetwork();
             FakeNode a = new FakeNode("trent", tmp, net);
             FakeNode b = new FakeNode("ursula", tmp, net)) {
            a.start();
            b.start();
            a.messenger.setAcceptingContacts(false);
            ContactId aAtB = b.messenger.sendContactRequest(a.address(), null, "");
            ContactId bAtA = a.messenger.sendContactRequest(b.address(), null, "");
            b.events.await(MessengerEvent.ContactAdded.class, e -> e.contact().id().equals(aAtB), LONG,
                    "MUTUAL at B");
            a.messenger.setAcceptingContacts(true);
            a.events.await(MessengerEvent.ContactAdded.class, e -> e.contact().id().equals(bAtA), LONG,
                    "A learns that B is a contact");
            MessageId m = a.messenger.sendMessage(bAtA, "mutual");
            a.events.await(MessengerEvent.MessageStatusChanged.class,
                    e -> e.message().equals(m) && e.status() == MessageStatus.DELIVERED, LONG, "delivered");
            assertEquals(1, a.messenger.contacts().size());
            assertTrue(a.messenger.requests().isEmpty(), "no request left at A");
            assertTrue(b.messenger.requests().isEmpty(), "no request left at B");
        }
    }
}
