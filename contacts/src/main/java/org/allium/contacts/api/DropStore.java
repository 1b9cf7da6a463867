package org.allium.contacts.api;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A drop line's cases (PROTOCOL.md §13): one per source, found by the source's public key
 * (kept only as a keyed hash) and named by its pseudonym, never by the codename. Each case
 * holds the source's submissions, the organisation's replies (waiting for the source's
 * next check-in) and internal notes. Thread-safe; every operation is one transaction and
 * blocks on disk I/O.
 */
public interface DropStore {
    /** Longest submission text (UTF-16 units; the wire allows 32768 UTF-8 bytes). */
    int MAX_SUBMISSION_LENGTH = 32768;
    /** Longest reply or note text (the wire allows 8192 UTF-8 bytes; see {@link #addReply}). */
    int MAX_REPLY_LENGTH = 8192;

    /** A case's state as the organisation tracks it. */
    enum State { NEW, READ, REPLIED, CLOSED }

    /** What an item of a case is. */
    enum Kind { SUBMISSION, REPLY, NOTE }

    /**
     * An operator as the team sees it (PROTOCOL.md §13.4): its identity key and its name as
     * the drop line knows it (plain text, possibly empty).
     */
    record Person(org.allium.protocol.OnionAddress key, String name) {
        public Person {
            java.util.Objects.requireNonNull(key, "key");
            name = name == null ? "" : name;
        }
    }

    /**
     * A case without its items. {@code ref} names it for the whole team; {@code line} is the
     * contact id of the drop line a mirrored case comes from (an operator's copy), null for a
     * case of this profile's own drop line. {@code assignee} is an operator's contact id on the
     * drop line (null elsewhere or when nobody); {@code assignedTo} the operator, or null.
     */
    record Case(long id, String pseudonym, State state, Instant created, Instant updated, Long assignee,
                int submissions, int replies, boolean unread, MessageId ref, Long line, Person assignedTo) {
        @Override
        public String toString() {
            return "Case[" + id + ", " + state + "]";
        }
    }

    /**
     * One item of a case; {@code author} is the operator's contact id on the drop line (or null),
     * {@code by} the operator who wrote it (null: the source, or the drop line itself).
     */
    record Item(long position, long caseId, MessageId id, Kind kind, Instant composed, Instant stored, Long author,
                String text, Person by) {
        @Override
        public String toString() {
            return "Item[" + position + ", " + kind + "]";
        }
    }

    /**
     * Bounds of a drop line, checked inside the storing transaction. Attachments count with
     * their announced size from the moment their submission is stored (before any byte
     * arrived), so what a source may make us write is bounded before it starts.
     *
     * @param maxFileBytes        one attachment
     * @param maxFileBytesPerCase every attachment of one case (source) together
     * @param maxFileBytesTotal   every attachment of the drop line (and, on an operator, every copy)
     */
    record Quotas(int maxItemsPerCase, long maxCharsPerCase, int maxCases, long maxCharsTotal, long maxFileBytes,
                  long maxFileBytesPerCase, long maxFileBytesTotal) {
        public static final Quotas DEFAULT = new Quotas(500, 2_000_000, 10_000, 200_000_000, 1L << 30, 2L << 30,
                32L << 30);

        /** Text quotas only; attachments get the defaults. */
        public Quotas(int maxItemsPerCase, long maxCharsPerCase, int maxCases, long maxCharsTotal) {
            this(maxItemsPerCase, maxCharsPerCase, maxCases, maxCharsTotal, 1L << 30, 2L << 30, 32L << 30);
        }
    }

    /** Most attachments one submission may announce (PROTOCOL.md §13.5). */
    int MAX_FILES_PER_SUBMISSION = 16;

    /**
     * The result of {@link #submit}: TOO_LARGE when one attachment is above
     * {@link Quotas#maxFileBytes()}, SOURCE_QUOTA above the case's quotas, LINE_FULL above the
     * drop line's.
     */
    enum Outcome { STORED, DUPLICATE, SOURCE_QUOTA, LINE_FULL, TOO_LARGE }

