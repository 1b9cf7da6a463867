package org.allium.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadFactory;

/**
 * Writes lines to a stream from its own thread, so producers (the core event thread) never
 * block on a slow reader. Holds at most {@code capacity} lines; {@link #offer} returns false
 * when full and the caller decides (drop and count, or give up on the reader).
 * Thread-safe. {@link #close()} writes what is queued, then stops.
 */
final class LineSink implements AutoCloseable {

    private final Object lock = new Object();
    private final Deque<String> queue = new ArrayDeque<>();
    private final int capacity;
    private final OutputStream out;
    private final Thread thread;
    private boolean closed;
    private boolean failed;

    LineSink(OutputStream out, int capacity, ThreadFactory threads) {
        this.out = out;
        this.capacity = capacity;
        this.thread = threads.newThread(this::loop);
        thread.start();
    }

    /** Queues a line (without newline). @return false if full, closed or the stream failed */
    boolean offer(String line) {
        synchronized (lock) {
            if (closed || failed || queue.size() >= capacity) {
                return false;
            }
            queue.addLast(line);
            lock.notifyAll();
            return true;
        }
    }

    /** Whether writing failed (the reader went away). */
    boolean failed() {
        synchronized (lock) {
            return failed;
        }
    }

    private void loop() {
        while (true) {
            String line;
            synchronized (lock) {
                while (queue.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    return;
                }
                line = queue.removeFirst();
            }
            try {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                synchronized (lock) {
                    failed = true;
                    queue.clear();
                }
                return;
            }
        }
    }

    /** Flushes what is queued (waiting up to 5 s) and stops the writer thread. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
