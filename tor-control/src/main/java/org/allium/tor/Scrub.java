package org.allium.tor;

import java.util.regex.Pattern;

/** Removes onion addresses from text before it is logged or kept (tor's log lines, warnings). */
final class Scrub {
    private static final Pattern ONION = Pattern.compile("(?i)\\b[a-z2-7]{56}(\\.onion)?\\b");

    private Scrub() {}

    static String onions(String text) {
        return text == null ? "" : ONION.matcher(text).replaceAll("[scrubbed]");
    }
}
