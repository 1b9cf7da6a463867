package org.allium.core.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One message of a conversation. Immutable snapshot.
 *
 * @param id the random id shared by both sides
 * @param contact the conversation it belongs to
 * @param direction who wrote it
 * @param text the text, never null
 * @param composed when the author wrote it (the author's clock)
 * @param received when it reached us (incoming), or {@code null} for outgoing messages
 * @param status delivery state; {@link MessageStatus#DELIVERED} for incoming messages
 * @param read whether the user has seen it (outgoing messages are always read)
 */
public record Message(MessageId id, ContactId contact, Direction direction, String text,
                      Instant composed, Instant received, MessageStatus status, boolean read) {
    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(composed, "composed");
        Objects.requireNonNull(status, "status");
    }

    @Override
    public String toString() {
        return "Message[id=" + id + ", contact=" + contact + ", " + direction + ", " + status + "]";
    }
}
