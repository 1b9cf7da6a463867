package org.allium.contacts.api;

import java.time.Instant;
import java.util.Objects;
import org.allium.protocol.OnionAddress;

/**
 * A snapshot of one contact. Immutable; {@link #toString()} shows neither the address
 * nor the nickname nor the request text.
 *
 * @param id          local id
 * @param address     their identity (public) onion address
 * @param nickname    the name we gave them, or null
 * @param state       where the contact stands
 * @param verified    whether the user confirmed the safety fingerprint out of band
 * @param firstSeen   when this profile first learned of them
 * @param lastSeen    when they were last connected, or null if never
 * @param requestNickname  the nickname offered in the contact request: ours to them (outgoing) or
 *                         theirs (incoming); null if none or once the request is settled
 * @param requestText      the text of the contact request: ours (outgoing, kept so it can be resent)
 *                         or theirs (incoming); null if none or once blocked
 * @param requestDelivered for an outgoing request, whether their identity onion acknowledged it
 */
public record Contact(ContactId id, OnionAddress address, String nickname, ContactState state,
        boolean verified, Instant firstSeen, Instant lastSeen, String requestNickname, String requestText,
        boolean requestDelivered) {
    public Contact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(firstSeen, "firstSeen");
    }

    @Override
    public String toString() {
        return "Contact[" + id.value() + ", " + state + (verified ? ", verified" : "") + "]";
    }
}
