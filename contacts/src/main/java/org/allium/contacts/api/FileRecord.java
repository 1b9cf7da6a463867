package org.allium.contacts.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored file transfer (an offer we sent or received, and how far it got). Immutable;
 * {@link #toString()} shows no name or path.
 *
 * @param contact        the peer
 * @param direction      OUTGOING: we send; INCOMING: we receive
 * @param id             the offer's id, also the file id on the wire
 * @param offer          the offer's fields
 * @param state          where it stands
 * @param reason         why it failed or paused, a sentence for the user; null otherwise
 * @param sourcePath     outgoing only: the file we read from; null for incoming
 * @param sourceModified outgoing only: its modification time when offered (ms), else 0
 * @param created        when the row was stored here
 */
public record FileRecord(ContactId contact, Direction direction, MessageId id, FileOfferSpec offer, FileState state,
        String reason, String sourcePath, long sourceModified, Instant created) {
    public FileRecord {
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(created, "created");
    }

    public FileRecord withState(FileState s, String r) {
        return new FileRecord(contact, direction, id, offer, s, r, sourcePath, sourceModified, created);
    }

    @Override
    public String toString() {
        return "FileRecord[" + contact.value() + ", " + direction + ", " + id.toHex().substring(0, 8) + ", " + state
                + ", " + offer + "]";
    }
}
