package org.allium.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.allium.core.api.MessengerEvent;

/** Records a messenger's events and lets a test wait for one (no sleeps, generous deadlines). */
final class EventLog {
    private final List<MessengerEvent> events = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final String name;

    EventLog(String name) {
        this.name = name;
    }

    void add(MessengerEvent e) {
        synchronized (events) {
            events.add(e);
            times.add(System.currentTimeMillis());
            events.notifyAll();
        }
        if (!(e instanceof MessengerEvent.TorProgress)) {
            System.err.println(java.time.Instant.now() + " EVENT " + name + " " + e);
        }
    }

    List<MessengerEvent> snapshot() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    /** Waits until some recorded event (past or future) matches; fails with the log on timeout. */
    @SuppressWarnings("unchecked")
    <T extends MessengerEvent> T await(Class<T> type, Predicate<T> match, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (MessengerEvent e : events) {
                    if (type.isInstance(e) && match.test((T) e)) {
                        return (T) e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + what + "; events: " + events);
                }
                events.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    <T extends MessengerEvent> long count(Class<T> type, Predicate<T> match) {
        synchronized (events) {
            return events.stream().filter(type::isInstance).map(type::cast).filter(match).count();
        }
    }
}