    /** A file announced with a submission: its id (unique in the case) and its offer fields. */
    record NewAttachment(MessageId fileId, FileOfferSpec spec) {
        public NewAttachment {
            java.util.Objects.requireNonNull(fileId, "fileId");
            java.util.Objects.requireNonNull(spec, "spec");
        }
    }

    /**
     * A file a source attached to submission {@code item} of case {@code caseId}. {@code received}
     * is how many of its bytes are verified and durably stored; {@code complete} once all are
     * and the whole file matched its hash. The name inside {@code spec} is the source's
     * (untrusted); {@link #toString()} shows no name.
     */
    record Attachment(long caseId, MessageId item, MessageId fileId, FileOfferSpec spec, long received,
                      boolean complete, Instant created) {
        @Override
        public String toString() {
            return "Attachment[" + caseId + ", " + fileId.toHex().substring(0, 8) + ", " + received + "/" + spec.size()
                    + (complete ? ", complete" : "") + "]";
        }
    }

    /** {@link #submit}'s answer; {@code caseId} is null when refused. */
    record Submitted(Outcome outcome, Long caseId) { }

    /**
     * Stores a source's submission in its case (created on the first one, state NEW; a
     * closed or answered case becomes NEW again). A known id of that source is a DUPLICATE
     * and stores nothing.
     *
     * @param sourceKey the source's 32-byte public key (from the authenticated handshake)
     */
    default Submitted submit(byte[] sourceKey, String pseudonym, MessageId id, Instant composed, String text,
                             Quotas quotas) throws StoreException {
        return submit(sourceKey, pseudonym, id, composed, text, List.of(), quotas);
    }

    /**
     * As {@link #submit(byte[], String, MessageId, Instant, String, Quotas)}, with the files the
     * submission announces (0..{@link #MAX_FILES_PER_SUBMISSION}); their rows are stored with
     * the submission, empty, and fill through {@link #openAttachment}. A DUPLICATE stores nothing.
     */
    Submitted submit(byte[] sourceKey, String pseudonym, MessageId id, Instant composed, String text,
                     List<NewAttachment> files, Quotas quotas) throws StoreException;

    /** The case of a source, if it has one. */
    Optional<Case> caseOf(byte[] sourceKey) throws StoreException;

    /** Every case, most recently updated first. */
    List<Case> cases() throws StoreException;

    Optional<Case> get(long caseId) throws StoreException;

    /** Every item of a case in the order stored. */
    List<Item> items(long caseId) throws StoreException;

    /** The newest {@code max} replies of a case, oldest first. */
    List<Item> replies(long caseId, int max) throws StoreException;

    /** Adds a reply (state REPLIED) or a note; a known id is not stored again. @return the item */
    Item add(long caseId, Kind kind, MessageId id, Instant composed, Long author, String text) throws StoreException;

    /** Sets the state (NEW → READ happens through {@link #markRead}). */
    void setState(long caseId, State state) throws StoreException;

    /** Marks the case read (state NEW → READ). */
    void markRead(long caseId) throws StoreException;

    /** Sets or clears (null) the operator a case is assigned to. */
    void assign(long caseId, Long operator) throws StoreException;

    /** Deletes a case and everything in it. @return whether it existed */
    boolean delete(long caseId) throws StoreException;

    /** Deletes closed cases last updated before {@code before} (never synced). @return how many */
    int deleteClosedBefore(Instant before) throws StoreException;

    // ---- team mode (PROTOCOL.md §13.4) ----

    /** As {@link #add(long, Kind, MessageId, Instant, Long, String)}, naming the operator who wrote it. */
    Item add(long caseId, Kind kind, MessageId id, Instant composed, Long author, Person by, String text)
            throws StoreException;

    /** As {@link #assign(long, Long)}, with the operator as the team sees it (null: nobody). */
    void assign(long caseId, Long operator, Person person) throws StoreException;

    /** The case named {@code ref} (of this drop line, or mirrored from {@code line}; null: ours). */
    Optional<Case> byRef(MessageId ref, Long line) throws StoreException;

    /** The contacts marked as operators of this profile's drop line. */
    List<Long> operators() throws StoreException;

    /**
     * Marks a contact as an operator and queues, for it alone, every case and item there is
     * (its initial copy). @return false if it already was one
     */
    boolean addOperator(long contact) throws StoreException;

