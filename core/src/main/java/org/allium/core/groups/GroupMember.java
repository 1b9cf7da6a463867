package org.allium.core.groups;

import java.util.Objects;
import org.allium.core.api.ContactId;

/**
 * One member of a group.
 *
 * @param address  the member's identity (56-character service id)
 * @param name     the contact's name if a contact, else the name its adder suggested, else empty (front ends show a placeholder, never a piece of the address)
 * @param contact  the contact id if the member is a contact of ours, else null
 * @param joined   accepted the invitation (else invited)
 */
public record GroupMember(String address, String name, ContactId contact, boolean me, boolean admin, boolean creator,
                          boolean joined) {
    public GroupMember {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return "GroupMember[admin=" + admin + ", joined=" + joined + "]";
    }
}
