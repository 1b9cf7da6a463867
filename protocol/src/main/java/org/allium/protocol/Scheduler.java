package org.allium.protocol;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay; the only source of time for {@link HandshakeDriver}, so
 * tests can fire timeouts by hand. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Scheduler {
    /** A scheduled task. */
    interface Cancellable {
        /** Prevents the task from running if it has not started; idempotent. */
        void cancel();
    }

    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduler backed by an executor the caller owns (and shuts down). */
    static Scheduler of(ScheduledExecutorService executor) {
        return (delay, task) -> {
            var future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
