package org.allium.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Subscription;

/**
 * Delivers {@link MessengerEvent}s in order on one thread to every listener. Thread-safe;
 * {@link #publish} never blocks. A listener that throws is logged and kept.
 */
final class EventBus {
    private static final Logger LOG = Logger.getLogger(EventBus.class.getName());

    private final ExecutorService executor;
    private final List<Consumer<MessengerEvent>> listeners = new CopyOnWriteArrayList<>();

    /** @param executor a single-threaded executor owned by this bus (shut down by {@link #close}) */
    EventBus(ExecutorService executor) {
        this.executor = executor;
    }

    Subscription subscribe(Consumer<MessengerEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void publish(MessengerEvent event) {
        try {
            executor.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            LOG.fine("event after close dropped: " + event.getClass().getSimpleName());
        }
    }

    private void deliver(MessengerEvent event) {
        for (Consumer<MessengerEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event listener threw on " + event.getClass().getSimpleName(), e);
            }
        }
    }

    /** Delivers what is queued, then stops the thread. Blocks up to a few seconds. */
    void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warning("event listeners did not finish in 5 s");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
