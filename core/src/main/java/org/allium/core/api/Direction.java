package org.allium.core.api;

/** Whether something was sent by us or received from the other side. */
public enum Direction {
    INCOMING,
    OUTGOING
}
