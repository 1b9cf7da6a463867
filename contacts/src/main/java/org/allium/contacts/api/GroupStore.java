package org.allium.contacts.api;

import java.util.List;
import java.util.Optional;

/**
 * The private groups of a profile: one row per group and every group message held, as the
 * raw signed bytes the engine validated (the store does not interpret them). Every method is
 * one transaction; the writes are durable when they return ({@link #append} through the
 * store's commit log, the others fsynced into the store; {@link #markRead} excepted), so a
 * receipt sent afterwards never covers a message a crash could lose, and a message of ours is
 * never sent before it would survive one. Thread-safe; blocks on disk I/O.
 *
 * <p>Messages are unique per (group, author, sequence): {@link #append} skips one already
 * held, which is what makes delivery exactly-once however often it arrives.
 */
public interface GroupStore {
    /** Largest raw message accepted (a maximal signed post is about 8.5 KB). */
    int MAX_RAW_BYTES = 16_000;
    /** Most groups a profile holds (invitations included). */
    int MAX_GROUPS = 1000;

    /** Where the user stands in a group. */
    enum GroupState { INVITED, JOINED, LEFT }

    /**
     * One group.
     *
     * @param id         16 bytes
     * @param inviter    the contact who invited us, or null (we created it)
     * @param invitation the raw GroupInvitation that brought us in, or null (we created it)
     * @param readUpTo   messages at or below this position have been read
     */
    record GroupRow(byte[] id, GroupState state, ContactId inviter, byte[] invitation, long readUpTo, long createdAt) {
    }

    /**
     * One stored group message.
     *
     * @param pos    storage order, increasing (causal: a message is stored after its parents)
     * @param raw    the serialized GroupMessage; null for a tombstone (dropped content)
     * @param hidden not shown (a tombstone, or cut off by a later removal)
     */
    record GroupMessageRow(long pos, byte[] groupId, byte[] author, long seq, byte[] msgId, byte[] raw,
                           boolean hidden, long receivedAt) {
    }

    /** A message to store: raw null makes a tombstone. */
    record NewGroupMessage(byte[] author, long seq, byte[] msgId, byte[] raw) {
    }

    List<GroupRow> groups() throws StoreException;

    Optional<GroupRow> group(byte[] id) throws StoreException;

    /**
     * Inserts a group (INVITED with its invitation, or JOINED when we create it).
     *
     * @return false if it already exists (nothing changed)
     * @throws StoreException also when the profile already holds {@link #MAX_GROUPS}
     */
    boolean addGroup(GroupRow group) throws StoreException;

    /** Sets the state. */
    void setState(byte[] id, GroupState state) throws StoreException;

    void markRead(byte[] id, long upToPos) throws StoreException;

    /** Removes a group and its messages. */
    void deleteGroup(byte[] id) throws StoreException;

    /**
     * Stores the messages of one group that are not yet held, in list order, in one
     * transaction.
     *
     * @return the rows stored (the others were duplicates)
     */
    List<GroupMessageRow> append(byte[] groupId, List<NewGroupMessage> messages) throws StoreException;

    /** Messages of a group after {@code afterPos}, in storage order, at most {@code limit}. */
    List<GroupMessageRow> messages(byte[] groupId, long afterPos, int limit) throws StoreException;

    /** The newest {@code limit} messages before {@code beforePos}, in storage order. */
    List<GroupMessageRow> latest(byte[] groupId, long beforePos, int limit) throws StoreException;

    /** Hides the author's messages with a sequence above {@code afterSeq}; returns how many. */
    int hideAfter(byte[] groupId, byte[] author, long afterSeq) throws StoreException;
}
