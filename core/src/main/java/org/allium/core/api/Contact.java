package org.allium.core.api;

import java.util.Objects;

/**
 * A snapshot of one contact. Immutable; query again (or follow events) for fresh state.
 *
 * @param id local id
 * @param serviceId the contact's 56-character public service id (its identity)
 * @param nickname the name we know them by (their offered nickname unless renamed); never null,
 *        empty when they offered none (show a placeholder, and pass it through {@link DisplayText})
 * @param state where the contact stands
 * @param online whether an authenticated connection to them is open right now
 * @param unread number of incoming messages not marked read
 * @param verified whether the user confirmed the safety fingerprint out of band
 * @param fingerprint the contact's safety fingerprint
 */
public record Contact(ContactId id, String serviceId, String nickname, ContactState state,
                      boolean online, int unread, boolean verified, String fingerprint) {
    public Contact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(nickname, "nickname");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (unread < 0) {
            throw new IllegalArgumentException("unread < 0");
        }
    }

    /** {@code allium:<serviceId>}. */
    public String link() {
        return Identity.LINK_PREFIX + serviceId;
    }

    @Override
    public String toString() {
        return "Contact[id=" + id + ", state=" + state + ", online=" + online + "]";
    }
}
