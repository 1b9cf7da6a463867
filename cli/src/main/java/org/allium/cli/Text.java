package org.allium.cli;

import org.allium.core.api.DisplayText;
import org.allium.core.api.Messenger;

/** Making text from other people safe to print on a terminal. */
final class Text {

    private Text() {
    }

    /**
     * Text someone else chose, as core's {@link DisplayText} shows it: control characters
     * (e.g. ANSI escape sequences a stranger put in a nickname or request) become U+FFFD,
     * bidi overrides and invisible characters go, blanks collapse; line breaks stay only if
     * {@code keepNewlines}. Bounded at the longest message.
     */
    static String safe(String s, boolean keepNewlines) {
        return keepNewlines ? DisplayText.text(s, Messenger.MAX_MESSAGE_LENGTH)
                : DisplayText.line(s, Messenger.MAX_MESSAGE_LENGTH);
    }
}
