package org.allium.desktop.dropline;

import java.security.SecureRandom;
import java.util.Locale;
import org.allium.protocol.DropCodename;

/** Codenames as a source types them: checked word by word, with a reason that names no word. Pure. */
final class Codenames {
    /** What is wrong with a typed codename. */
    record Problem(Kind kind, int position) {
        enum Kind { EMPTY, WORD_COUNT, UNKNOWN_WORD }
    }

    private Codenames() {
    }

    static String fresh(SecureRandom random) {
        return DropCodename.generate(random).text();
    }

    /** Reads and checks the word list now (its first use takes a moment: call it off the event thread). */
    static void load() {
        DropCodename.generate(new SecureRandom());
    }

    static int words() {
        return DropCodename.WORDS;
    }

    /** Null when {@code typed} is a codename, else what is wrong (the first unknown word's position, from 1). */
    static Problem problem(String typed) {
        String s = typed == null ? "" : typed.toLowerCase(Locale.ROOT).strip();
        if (s.isEmpty()) {
            return new Problem(Problem.Kind.EMPTY, 0);
        }
        String[] parts = s.split("\\s+");
        for (int i = 0; i < parts.length; i++) {
            if (!isWord(parts[i])) {
                return new Problem(Problem.Kind.UNKNOWN_WORD, i + 1);
            }
        }
        if (parts.length != DropCodename.WORDS) {
            return new Problem(Problem.Kind.WORD_COUNT, parts.length);
        }
        return null;
    }

    /** The canonical text of a codename {@link #problem} accepted. */
    static String canonical(String typed) {
        return DropCodename.parse(typed).text();
    }

    private static boolean isWord(String w) {
        if (w.length() > 32) {
            return false;
        }
        try {
            DropCodename.parse((w + " ").repeat(DropCodename.WORDS));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
