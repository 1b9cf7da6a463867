package org.allium.contacts.api;

/** The contact is not in a state that allows the operation (e.g. accepting a blocked contact). */
public final class ContactStateException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final ContactState state;

    public ContactStateException(ContactState state, String operation) {
        super("cannot " + operation + " a contact in state " + state);
        this.state = state;
    }

    /** The state the contact was in. */
    public ContactState state() {
        return state;
    }
}
