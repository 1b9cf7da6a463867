package org.allium.core.groups;

/**
 * What changed in the groups. Delivered in order on one thread; listeners must not block.
 * {@code toString()} is free of names and text.
 */
public sealed interface GroupEvent {
    /** A contact invited us. */
    record Invited(Group group) implements GroupEvent {
    }

    /** A group's name, status, members or unread count changed. */
    record Changed(Group group) implements GroupEvent {
    }

    /** A new entry (post or membership change) was stored, ours or received. */
    record Posted(GroupPost post) implements GroupEvent {
    }

    /**
     * An admin removed the user: the group is read-only from now on (its status is
     * {@link Group.Status#REMOVED}). Sent once, when the user's member learns of the REMOVE.
     */
    record Removed(Group group) implements GroupEvent {
    }

    /** How many members hold our posts changed (a member's receipt). */
    record Delivery(GroupId group) implements GroupEvent {
    }
}
