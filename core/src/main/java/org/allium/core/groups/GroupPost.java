package org.allium.core.groups;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a group's history: a post, or a membership change described in {@code text}
 * ({@link Kind}). {@code toString()} is free of text and names.
 *
 * @param id          32 hex digits, the same at every member
 * @param author      the author's address
 * @param authorName  the author's display name (see {@link GroupMember#name()})
 * @param seq         the author's sequence number in this group
 * @param subject     for membership changes, the member concerned (address), else null
 * @param deliveredTo for the user's own posts: how many other current members are known to hold it
 * @param of          how many other current members there are
 */
public record GroupPost(GroupId group, String id, Kind kind, String author, String authorName, boolean mine, long seq,
                        Instant composed, String text, String subject, int deliveredTo, int of) {
    public GroupPost {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }

    public enum Kind {
        POST, CREATED, JOINED, LEFT, ADDED, REMOVED, RENAMED, APPOINTED,
        /** The author asked to become contacts with the members (an introduction, §12.5). */
        INTRODUCED
    }

    @Override
    public String toString() {
        return "GroupPost[" + kind + ", seq=" + seq + ", mine=" + mine + "]";
    }
}
