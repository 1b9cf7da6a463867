package org.allium.core;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: the writer of one
 * session, so frames never interleave or reorder. Bounded: beyond {@code maxQueued} tasks
 * the submission is refused (the session is then too slow and gets closed by its owner).
 * Thread-safe.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = Logger.getLogger(SerialExecutor.class.getName());

    private final Executor pool;
    private final int maxQueued;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor pool, int maxQueued) {
        this.pool = pool;
        this.maxQueued = maxQueued;
    }

    /** @return false if the queue is full and the task was not taken */
    boolean offer(Runnable task) {
        synchronized (this) {
            if (queue.size() >= maxQueued) {
                return false;
            }
            queue.add(task);
            if (running) {
                return true;
            }
            running = true;
        }
        try {
            pool.execute(this::drain);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // No thread for this writer: refuse (its owner closes the session) and drop what waited.
            synchronized (this) {
                queue.clear();
                running = false;
            }
            return false;
        }
        return true;
    }

    @Override
    public void execute(Runnable task) {
        if (!offer(task)) {
            throw new java.util.concurrent.RejectedExecutionException("serial queue full");
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "serial task failed", e);
            }
        }
    }
}
