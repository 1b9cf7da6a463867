package org.allium.desktop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.EventQueue;
import org.junit.jupiter.api.Test;

/**
 * The watchdog itself: it sees an event thread that computes, sleeps or waits on a lock, but not a
 * test's own simulated button press.
 */
class EdtWatchdogTest {
    private static long watch(Runnable onEdt) throws Exception {
        EdtWatchdog.Probe probe = new EdtWatchdog.Probe();
        probe.thread.setDaemon(true);
        probe.thread.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (probe.rounds < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        EventQueue.invokeAndWait(onEdt);
        return probe.stop();
    }

    @Test
    void detectsASleepingEventThread() throws Exception {
        long worst = watch(() -> {
            try {
                Thread.sleep(600);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(worst > EdtWatchdog.LIMIT_MS, "watchdog measured only " + worst + " ms");
    }

    @Test
    void detectsABusyEventThread() throws Exception {
        // 1.5 s of CPU on the event thread, whatever the machine's load.
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long worst = watch(() -> {
            long start = mx.getCurrentThreadCpuTime();
            while (mx.getCurrentThreadCpuTime() - start < 1_500_000_000L) {
                Thread.onSpinWait();
            }
        });
        assertTrue(worst > EdtWatchdog.LIMIT_MS, "watchdog measured only " + worst + " ms");
    }

    @Test
    void detectsAnEventThreadWaitingOnALock() throws Exception {
        Object lock = new Object();
        java.util.concurrent.atomic.AtomicReference<Thread> edt = new java.util.concurrent.atomic.AtomicReference<>();
        EventQueue.invokeAndWait(() -> edt.set(Thread.currentThread()));
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (lock) {
                held.countDown();
                try {
                    // Keep the lock until the event thread has been blocked on it for 600 ms.
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (edt.get().getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    Thread.sleep(600);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        holder.start();
        held.await();
        long worst = watch(() -> {
            synchronized (lock) {
                lock.notifyAll();
            }
        });
        holder.join();
        assertTrue(worst > EdtWatchdog.LIMIT_MS, "watchdog measured only " + worst + " ms");
    }

    @Test
    void aTestsOwnButtonPressIsNotCountedButWhatTheClickDoesIs() throws Exception {
        // doClick(600) is a test holding the button down for 600 ms (doClick() holds it 68 ms,
        // which a loaded machine stretches beyond the limit): the test's doing, not the app's.
        javax.swing.JButton quick = new javax.swing.JButton();
        long pressed = watch(() -> quick.doClick(600));
        assertTrue(pressed < EdtWatchdog.LIMIT_MS, "a held press counted as " + pressed + " ms");
        javax.swing.JButton slow = new javax.swing.JButton();
        slow.addActionListener(e -> {
            try {
                Thread.sleep(600);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        });
        long acted = watch(() -> slow.doClick(0));
        assertTrue(acted > EdtWatchdog.LIMIT_MS, "a slow action measured only " + acted + " ms");
    }
}
