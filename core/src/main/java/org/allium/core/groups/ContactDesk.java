package org.allium.core.groups;

import org.allium.contacts.api.ContactId;
import org.allium.core.api.MessengerException;
import org.allium.protocol.OnionAddress;

/**
 * What introductions (PROTOCOL.md §12.5) need of the messenger's contact requests: ask a
 * member, accept a member's request. Calls may block on the store; never called on a session
 * thread.
 */
public interface ContactDesk {
    /** Sends a contact request to {@code member}'s identity onion (our own nickname, no message). */
    void request(OnionAddress member) throws MessengerException;

    /** Accepts an incoming request. */
    void accept(ContactId request) throws MessengerException;
}
