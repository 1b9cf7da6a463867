package org.allium.core;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Pattern;

/**
 * Captures every log record of the JVM at every level (org.allium.* is turned up to FINEST)
 * so tests can prove that no onion address, nickname or message text is ever logged.
 * Core's FINE lines also go to stderr with timestamps, for diagnosing a failed run.
 */
final class TestLogs {
    /** A whole v3 onion service id (56 base32 characters, the last a 'd') standing alone in a line. */
    static final Pattern ONION = Pattern.compile("(?<![A-Za-z0-9])[a-z2-7]{55}d(?![A-Za-z0-9])");
    private static final List<String> LINES = new ArrayList<>();
    private static final int MAX_LINES = 500_000;
    private static boolean installed;
    private static final Logger ALLIUM = Logger.getLogger("org.allium");

    private TestLogs() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        ALLIUM.setLevel(Level.ALL);
        SimpleFormatter f = new SimpleFormatter();
        ALLIUM.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                String line = f.format(r);
                synchronized (TestLogs.class) {
                    if (LINES.size() < MAX_LINES) {
                        LINES.add(line);
                    }
                }
                if (r.getLoggerName() != null && r.getLoggerName().startsWith("org.allium.core")
                        && r.getLevel().intValue() >= Level.FINE.intValue()
                        && r.getLevel().intValue() < Level.INFO.intValue()) {
                    System.err.print(line.replace('\n', ' ') + "\n");
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        Logger.getLogger("").setLevel(Level.INFO);
    }

    static synchronized List<String> lines() {
        return new ArrayList<>(LINES);
    }

    /** The last {@code n} records of core's loggers in this JVM, one line each (for a failed wait's message). */
    static synchronized String coreTail(int n) {
        List<String> core = new ArrayList<>();
        for (String l : LINES) {
            if (l.contains("org.allium.core")) {
                core.add(l.replace('\n', ' ').strip());
            }
        }
        return String.join("\n", core.subList(Math.max(0, core.size() - n), core.size()));
    }

    /** Lines that contain any of the secrets or any whole onion service id. */
    static List<String> leaks(List<String> secrets) {
        List<String> bad = new ArrayList<>();
        for (String line : lines()) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (ONION.matcher(line).find()) {
                bad.add(line);
                continue;
            }
            for (String s : secrets) {
                if (!s.isEmpty() && lower.contains(s.toLowerCase(java.util.Locale.ROOT))) {
                    bad.add(line);
                    break;
                }
            }
        }
        return bad;
    }
}
