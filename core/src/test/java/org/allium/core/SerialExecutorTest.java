package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A session's writer (issue 11 §4): a peer that stops reading blocks the writer in a socket
 * write; what queues behind it is bounded, so the session is closed instead of growing memory.
 */
class SerialExecutorTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aSessionsWriterQueuesAtMostSixtyFourTasks() {
        // Was 100 000: a peer that never reads let a session queue that many frames.
        assertTrue(ConnectionManager.WRITER_QUEUE <= 64, "writer queue bound " + ConnectionManager.WRITER_QUEUE);
    }

    @Test
    void aBlockedWriterRefusesTasksBeyondItsBoundAndTakesThemAgainOnceDrained() throws Exception {
        SerialExecutor writer = new SerialExecutor(pool, ConnectionManager.WRITER_QUEUE);
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        assertTrue(writer.offer(() -> {
            blocked.countDown();
            await(release); // a socket write to a peer that does not read
        }));
        assertTrue(blocked.await(10, TimeUnit.SECONDS));
        int taken = 0;
        CountDownLatch ran = new CountDownLatch(ConnectionManager.WRITER_QUEUE);
        for (int i = 0; i < 100_000; i++) {
            if (!writer.offer(ran::countDown)) {
                break;
            }
            taken++;
        }
        assertEquals(ConnectionManager.WRITER_QUEUE, taken, "tasks queued behind a blocked write");
        assertFalse(writer.offer(() -> { }), "still full");
        assertThrows(RejectedExecutionException.class, () -> writer.execute(() -> { }));
        release.countDown();
        assertTrue(ran.await(10, TimeUnit.SECONDS), "every queued task ran once the write returned");
        CountDownLatch again = new CountDownLatch(1);
        assertTrue(writer.offer(again::countDown), "drained: takes tasks again");
        assertTrue(again.await(10, TimeUnit.SECONDS));
    }

    @Test
    void tasksRunInOrderOneAtATimeAndAFailingTaskDoesNotStopTheOthers() throws Exception {
        SerialExecutor writer = new SerialExecutor(pool, 16);
        List<Integer> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < 10; i++) {
            int n = i;
            assertTrue(writer.offer(() -> {
                if (n == 3) {
                    throw new IllegalStateException("a frame that could not be written");
                }
                order.add(n);
            }));
        }
        assertTrue(writer.offer(done::countDown));
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(0, 1, 2, 4, 5, 6, 7, 8, 9), order);
    }

    @Test
    void aWriterWithoutAFreeIoThreadRefusesAndTakesTasksAgainOnceThereIsOne() throws Exception {
        java.util.concurrent.ThreadPoolExecutor io = IoPool.create(1, Thread::new);
        try {
            CountDownLatch release = new CountDownLatch(1);
            io.execute(() -> await(release)); // the only io thread is busy
            SerialExecutor writer = new SerialExecutor(io, 16);
            assertFalse(writer.offer(() -> { }), "no thread: refused, so the owner closes the session");
            release.countDown();
            CountDownLatch ran = new CountDownLatch(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // Was stuck: the refused drain left the writer marked running, so nothing ever ran again.
            while (!writer.offer(ran::countDown)) {
                assertTrue(System.nanoTime() < deadline, "the writer takes tasks again");
                Thread.sleep(10);
            }
            assertTrue(ran.await(10, TimeUnit.SECONDS), "and runs them");
        } finally {
            io.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
