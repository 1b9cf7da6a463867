package org.allium.contacts.api;

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

    /** A case without its items. {@code assignee} is an operator's contact id, or null. */
    record Case(long id, String pseudonym, State state, Instant created, Instant updated, Long assignee,
                int submissions, int replies, boolean unread) {
        @Override
        public String toString() {
            return "Case[" + id + ", " + state + "]";
        }
    }

    /** One item of a case; {@code author} is the operator's contact id, or null for the drop line itself / the source. */
    record Item(long position, long caseId, MessageId id, Kind kind, Instant composed, Instant stored, Long author,
                String text) {
        @Override
        public String toString() {
            return "Item[" + position + ", " + kind + "]";
        }
    }

    /** Bounds of a drop line, checked inside the storing transaction. */
    record Quotas(int maxItemsPerCase, long maxCharsPerCase, int maxCases, long maxCharsTotal) {
        public static final Quotas DEFAULT = new Quotas(500, 2_000_000, 10_000, 200_000_000);
    }

    /** The result of {@link #submit}. */
    enum Outcome { STORED, DUPLICATE, SOURCE_QUOTA, LINE_FULL }

    /** {@link #submit}'s answer; {@code caseId} is null when refused. */
    record Submitted(Outcome outcome, Long caseId) { }

    /**
     * Stores a source's submission in its case (created on the first one, state NEW; a
     * closed or answered case becomes NEW again). A known id of that source is a DUPLICATE
     * and stores nothing.
     *
     * @param sourceKey the source's 32-byte public key (from the authenticated handshake)
     */
    Submitted submit(byte[] sourceKey, String pseudonym, MessageId id, Instant composed, String text, Quotas quotas)
            throws StoreException;

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

    /** Deletes closed cases last updated before {@code before}. @return how many */
    int deleteClosedBefore(Instant before) throws StoreException;
}
