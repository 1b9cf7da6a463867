package org.allium.contacts.api;

/** Local identifier of a contact in one profile; positive; never reused within a profile. */
public record ContactId(long value) {
    public ContactId {
        if (value <= 0) {
            throw new IllegalArgumentException("contact id must be positive");
        }
    }
}
