package org.allium.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.tor.Tors;
import org.allium.tor.api.OwnTorSettings;
import org.allium.tor.api.Tor;

/** Small pieces shared by the request-channel figures (ArrivalFigures, FloodFigures). */
final class FigureKit {
    private FigureKit() {
    }

    /** Every event of one messenger with its arrival time (System.nanoTime). Thread-safe. */
    static final class Recorder {
        private final List<Long> times = new ArrayList<>();
        private final List<MessengerEvent> events = new ArrayList<>();

        Recorder(Messenger m) {
            m.subscribe(this::add);
        }

        private synchronized void add(MessengerEvent e) {
            if (e instanceof MessengerEvent.TorProgress) {
                return;
            }
            times.add(System.nanoTime());
            events.add(e);
            notifyAll();
        }

        /** Index to pass to {@link #await} to see only events from now on. */
        synchronized int mark() {
            return events.size();
        }

        /** Waits for the first matching event at or after index {@code from}; returns its arrival time. */
        synchronized <T extends MessengerEvent> long await(int from, Class<T> type, Predicate<T> p, Duration timeout,
                                                           String what) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            int i = from;
            while (true) {
                for (; i < events.size(); i++) {
                    MessengerEvent e = events.get(i);
                    if (type.isInstance(e) && p.test(type.cast(e))) {
                        return times.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("timed out waiting for " + what);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }

        /** The last matching event at or after {@code from}, or null. */
        synchronized <T extends MessengerEvent> T last(int from, Class<T> type, Predicate<T> p) {
            for (int i = events.size() - 1; i >= from; i--) {
                MessengerEvent e = events.get(i);
                if (type.isInstance(e) && p.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            return null;
        }
    }

    /** A tor on loopback TCP ports (not Unix sockets): the figures share some with peers as an external tor. */
    static Tor startTor(Path dir, List<String> lines) throws Exception {
        Tor t = Tors.own(OwnTorSettings.builder(dir).tcpPorts(true).extraTorrcLines(lines).build());
        t.start();
        t.enableNetwork();
        t.awaitBootstrapped(Duration.ofMinutes(3));
        return t;
    }

    static double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int idx = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, idx)));
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String toJson(Object o) {
        if (o instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(", ");
                }
                first = false;
                b.append('"').append(e.getKey()).append("\": ").append(toJson(e.getValue()));
            }
            return b.append('}').toString();
        }
        if (o instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(toJson(l.get(i)));
            }
            return b.append(']').toString();
        }
        if (o instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        if (o instanceof Double d) {
            return d.isNaN() ? "null" : String.format(Locale.ROOT, "%.2f", d);
        }
        return String.valueOf(o);
    }
}
