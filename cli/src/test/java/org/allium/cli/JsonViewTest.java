package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.allium.core.api.Contact;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.ContactState;
import org.allium.core.api.Direction;
import org.allium.core.api.Message;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.MessengerEvent;
import org.junit.jupiter.api.Test;

/** The event schema (version 1) as documented in cli/README.md. */
class JsonViewTest {

    private static final Instant T = Instant.parse("2026-11-21T20:00:00Z");
    private static final ContactId C = new ContactId(7);
    private static final MessageId M = new MessageId("0123456789abcdef0123456789ABCDEF");
    private static final String SID = FakeEngine.serviceId(5);

    private static Map<String, Object> roundTrip(MessengerEvent e, boolean redact) throws Exception {
        return Json.parseObject(Json.write(JsonView.event(e, T, redact)), 1 << 20);
    }

    @Test
    void everyEventHasItsDocumentedTypeAndHeader() throws Exception {
        Contact contact = new Contact(C, SID, "nick", ContactState.ACCEPTED, true, 2, false, "FP");
        ContactRequest request = new ContactRequest(C, Direction.INCOMING, SID, "nick", "hello", T, true);
        Message message = new Message(M, C, Direction.INCOMING, "text", T, T, MessageStatus.DELIVERED, false);
        Map<MessengerEvent, String> expected = new LinkedHashMap<>();
        expected.put(new MessengerEvent.TorProgress(50, "loading_descriptors", "Loading"), "tor_progress");
        expected.put(new MessengerEvent.TorProblem(MessengerEvent.TorProblem.Kind.BOOTSTRAP_STUCK, "stuck"),
                "tor_problem");
        expected.put(new MessengerEvent.Ready(), "ready");
        expected.put(new MessengerEvent.Stopped(), "stopped");
        expected.put(new MessengerEvent.AcceptingContactsChanged(false), "accepting_contacts_changed");
        expected.put(new MessengerEvent.RequestReceived(request), "request_received");
        expected.put(new MessengerEvent.RequestChanged(request), "request_changed");
        expected.put(new MessengerEvent.RequestExpired(request), "request_expired");
        expected.put(new MessengerEvent.ContactAdded(contact), "contact_added");
        expected.put(new MessengerEvent.ContactChanged(contact), "contact_changed");
        expected.put(new MessengerEvent.ContactRemoved(C), "contact_removed");
        expected.put(new MessengerEvent.PresenceChanged(C, true), "presence_changed");
        expected.put(new MessengerEvent.MessageReceived(message), "message_received");
        expected.put(new MessengerEvent.MessageStatusChanged(C, M, MessageStatus.SENT), "message_status_changed");
        for (Map.Entry<MessengerEvent, String> e : expected.entrySet()) {
            Map<String, Object> m = roundTrip(e.getKey(), false);
            assertEquals(1L, m.get("v"));
            assertEquals(e.getValue(), m.get("type"));
            assertEquals("2026-11-21T20:00:00Z", m.get("time"));
            assertEquals(List.of("v", "type", "time"), List.copyOf(m.keySet()).subList(0, 3), "header first");
        }
    }

    @Test
    void fieldsOfTheMainEvents() throws Exception {
        Map<String, Object> s = roundTrip(new MessengerEvent.MessageStatusChanged(C, M, MessageStatus.DELIVERED), false);
        assertEquals(7L, s.get("contact_id"));
        assertEquals("0123456789abcdef0123456789abcdef", s.get("message_id"));
        assertEquals("delivered", s.get("status"));

        Message msg = new Message(M, C, Direction.INCOMING, "hi\nthere", T, T, MessageStatus.DELIVERED, false);
        Map<?, ?> m = (Map<?, ?>) roundTrip(new MessengerEvent.MessageReceived(msg), false).get("message");
        assertEquals("hi\nthere", m.get("text"));
        assertEquals("incoming", m.get("direction"));
        assertEquals(7L, m.get("contact"));

        Map<String, Object> p = roundTrip(new MessengerEvent.TorProblem(MessengerEvent.TorProblem.Kind.TOR_MISSING,
                "install tor"), false);
        assertEquals("tor_missing", p.get("kind"));

        Message out = new Message(M, C, Direction.OUTGOING, "x", T, null, MessageStatus.QUEUED, true);
        Map<?, ?> o = (Map<?, ?>) roundTrip(new MessengerEvent.MessageReceived(out), false).get("message");
        assertTrue(o.containsKey("received"));
        assertNull(o.get("received"));
    }

    @Test
    void redactionDropsEverythingPersonal() throws Exception {
        Contact contact = new Contact(C, SID, "nick", ContactState.ACCEPTED, true, 2, false, "FP");
        ContactRequest request = new ContactRequest(C, Direction.INCOMING, SID, "nick", "hello", T, true);
        Message message = new Message(M, C, Direction.INCOMING, "secret text", T, T, MessageStatus.DELIVERED, false);
        for (MessengerEvent e : List.of(new MessengerEvent.ContactAdded(contact),
                new MessengerEvent.RequestReceived(request), new MessengerEvent.MessageReceived(message))) {
            String line = Json.write(JsonView.event(e, T, true));
            for (String secret : List.of(SID, "nick", "hello", "secret text", "FP")) {
                assertFalse(line.contains(secret), line);
            }
            assertTrue(line.contains("\"id\""), line);
        }
    }
}
