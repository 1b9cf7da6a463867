package org.allium.contacts.api;

/** No contact has this id (it may have been removed meanwhile). */
public final class NoSuchContactException extends StoreException {
    private static final long serialVersionUID = 1L;

    public NoSuchContactException(ContactId id) {
        super("no contact " + id.value());
    }
}
