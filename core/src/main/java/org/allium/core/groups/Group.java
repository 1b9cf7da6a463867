package org.allium.core.groups;

import java.util.Objects;

/**
 * What a front end shows of a group.
 *
 * @param name       as the creator or an admin set it (untrusted text: show as text only)
 * @param status     where the user stands
 * @param invitedBy  display name of the contact who invited us, or null
 * @param members    current members (invited or joined), the user included
 * @param unread     posts by others not yet marked read
 * @param admin      whether the user may add, remove and rename
 * @param creator    whether the user created the group (and may appoint admins)
 */
public record Group(GroupId id, String name, Status status, String invitedBy, int members, int unread, boolean admin,
                    boolean creator) {
    public Group {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
    }

    public enum Status {
        /** Invited; accept or decline. */
        INVITED,
        /** A member. */
        JOINED,
        /** Left or declined. */
        LEFT,
        /** An admin removed the user. */
        REMOVED
    }
}
