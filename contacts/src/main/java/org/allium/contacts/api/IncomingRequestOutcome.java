package org.allium.contacts.api;

/**
 * What {@link ContactStore#recordIncomingRequest} did with a contact request.
 *
 * @param kind    what happened
 * @param contact the contact as it is now; null when {@link Kind#BLOCKED}
 */
public record IncomingRequestOutcome(Kind kind, Contact contact) {
    public IncomingRequestOutcome {
        java.util.Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.BLOCKED) != (contact == null)) {
            throw new IllegalArgumentException("a contact is returned unless the request was blocked");
        }
    }

    /** What happened to the request. */
    public enum Kind {
        /** A stranger's first request: stored as INCOMING_REQUEST. */
        NEW,
        /** They had already asked and we have not answered: nothing changed except their keys if they were missing. */
        DUPLICATE,
        /** We had asked them too: the contact is now ACCEPTED with their keys merged. */
        MUTUAL,
        /** They are already an accepted contact: nothing changed (the engine decides what to answer). */
        ALREADY_ACCEPTED,
        /** The address is blocked: dropped, nothing about it stored. */
        BLOCKED
    }
}
