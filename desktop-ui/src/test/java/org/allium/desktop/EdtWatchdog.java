package org.allium.desktop;

import java.awt.EventQueue;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a UI test during which the event thread was blocked for more than
 * {@value #LIMIT_MS} ms.
 *
 * <p>A probe thread posts a runnable to the event queue every 50 ms. While a probe waits, the
 * watchdog samples the event thread about every 10 ms and adds up the time it was unavailable
 * <em>for reasons of its own</em>: the CPU time it used (running slow code) plus the time it
 * was blocked, waiting or inside native I/O (a lock, a sleep, a socket or file read). Time
 * the thread was merely runnable but not scheduled is not counted, nor waits for AWT's
 * internal toolkit lock (held for microseconds by the X toolkit thread, long only when that
 * thread is starved): on a 2-core machine shared
 * by many builds (load average above 20 was seen) plain wall-clock latency measures the
 * machine, not the code, and would make every UI test flaky. A probe still waiting when the
 * test ends counts as well, so a test that ends while the event thread is stuck fails too.
 */
public final class EdtWatchdog implements BeforeEachCallback, AfterEachCallback {
    static final long LIMIT_MS = 200;
    private static final long PERIOD_MS = 50;
    private static final long SAMPLE_MS = 10;
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EdtWatchdog.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static final class Probe implements Runnable {
        final AtomicLong worstNanos = new AtomicLong();
        /** The longest wall-clock wait of a probe, for the report. */
        final AtomicLong worstWallNanos = new AtomicLong();
        volatile boolean running = true;
        volatile boolean done;
        volatile Thread edt;
        /** What the event thread was doing the first time it was found blocked beyond the limit. */
        volatile String blockedAt;
        final Thread thread = new Thread(this, "edt-watchdog");

        /** How many probes have run; lets a test wait until the watchdog is really watching. */
        volatile int rounds;

        @Override
        public void run() {
            try {
                // Never wait for the event thread here: if it is already blocked, that wait
                // would itself go unmeasured. Find it by name; probes keep it up to date.
                edt = findEventThread();
                while (running) {
                    done = false;
                    long posted = System.nanoTime();
                    EventQueue.invokeLater(() -> {
                        edt = Thread.currentThread();
                        done = true;
                    });
                    watch(posted);
                    rounds++;
                    Thread.sleep(PERIOD_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static Thread findEventThread() {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("AWT-EventQueue")) {
                    return t;
                }
            }
            return null;
        }

        /** Samples the event thread until the probe has run (or the watchdog stops). */
        private void watch(long posted) throws InterruptedException {
            Thread t = edt != null && edt.isAlive() ? edt : findEventThread();
            long cpuStart = cpu(t);
            long waitedNanos = 0;
            long last = System.nanoTime();
            while (!done && running) {
                Thread.sleep(SAMPLE_MS);
                long now = System.nanoTime();
                // The interval since the last sample is charged to the state seen now: a loaded
                // machine stretches our 10 ms sleeps, and a blocked thread stays blocked meanwhile.
                if (!done && isUnavailable(t)) {
                    waitedNanos += now - last;
                }
                last = now;
                long blocked = waitedNanos + Math.max(0, cpu(t) - cpuStart);
                record(blocked, System.nanoTime() - posted);
                if (blockedAt == null && blocked > TimeUnit.MILLISECONDS.toNanos(LIMIT_MS)) {
                    blockedAt = stack(t);
                }
            }
        }

        private static long cpu(Thread t) {
            long v = t == null ? -1 : THREADS.getThreadCpuTime(t.getId());
            return Math.max(0, v);
        }

        /** Blocked on a lock, waiting, sleeping, or in native I/O: the thread's own doing. */
        private static boolean isUnavailable(Thread t) {
            if (t == null) {
                return false;
            }
            Thread.State s = t.getState();
            if (s == Thread.State.BLOCKED || s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                // Waiting for AWT's own toolkit lock means the X toolkit thread holding it
                // (for microseconds of work) is not getting a CPU: the machine, not our code.
                StackTraceElement[] st = t.getStackTrace();
                // A test's AbstractButton.doClick() holds the button "pressed" with a 68 ms
                // Thread.sleep on the event thread (stretched by a loaded machine): the test's own
                // simulated press, not our code (the app never calls doClick). What the click's
                // action then does on the event thread is counted as usual.
                if (st.length > 1 && st[0].getClassName().equals("java.lang.Thread") && st[0].getMethodName().equals("sleep")
                        && st[1].getClassName().equals("javax.swing.AbstractButton")
                        && st[1].getMethodName().equals("doClick")) {
                    return false;
                }
                for (StackTraceElement e : st) {
                    if (e.getClassName().equals("sun.awt.SunToolkit") && e.getMethodName().equals("awtLock")) {
                        return false;
                    }
                    // Idle in the event queue's own wait for the next event: the probe was posted
                    // and the thread has not been woken yet — the scheduler, not our code.
                    if (e.getClassName().equals("java.awt.EventQueue") && e.getMethodName().equals("getNextEvent")) {
                        return false;
                    }
                }
                return true;
            }
            if (s == Thread.State.RUNNABLE) {
                StackTraceElement[] st = t.getStackTrace();
                if (st.length > 0 && st[0].isNativeMethod()) {
                    String c = st[0].getClassName();
                    return c.startsWith("sun.nio.") || c.startsWith("java.io.") || c.startsWith("java.net.")
                            || c.startsWith("sun.net.");
                }
            }
            return false;
        }

        static String stack(Thread t) {
            if (t == null) {
                return " (no event thread)";
            }
            StringBuilder b = new StringBuilder();
            StackTraceElement[] st = t.getStackTrace();
            b.append(" [").append(t.getState()).append(']');
            for (int i = 0; i < Math.min(st.length, 30); i++) {
                b.append("\n\tat ").append(st[i]);
            }
            return b.toString();
        }

        void record(long blockedNanos, long wallNanos) {
            worstNanos.accumulateAndGet(blockedNanos, Math::max);
            worstWallNanos.accumulateAndGet(wallNanos, Math::max);
        }

        /** Stops probing; returns the worst blocked time in ms. */
        long stop() throws InterruptedException {
            // Give a probe posted just now the chance to be measured as still waiting.
            Thread.sleep(2 * SAMPLE_MS);
            running = false;
            thread.join(TimeUnit.SECONDS.toMillis(5));
            return TimeUnit.NANOSECONDS.toMillis(worstNanos.get());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Probe probe = new Probe();
        probe.thread.setDaemon(true);
        probe.thread.start();
        context.getStore(NS).put("probe", probe);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Probe probe = context.getStore(NS).remove("probe", Probe.class);
        long worst = probe.stop();
        if (worst > LIMIT_MS) {
            throw new AssertionError("the event thread was blocked for " + worst + " ms during this test (limit "
                    + LIMIT_MS + " ms; longest wait of a probe " + TimeUnit.NANOSECONDS.toMillis(
                    probe.worstWallNanos.get()) + " ms); it was busy in:" + probe.blockedAt);
        }
    }
}
