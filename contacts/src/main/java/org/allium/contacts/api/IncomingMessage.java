package org.allium.contacts.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as it arrived from a contact, before it is stored: the sender's id, sequence
 * number, composition time and text.
 */
public record IncomingMessage(MessageId id, long seq, Instant composed, String body) {
    public IncomingMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(composed, "composed");
        Objects.requireNonNull(body, "body");
        if (seq < 0) {
            throw new IllegalArgumentException("sequence numbers are not negative");
        }
    }
}
