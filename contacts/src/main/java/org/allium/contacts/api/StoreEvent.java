package org.allium.contacts.api;

import java.util.List;

/**
 * Something that changed in a profile. Published only after the transaction that made
 * the change committed, in commit order. No event's {@code toString()} reveals an address,
 * nickname or message text.
 */
public sealed interface StoreEvent {
    /** A contact appeared (outgoing or incoming request). */
    record ContactAdded(Contact contact) implements StoreEvent { }

    /** A contact's state, nickname, verification or last-seen time changed. */
    record ContactChanged(Contact contact, ContactState previousState) implements StoreEvent { }

    /** A contact was removed (or unblocked and forgotten) with its history and keys. */
    record ContactRemoved(ContactId contact) implements StoreEvent { }

    /** An outgoing message was queued. */
    record MessageQueued(Message message) implements StoreEvent { }

    /** A new incoming message was stored (duplicates publish nothing). */
    record MessageReceived(Message message) implements StoreEvent { }

    /** Outgoing messages changed status. */
    record MessageStatusChanged(ContactId contact, List<MessageId> ids, MessageStatus status) implements StoreEvent {
        public MessageStatusChanged {
            ids = List.copyOf(ids);
        }
    }

    /** Incoming messages of a conversation were marked read. */
    record MessagesRead(ContactId contact, int count) implements StoreEvent { }

    /** Messages of a conversation were expunged under its history policy or cleared. */
    record MessagesExpunged(ContactId contact, int count) implements StoreEvent { }

    /** A conversation's history policy changed. */
    record HistoryPolicyChanged(ContactId contact, HistoryPolicy policy) implements StoreEvent { }

    /** A setting was written or removed. */
    record SettingChanged(String key) implements StoreEvent { }

    /**
     * Writes were refused for lack of disk space ({@code bytesNeeded} more must be free), or
     * work again ({@code bytesNeeded} 0). Not tied to a transaction: published when the store
     * notices the change.
     */
    record DiskSpaceChanged(long bytesNeeded) implements StoreEvent {
        public boolean full() {
            return bytesNeeded > 0;
        }
    }
}
