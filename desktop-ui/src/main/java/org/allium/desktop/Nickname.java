package org.allium.desktop;

import java.nio.charset.StandardCharsets;
import org.allium.core.api.Messenger;

/**
 * The user's own nickname as typed: what is wrong with it (checked as they type, on every
 * screen that asks for it), so a too-long name is never silently refused later. Pure.
 */
final class Nickname {
    private Nickname() {
    }

    /** The name that would be offered: the typed text without surrounding blanks. */
    static String typed(String text) {
        return text == null ? "" : text.strip();
    }

    /** Whether {@code typed} fits the wire's limit (at most 64 chars and 64 UTF-8 bytes). */
    static boolean fits(String typed) {
        return typed.length() <= Messenger.MAX_NICKNAME_LENGTH
                && typed.getBytes(StandardCharsets.UTF_8).length <= Messenger.MAX_NICKNAME_LENGTH;
    }

    /** The message saying why {@code typed} does not fit, or null when it does. */
    static String problem(UiContext ctx, String typed) {
        return fits(typed) ? null : ctx.format("nickname.tooLong", Messenger.MAX_NICKNAME_LENGTH);
    }
}
