package org.allium.contacts.api;

/** Whether we sent a message or received it. */
public enum Direction {
    OUTGOING,
    INCOMING
}
