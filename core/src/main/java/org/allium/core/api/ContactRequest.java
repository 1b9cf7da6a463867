package org.allium.core.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A pending contact request, incoming or outgoing. Immutable.
 *
 * @param id the contact id the request belongs to (kept when it is accepted)
 * @param direction {@link Direction#INCOMING} if they asked us
 * @param serviceId the other side's 56-character public service id
 * @param nickname the nickname they offered (incoming) or we offered them (outgoing); never
 *        null, empty for none; text someone else chose: show it through {@link DisplayText}
 * @param message the message attached to the request; never null, may be empty
 * @param time when it was received (incoming) or created (outgoing)
 * @param delivered for outgoing requests, whether their identity onion acknowledged it;
 *        always true for incoming ones
 * @param localName our own name for them ({@link Messenger#rename}), never sent; null when
 *        none. For incoming requests the rename already shows as {@code nickname}; for outgoing
 *        ones {@code nickname} stays the name we offered, so front ends list them by this
 */
public record ContactRequest(ContactId id, Direction direction, String serviceId, String nickname,
                             String message, Instant time, boolean delivered, String localName) {
    /** A request we have not named. */
    public ContactRequest(ContactId id, Direction direction, String serviceId, String nickname, String message,
            Instant time, boolean delivered) {
        this(id, direction, serviceId, nickname, message, time, delivered, null);
    }

    public ContactRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(nickname, "nickname");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(time, "time");
    }

    /** {@code allium:<serviceId>}. */
    public String link() {
        return Identity.LINK_PREFIX + serviceId;
    }

    @Override
    public String toString() {
        return "ContactRequest[id=" + id + ", " + direction + ", delivered=" + delivered + "]";
    }
}
