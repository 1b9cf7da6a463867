package org.allium.contacts.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of one stored message. Immutable; {@link #toString()} omits the body.
 *
 * @param contact   the conversation (one per contact)
 * @param position  local order within the profile: larger is newer; the paging cursor
 * @param direction sent or received
 * @param id        the wire id
 * @param seq       the sender's per-contact sequence number (ours count from 1)
 * @param composed  when the sender composed it (their clock for incoming messages)
 * @param received  when it was stored here (incoming), or null for outgoing
 * @param status    delivery status
 * @param body      the text
 * @param read      whether the user has seen it (outgoing messages are always read)
 */
public record Message(ContactId contact, long position, Direction direction, MessageId id, long seq,
        Instant composed, Instant received, MessageStatus status, String body, boolean read) {
    public Message {
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(composed, "composed");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public String toString() {
        return "Message[" + contact.value() + "/" + position + ", " + direction + ", seq " + seq + ", " + status
                + ", " + body.length() + " chars]";
    }
}
