package org.allium.core.api;

import java.util.Objects;
import org.allium.contacts.api.MessageId;

/**
 * Something happened on a drop line ({@link DropLine#subscribe}). Carries only numbers: re-read
 * the case ({@link DropLine#get}, {@link DropLine#attachments}) for anything to show. A
 * notification for {@link Kind#SUBMITTED} says only "New submission".
 *
 * @param caseId the case (0 for {@link Kind#SWITCHED})
 * @param fileId the attachment for {@link Kind#ATTACHMENT}, else null
 */
public record DropEvent(Kind kind, long caseId, MessageId fileId) {
    public DropEvent {
        Objects.requireNonNull(kind, "kind");
    }

    public enum Kind {
        /** A source's new submission was stored (or, on an operator, its copy arrived). */
        SUBMITTED,
        /** A case changed: reply, note, state, assignment, or it was deleted ({@link DropLine#get} then fails). */
        CHANGED,
        /** An attachment was announced, received more bytes, or completed. */
        ATTACHMENT,
        /** The drop line was switched on or off. */
        SWITCHED
    }

    @Override
    public String toString() {
        return "DropEvent[" + kind + ", " + caseId + "]";
    }
}