    /** Unmarks an operator and drops everything still queued for it, in one transaction. */
    boolean removeOperator(long contact) throws StoreException;

    /** A sync message queued for a contact, kept until it acknowledges {@code id}. */
    record Outgoing(long contact, MessageId id, byte[] body) { }

    /**
     * What a change was, for {@link Fanout}. {@code item} is null unless one was added;
     * {@code attachment} is null unless one became complete (on the drop line) .
     */
    record Change(MessageId ref, Case after, Item item, boolean deleted, State stateSet, boolean assigned,
                  List<Long> operators, Attachment attachment) {
        public Change(MessageId ref, Case after, Item item, boolean deleted, State stateSet, boolean assigned,
                      List<Long> operators) {
            this(ref, after, item, deleted, stateSet, assigned, operators, null);
        }
    }

    /**
     * Turns a change into the sync messages to queue; called inside the storing transaction
     * (the queue and the change commit together), so it must not block or touch the store.
     */
    interface Fanout {
        List<Outgoing> of(Change change);
    }

    /** Sets the fanout (once, before use; none: nothing is queued). */
    void setFanout(Fanout fanout);

    /** The oldest {@code max} queued messages for {@code contact}, in order. */
    List<Outgoing> queued(long contact, int max) throws StoreException;

    /** The contacts with something queued. */
    List<Long> queuedContacts() throws StoreException;

    /** Drops acknowledged messages. */
    void acknowledged(long contact, List<MessageId> ids) throws StoreException;

    /**
     * An operator's copy of the head of a case of drop line {@code line}: created if new,
     * replaced if {@code updated} is not older than what is held. Queues nothing.
     * @return the case, or empty if the quotas refuse a new one
     */
    Optional<Case> mirror(long line, MessageId ref, String pseudonym, State state, Instant created, Instant updated,
                          Person assignedTo, Quotas quotas) throws StoreException;

    /** An operator's copy of an item (any kind); a known id is not stored again. Queues nothing. */
    void mirrorItem(long caseId, Kind kind, MessageId id, Instant composed, Person by, String text)
            throws StoreException;

    /** Deletes an operator's copy of a case. Queues nothing. */
    boolean mirrorDelete(long caseId) throws StoreException;

    // ---- attachments (PROTOCOL.md §13.5) ----

    /** The attachments of a case, in the order announced. */
    List<Attachment> attachments(long caseId) throws StoreException;

    Optional<Attachment> attachment(long caseId, MessageId fileId) throws StoreException;

    /**
     * Opens an attachment's encrypted data in the profile (chunks and hash list, as a file
     * transfer's, {@link FileData}); one user at a time. Blocks on disk I/O.
     */
    FileData openAttachment(Attachment attachment) throws IOException;

    /** Deletes an attachment's data (not its row): it arrives again from the start. */
    void deleteAttachmentData(Attachment attachment) throws IOException;

    /** Records how many bytes of an attachment are verified and durable (a progress hint). */
    void attachmentProgress(long caseId, MessageId fileId, long received) throws StoreException;

    /**
     * Marks an attachment complete; on a case of our own drop line this queues it for every
     * operator ({@link Change#attachment()}) in the same transaction. @return false if it was already
     */
    boolean attachmentComplete(long caseId, MessageId fileId) throws StoreException;

    /**
     * An operator's copy of a drop line's attachment (announced complete there): stored empty
     * unless known; its bytes are fetched with {@link #openAttachment}. @return empty if the
     * quotas refuse it (its announced size counts at once)
     */
    Optional<Attachment> mirrorAttachment(long caseId, MessageId item, MessageId fileId, FileOfferSpec spec,
                                          Quotas quotas) throws StoreException;

    /** A complete attachment of one of this drop line's own cases, by file id (what an operator fetches). */
    Optional<Attachment> ownAttachment(MessageId fileId) throws StoreException;

    /** Every attachment not complete yet of the cases mirrored from drop line {@code line}. */
    List<Attachment> incompleteAttachments(long line) throws StoreException;

    /** Deletes attachment data files that belong to no stored attachment (deleted cases, crashes). @return how many */
    int sweepAttachments() throws StoreException, IOException;
}
