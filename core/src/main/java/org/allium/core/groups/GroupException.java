package org.allium.core.groups;

import org.allium.core.api.MessengerException;

/** A group operation that cannot be done: unknown group, not a member, not an admin, a cap reached. */
public class GroupException extends MessengerException {
    private static final long serialVersionUID = 1L;

    public GroupException(String message) {
        super(message);
    }
}
