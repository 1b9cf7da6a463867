package org.allium.contacts.api;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * File transfers of a profile: the offers (delivered items that share the conversation's
 * sequence numbers and outbox with chat messages, see {@link MessageStore}) and their state,
 * plus access to each transfer's encrypted data. Thread-safe; every method blocks on disk I/O.
 * Rows disappear with their contact (removal); {@link #deleteData} and {@link #sweep} remove the
 * data files.
 */
public interface FileStore {
    /**
     * Queues an offer to the contact as the conversation's next outgoing item (a message row
     * whose body is the file name, QUEUED, sent and acknowledged like a chat message) together
     * with its transfer row and the chunk hash list, in one durable transaction. The caller
     * draws the random {@code id}, so it can recognise the item before this returns.
     *
     * @throws ContactStateException if the contact is not ACCEPTED
     */
    Message offerOutgoing(ContactId contact, MessageId id, FileOfferSpec offer, String sourcePath,
            long sourceModified, byte[] chunkHashes) throws StoreException;

    /**
     * Stores an incoming offer (message row + transfer row in {@code initial} state) unless
     * (contact, id) was stored before. Durable when it returns; acknowledge only then.
     *
     * @return true if it was new
     * @throws ContactStateException if the contact is not ACCEPTED
     */
    boolean acceptIncomingOffer(ContactId contact, MessageId id, long seq, Instant composed, FileOfferSpec offer,
            FileState initial, String reason) throws StoreException;

    Optional<FileRecord> get(ContactId contact, Direction direction, MessageId id) throws StoreException;

    /** Every transfer of every contact, oldest first. */
    List<FileRecord> list() throws StoreException;

    /** How many incoming offers of the contact are in {@code state}. */
    int countIncoming(ContactId contact, FileState state) throws StoreException;

    /** Sets the state (and reason, may be null) durably. Returns false if there is no such transfer. */
    boolean setState(ContactId contact, Direction direction, MessageId id, FileState state, String reason)
            throws StoreException;

    /** Opens the transfer's encrypted data (created on first use). */
    FileData open(FileRecord transfer) throws IOException;

    /** Deletes the transfer's data files (the row stays). */
    void deleteData(FileRecord transfer) throws IOException;

    /** Deletes data files that belong to no stored transfer (removed contacts, crashes). Returns how many. */
    int sweep() throws StoreException, IOException;
}
