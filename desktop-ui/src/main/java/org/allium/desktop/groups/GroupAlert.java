package org.allium.desktop.groups;

import java.util.Objects;

/**
 * What the groups ask the window to notify, as chat messages are (the window decides, by the
 * user's privacy choice, how much of it a notification shows). Every text is already
 * sanitised display text; {@code toString()} is free of it.
 *
 * @param kind   a post by someone else arrived (a burst counts once), or an admin removed the user
 * @param group  the group's shown name
 * @param author for a post, the author's shown name; else empty
 * @param text   for a post, its text (the last of the burst); else empty
 */
public record GroupAlert(Kind kind, String group, String author, String text) {
    public GroupAlert {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(text, "text");
    }

    public enum Kind { POST, REMOVED }

    @Override
    public String toString() {
        return "GroupAlert[" + kind + "]";
    }
}
