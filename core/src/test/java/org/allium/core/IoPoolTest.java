package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's io threads are bounded ({@link IoPool}): was an unbounded cached pool, where
 * every task beyond the busy threads started one more thread, without end.
 */
class IoPoolTest {
    static {
        TestLogs.install();
    }

    @TempDir
    Path tmp;

    @Test
    void aMessengersIoThreadsAreBoundedAndATaskBeyondIsRefusedAtOnce() throws Exception {
        try (FakeOnionNetwork net = new FakeOnionNetwork(); FakeNode n = new FakeNode("olga", tmp, net)) {
            n.start();
            ExecutorService io = n.messenger.ioPool();
            CountDownLatch release = new CountDownLatch(1);
            int taken = 0;
            try {
                // The messenger's own long-lived tasks (accept loops) hold a few threads already.
                while (taken <= IoPool.MAX_THREADS) {
                    io.execute(() -> await(release));
                    taken++;
                }
            } catch (RejectedExecutionException e) {
                // the bound
            } finally {
                release.countDown();
            }
            assertTrue(taken < IoPool.MAX_THREADS, taken + " blocking tasks were given a thread each");
            assertTrue(taken > IoPool.MAX_THREADS - 16, "only " + taken + " threads were available");
            assertTrue(io instanceof ThreadPoolExecutor p && p.getLargestPoolSize() <= IoPool.MAX_THREADS,
                    "threads at most " + IoPool.MAX_THREADS);
            assertTrue(TestLogs.lines().stream().anyMatch(l -> l.contains("io threads are busy")),
                    "the refusal is logged");
            // Once the tasks end, their threads take new work.
            CountDownLatch ran = new CountDownLatch(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    io.execute(ran::countDown);
                    break;
                } catch (RejectedExecutionException e) {
                    assertTrue(System.nanoTime() < deadline, "threads free again");
                    Thread.sleep(10);
                }
            }
            assertTrue(ran.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aStoppedPoolRefusesWithoutWarning() {
        ThreadPoolExecutor p = IoPool.create(2, Thread::new);
        p.shutdown();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> p.execute(() -> { }));
        assertTrue(e.getMessage().contains("stopping"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
