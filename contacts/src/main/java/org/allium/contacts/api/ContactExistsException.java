package org.allium.contacts.api;

/** The address already belongs to a contact (in any state), or is blocked. */
public final class ContactExistsException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ContactExistsException(String message) {
        super(message);
    }
}
