package org.allium.protocol;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** A {@link Scheduler} whose tasks run only when the test fires them. */
final class ManualScheduler implements Scheduler {
    private final List<Task> tasks = new ArrayList<>();

    private static final class Task implements Cancellable {
        final Duration delay;
        final Runnable runnable;
        boolean cancelled;

        Task(Duration delay, Runnable runnable) {
            this.delay = delay;
            this.runnable = runnable;
        }

        @Override
        public void cancel() {
            synchronized (this) {
                cancelled = true;
            }
        }
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(delay, task);
        tasks.add(t);
        notifyAll();
        return t;
    }

    /** Waits (up to a generous deadline) until at least {@code n} tasks were scheduled. */
    synchronized void awaitScheduled(int n) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (tasks.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("only " + tasks.size() + " tasks scheduled");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized int scheduledCount() {
        return tasks.size();
    }

    synchronized Duration delayOf(int i) {
        return tasks.get(i).delay;
    }

    /** Runs task {@code i} now unless it was cancelled; returns whether it ran. */
    boolean fire(int i) {
        Task t;
        synchronized (this) {
            t = tasks.get(i);
        }
        synchronized (t) {
            if (t.cancelled) {
                return false;
            }
        }
        t.runnable.run();
        return true;
    }
}
