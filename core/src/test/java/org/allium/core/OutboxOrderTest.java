package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.Direction;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.MessageStatus;
import org.junit.jupiter.api.Test;

/**
 * When the writer may send messages handed over by sendMessage without reading the outbox:
 * only when they continue the sequence already sent on the session without a gap.
 */
class OutboxOrderTest {
    private static Message m(long seq) {
        return new Message(new ContactId(1), seq, Direction.OUTGOING, new MessageId(seq, seq), seq, Instant.EPOCH,
                null, MessageStatus.QUEUED, "x", true);
    }

    @Test
    void handedMessagesAreSentDirectlyOnlyWhenTheyContinueTheSequence() {
        assertTrue(ConnectionManager.follows(4, List.of(m(5))));
        assertTrue(ConnectionManager.follows(4, List.of(m(5), m(6), m(7))));
        assertFalse(ConnectionManager.follows(-1, List.of(m(1))), "nothing known about this session yet");
        assertFalse(ConnectionManager.follows(4, List.of(m(6))), "seq 5 may be committed but not handed over");
        assertFalse(ConnectionManager.follows(4, List.of(m(5), m(7))), "a gap");
        assertFalse(ConnectionManager.follows(4, List.of(m(4))), "already sent: read the outbox");
        assertFalse(ConnectionManager.follows(4, List.of(m(5), m(5))), "twice");
    }
}
