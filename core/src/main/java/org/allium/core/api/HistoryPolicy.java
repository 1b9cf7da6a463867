package org.allium.core.api;

/** How long conversation history is kept in the profile. */
public enum HistoryPolicy {
    /** Keep everything until the user deletes it. */
    KEEP,
    /** Delete delivered messages when the messenger stops (undelivered ones are kept so they still reach the contact). */
    DELETE_ON_STOP
}
