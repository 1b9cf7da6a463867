package org.allium.tor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last lines tor printed, onion addresses scrubbed, bounded in count and length. Thread-safe. */
final class LogTail {
    static final int MAX_LINES = 40;
    static final int MAX_LINE_LENGTH = 400;

    private final Deque<String> lines = new ArrayDeque<>();

    synchronized void add(String line) {
        String l = Scrub.onions(line);
        if (l.length() > MAX_LINE_LENGTH) l = l.substring(0, MAX_LINE_LENGTH) + "…";
        if (lines.size() == MAX_LINES) lines.removeFirst();
        lines.addLast(l);
    }

    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }
}
