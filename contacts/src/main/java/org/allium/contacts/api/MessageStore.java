package org.allium.contacts.api;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Conversations (one per contact) and their messages: the outbox and inbox the engine
 * uses for exactly-once delivery. Every method is one transaction; events are published
 * after commit. Thread-safe; blocks on disk I/O.
 *
 * <p>Exactly-once: the sender {@link #enqueueOutgoing enqueues} (durable before it
 * returns), sends everything {@link #pendingFor pending} after each (re)connect, and
 * {@link #markDelivered marks} what the peer acked. The receiver calls
 * {@link #acceptIncoming} and acks only after it returned (durable), whether or not the
 * message was new.
 *
 * <p>Durability: every method that changes a message's existence or content returns only
 * after its change is on disk (fsynced). The events of {@link #enqueueOutgoing} and
 * {@link #acceptIncoming} are published a little earlier, as soon as the change is committed
 * and written to the file system (it survives a killed process), while the disk sync runs: a
 * sender can start transmitting and a receiver can show the message one fdatasync sooner.
 * What a power cut within that sync can undo: an incoming message shown but not yet
 * acknowledged (the sender resends it), or an outgoing message already transmitted but missing
 * from the sender's history after the reboot (the peer has it once). {@link #markSent} and {@link #markDelivered} return
 * after the commit but leave the disk write to the store's background writer (well under a
 * second) or the next synced change: after a crash the message may show its previous status
 * again, never a partial state, and delivery repairs it (it is resent, the receiver
 * recognises the id and acknowledges again). That keeps the status updates, two per message,
 * off the sender's disk-sync path.
 */
public interface MessageStore {
    /** Longest body accepted, in UTF-16 units. */
    int MAX_BODY_LENGTH = 16_000;

    /**
     * Queues a message to the contact with a fresh random id and the next sequence number.
     *
     * @throws ContactStateException if the contact is neither ACCEPTED nor OUTGOING_REQUEST
     */
    Message enqueueOutgoing(ContactId contact, String text) throws StoreException;

    /** Outgoing messages not yet acknowledged (QUEUED or SENT), in sequence order. */
    List<Message> pendingFor(ContactId contact) throws StoreException;

    /**
     * As {@link #enqueueOutgoing(ContactId, String)}, idempotent by {@code clientId} (a
     * caller's name for this message, 1–64 characters {@code A-Z a-z 0-9 . _ : -}; null: not
     * idempotent): if a message with this client id was queued for this contact within the
     * last 7 days, that message is returned and nothing is queued (also after a restart).
     * Durable before it returns, with its client id.
     *
     * @throws IllegalArgumentException if the client id is malformed, or was used for a
     *         message with a different text
     */
    Message enqueueOutgoing(ContactId contact, String text, String clientId) throws StoreException;

    /** QUEUED → SENT for these ids; others are ignored. Returns how many changed. */
    int markSent(ContactId contact, Collection<MessageId> ids) throws StoreException;

    /** QUEUED or SENT → DELIVERED for these ids; others are ignored. Returns how many changed. */
    int markDelivered(ContactId contact, Collection<MessageId> ids) throws StoreException;

    /** QUEUED or SENT → FAILED (gave up); others are ignored. Returns how many changed. */
    int markFailed(ContactId contact, Collection<MessageId> ids) throws StoreException;

    /** FAILED → QUEUED: send again. Returns whether it changed. */
    boolean retry(ContactId contact, MessageId id) throws StoreException;

    /**
     * Stores an incoming message unless (contact, id) was stored before. Idempotent.
     *
     * @return true if it was new (a MessageReceived event follows), false for a duplicate
     * @throws ContactStateException if the contact is not ACCEPTED
     */
    boolean acceptIncoming(ContactId contact, MessageId id, long seq, Instant composed, String body)
            throws StoreException;

    /**
     * As {@link #acceptIncoming(ContactId, MessageId, long, Instant, String)} for several
     * messages in one transaction and one disk sync (all or none are stored), so a burst
     * costs one sync, not one per message. A repeated id within the list counts once.
     *
     * @return for each message, in order, whether it was new
     * @throws ContactStateException if the contact is not ACCEPTED
     */
    List<Boolean> acceptIncoming(ContactId contact, List<IncomingMessage> messages) throws StoreException;

    /** Marks every unread incoming message of the conversation read; returns how many. */
    int markRead(ContactId contact) throws StoreException;

    /** How many incoming messages of the conversation are unread. */
    int unreadCount(ContactId contact) throws StoreException;

    /** The outgoing message with this id in any conversation (our ids are random, so unique in practice). */
    Optional<Message> findOutgoing(MessageId id) throws StoreException;

    /** One message, if stored and not expunged. */
    Optional<Message> get(ContactId contact, Direction direction, MessageId id) throws StoreException;

    /** The largest page {@link #page} returns (a bounded query; callers page for more). */
    int PAGE_MAX = 1000;

    /**
     * The newest {@code limit} (1..{@link #PAGE_MAX}) messages of a conversation older than
     * position {@code before} (use {@link Long#MAX_VALUE} for the newest), oldest first.
     */
    List<Message> page(ContactId contact, long before, int limit) throws StoreException;

    /**
     * As {@link #page(ContactId, long, int)} before the message with id {@code before} in this
     * conversation (either direction); the newest page if it is not found.
     */
    List<Message> page(ContactId contact, MessageId before, int limit) throws StoreException;

    /** The conversation's history policy. */
    HistoryPolicy policy(ContactId contact) throws StoreException;

    /** Sets the conversation's history policy and applies it at once. */
    void setPolicy(ContactId contact, HistoryPolicy policy) throws StoreException;

    /** The policy new conversations get ({@link HistoryPolicy#KEEP} unless changed). */
    HistoryPolicy defaultPolicy() throws StoreException;

    void setDefaultPolicy(HistoryPolicy policy) throws StoreException;

    /**
     * Expunges what the DISAPPEAR_AFTER policies say is due now. The engine calls this
     * periodically (e.g. every minute); opening a profile does it too. Returns how many
     * messages were expunged.
     */
    int expireDue() throws StoreException;

    /**
     * Ends the session of DONT_KEEP conversations now: expunges what they no longer need
     * (the engine may call this when it stops; {@link Profile#close()} and opening do it too).
     * Returns how many messages were expunged.
     */
    int endSession() throws StoreException;

    /** Deletes the conversation's history (pending outgoing messages stay queued). Returns how many. */
    int clearHistory(ContactId contact) throws StoreException;

    /**
     * Deletes one message from this profile only ("delete for me"; the other side keeps its
     * copy). An outgoing message leaves no row; an incoming one leaves a content-free tombstone
     * (id and sequence number, as expunging does) so a resend is not shown again. Synced, which
     * also empties the commit log: its text is then in no row and no log entry of the profile.
     *
     * @return false if there is no such message in the conversation (or it was deleted already)
     * @throws IllegalStateException an outgoing message still being sent (QUEUED or SENT), or
     *         a file offer (its transfer owns the row)
     */
    boolean delete(ContactId contact, Direction direction, MessageId id) throws StoreException;
}
