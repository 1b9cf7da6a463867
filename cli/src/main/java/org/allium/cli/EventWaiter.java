package org.allium.cli;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Subscription;

/**
 * Remembers the recent events of one messenger so a command can wait for one that matches,
 * including one that arrived before it started waiting (e.g. a status change racing the
 * return of {@code sendMessage}). Keeps at most {@link #CAPACITY} events (oldest dropped).
 * Thread-safe; the listener never blocks the core event thread.
 */
final class EventWaiter implements AutoCloseable {

    static final int CAPACITY = 4096;

    private final Object lock = new Object();
    private final Deque<MessengerEvent> recent = new ArrayDeque<>();
    private final Subscription subscription;

    EventWaiter(Messenger messenger) {
        this.subscription = messenger.subscribe(this::onEvent);
    }

    private void onEvent(MessengerEvent e) {
        synchronized (lock) {
            if (recent.size() == CAPACITY) {
                recent.removeFirst();
            }
            recent.addLast(e);
            lock.notifyAll();
        }
    }

    /**
     * Waits for an event matching {@code condition}, looking at the remembered ones first.
     *
     * @return the event, or empty when the deadline passed first
     * @throws InterruptedException if interrupted while waiting
     */
    Optional<MessengerEvent> await(Predicate<MessengerEvent> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                for (MessengerEvent e : recent) {
                    if (condition.test(e)) {
                        return Optional.of(e);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    /** Typed form of {@link #await(Predicate, Duration)}. */
    <T extends MessengerEvent> Optional<T> await(Class<T> type, Predicate<? super T> condition, Duration timeout)
            throws InterruptedException {
        return await(e -> type.isInstance(e) && condition.test(type.cast(e)), timeout).map(type::cast);
    }

    /** The first remembered event of a type matching {@code condition}, without waiting. */
    <T extends MessengerEvent> Optional<T> find(Class<T> type, Predicate<? super T> condition) {
        synchronized (lock) {
            for (MessengerEvent e : recent) {
                if (type.isInstance(e) && condition.test(type.cast(e))) {
                    return Optional.of(type.cast(e));
                }
            }
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        subscription.close();
    }
}
