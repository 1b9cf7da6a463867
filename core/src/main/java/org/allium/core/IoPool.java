package org.allium.core;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The engine's io threads (dials, handshakes, accept loops, session readers and writers, file
 * streams): created on demand, idle ones end after a minute, and never more than a bound. Each
 * peer-driven use has its own smaller bound (handlers per onion, file streams per contact and in
 * all, one reader per session); this is the backstop when they add up. A task beyond the bound
 * is refused with {@link RejectedExecutionException} at once, never queued behind long-lived
 * tasks: the caller closes the connection or stream it was for (and retries later where it
 * dials). Saturation is logged at most once a minute, without anything identifying.
 */
final class IoPool {
    private static final Logger LOG = Logger.getLogger(IoPool.class.getName());
    /**
     * Threads at most: about 3 per online contact (its endpoint's accept loop, the session's
     * reader, its writer while writing) for a few hundred contacts, plus file streams and dials.
     */
    static final int MAX_THREADS = 1024;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private IoPool() {
    }

    static ThreadPoolExecutor create(int maxThreads, ThreadFactory threads) {
        AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
        return new ThreadPoolExecutor(0, maxThreads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads,
                (task, pool) -> {
                    if (pool.isShutdown()) {
                        throw new RejectedExecutionException("stopping");
                    }
                    long now = System.nanoTime();
                    long last = lastLog.get();
                    if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
                        LOG.warning("all " + maxThreads + " io threads are busy: a connection or stream is refused");
                    }
                    throw new RejectedExecutionException("io threads exhausted");
                });
    }
}
