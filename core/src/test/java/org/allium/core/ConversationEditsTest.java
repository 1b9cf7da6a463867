package org.allium.core;

import static org.allium.core.FakeNode.LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.ContactState;
import org.allium.core.api.Direction;
import org.allium.core.api.IllegalContactStateException;
import org.allium.core.api.Message;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.UnknownContactException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, end to end between two real engines on the in-JVM fake onion network: the
 * request's message is the first item of the conversation on both sides once accepted;
 * "delete for me" removes one message here only; unblock lets a blocked requester ask again.
 */
class ConversationEditsTest {
    @TempDir
    Path tmp;

    private static List<String> texts(List<Message> conv) {
        return conv.stream().map(Message::text).toList();
    }

    @Test
    void theRequestsMessageOpensTheConversationOnBothSidesAndDeleteForMeIsLocal() throws Exception {
        try (FakeOnionNetwork net = new FakeOnionNetwork();
             FakeNode source = new FakeNode("source", tmp, net);
             FakeNode journalist = new FakeNode("journalist", tmp, net)) {
            source.start();
            journalist.start();
            ContactId atSource = source.messenger.sendContactRequest(journalist.address(), "", "I have documents");
            ContactRequest r = journalist.events.await(MessengerEvent.RequestReceived.class, e -> true, LONG,
                    "request").request();
            journalist.messenger.accept(r.id());

            List<Message> j = journalist.messenger.conversation(r.id(), 50, null);
            assertEquals(List.of("I have documents"), texts(j));
            assertEquals(Direction.INCOMING, j.get(0).direction());
            assertTrue(j.get(0).read(), "read: it was read in the request");
            assertEquals(0, journalist.messenger.contact(r.id()).unread());

            source.events.await(MessengerEvent.ContactAdded.class, e -> e.contact().id().equals(atSource), LONG,
                    "the acceptance reaches the source");
            List<Message> s = source.messenger.conversation(atSource, 50, null);
            assertEquals(List.of("I have documents"), texts(s));
            assertEquals(Direction.OUTGOING, s.get(0).direction());
            assertEquals(MessageStatus.DELIVERED, s.get(0).status());

            // Messages after it follow, on both sides; nothing was sent twice for the request.
            MessageId hi = source.messenger.sendMessage(atSource, "here they are");
            journalist.events.await(MessengerEvent.MessageReceived.class, e -> e.message().id().equals(hi), LONG,
                    "message at the journalist");
            assertEquals(List.of("I have documents", "here they are"),
                    texts(journalist.messenger.conversation(r.id(), 50, null)));

            // Delete for me: gone here, still there; a message still being sent is refused.
            journalist.messenger.deleteMessage(r.id(), hi);
            assertEquals(List.of("I have documents"), texts(journalist.messenger.conversation(r.id(), 50, null)));
            assertEquals(List.of("I have documents", "here they are"),
                    texts(source.messenger.conversation(atSource, 50, null)));
            assertThrows(UnknownContactException.class, () -> journalist.messenger.deleteMessage(r.id(), hi));
            source.messenger.deleteMessage(atSource, s.get(0).id());
            assertEquals(List.of("here they are"), texts(source.messenger.conversation(atSource, 50, null)));

            journalist.stop();
            MessageId pending = source.messenger.sendMessage(atSource, "while you are away");
            assertThrows(IllegalContactStateException.class, () -> source.messenger.deleteMessage(atSource, pending));
            assertEquals(List.of("here they are", "while you are away"),
                    texts(source.messenger.conversation(atSource, 50, null)));
        }
    }

    @Test
    void anUnblockedRequesterCanAskAgain() throws Exception {
        try (FakeOnionNetwork net = new FakeOnionNetwork();
             FakeNode stranger = new FakeNode("stranger", tmp, net);
             FakeNode journalist = new FakeNode("journalist", tmp, net)) {
            stranger.start();
            journalist.start();
            ContactId first = stranger.messenger.sendContactRequest(journalist.address(), "", "first");
            ContactRequest r = journalist.events.await(MessengerEvent.RequestReceived.class, e -> true, LONG,
                    "request").request();
            assertThrows(IllegalContactStateException.class, () -> journalist.messenger.unblock(r.id()),
                    "only a blocked contact is unblocked");
            journalist.messenger.block(r.id());
            assertEquals(ContactState.BLOCKED, journalist.messenger.contact(r.id()).state());

            journalist.messenger.unblock(r.id());
            assertFalse(journalist.messenger.contacts().stream().anyMatch(c -> c.id().equals(r.id())),
                    "the blocked contact is forgotten");
            assertThrows(UnknownContactException.class, () -> journalist.messenger.unblock(r.id()));

            // The stranger asks again: the request arrives (a blocked address's would be dropped).
            stranger.messenger.remove(first);
            stranger.messenger.sendContactRequest(journalist.address(), "", "second");
            ContactRequest again = journalist.events.await(MessengerEvent.RequestReceived.class,
                    e -> e.request().message().equals("second"), LONG, "the request after unblocking").request();
            assertEquals(Direction.INCOMING, again.direction());
        }
    }
}
