package org.allium.core.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.allium.protocol.proto.GroupMessage;
import org.junit.jupiter.api.Test;

/** The buckets of {@link GroupLimits} on a clock the test moves (PROTOCOL.md §12.4, rate limits). */
class GroupLimitsTest {
    private static final long NOW = 1_767_225_600_000L;
    private static final ByteString G = ByteString.copyFrom(new byte[16]);
    private static final ByteString G2 = ByteString.copyFrom(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    private final AtomicLong nanos = new AtomicLong();
    /** author 10 at once then 60/min, group 25 then 600/min, peer 40 then 1200/min, fresh 10 min. */
    private final GroupLimits limits = new GroupLimits(new GroupLimits.Config(10, 60, 25, 600, 40, 1200,
            Duration.ofMinutes(10)), nanos::get);

    private static GroupMessage by(int author, long composedMs) {
        byte[] k = new byte[32];
        k[0] = (byte) author;
        return GroupMessage.newBuilder().setAuthor(ByteString.copyFrom(k)).setComposedAtMs(composedMs).build();
    }

    private int taken(ByteString group, long contact, int author, long composedMs, int offered) {
        int n = 0;
        for (int i = 0; i < offered; i++) {
            if (limits.admit(group, contact, by(author, composedMs), NOW) == null) {
                n++;
            }
        }
        return n;
    }

    @Test
    void anAuthorGetsItsBurstThenItsRateAndEveryRefusalIsCounted() {
        assertEquals(10, taken(G, 1, 1, NOW, 30), "one author's burst");
        assertEquals(20, limits.refused());
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(3)); // 60/min: three more
        assertEquals(3, taken(G, 2, 1, NOW, 5));
        assertEquals(10, taken(G, 3, 2, NOW, 30), "another author has a bucket of its own");
        assertEquals(10, taken(G2, 1, 1, NOW, 100), "and so has the same author in another group");
    }

    @Test
    void theAuthorLimitHoldsWhoeverRelaysAndTheGroupLimitHoldsAcrossAuthors() {
        int got = 0;
        for (long contact = 1; contact <= 5; contact++) {
            got += taken(G, contact, 1, NOW, 100);
        }
        assertEquals(10, got, "five peers relaying one author's flood: still its burst");
        int all = 0;
        for (int author = 2; author < 12; author++) {
            all += taken(G, 100 + author, author, NOW, 10);
        }
        assertEquals(15, all, "the group's 25 at once, less the 10 the first author took");
    }

    @Test
    void oldMessagesOfACatchUpAreBoundOnlyByThePeersBucket() {
        long old = NOW - Duration.ofMinutes(11).toMillis();
        assertEquals(40, taken(G, 1, 1, old, 1000), "a catch-up of one author's old posts: the peer's burst");
        assertEquals(0, taken(G, 1, 2, old, 10), "that peer is through its burst for this group");
        assertEquals(10, taken(G, 2, 2, old, 10), "another peer is not");
        assertEquals(10, taken(G, 3, 1, NOW + 1000, 100), "fresh (also ahead of our clock) again: the author's");
    }

    @Test
    void theWaitIsAQuarterBurstsRefillWithinBounds() {
        taken(G, 1, 1, NOW, 10);
        Duration author = limits.admit(G, 1, by(1, NOW), NOW);
        assertNotNull(author);
        assertEquals(Duration.ofMillis(2500), author, "2.5 tokens at one a second");
        GroupLimits slow = new GroupLimits(new GroupLimits.Config(1000, 1, 1000, 1, 2000, 1000, Duration.ZERO),
                nanos::get);
        for (int i = 0; i < 1000; i++) {
            assertNull(slow.admit(G, 1, by(1, NOW), NOW));
        }
        assertEquals(Duration.ofMinutes(2), slow.admit(G, 1, by(1, NOW), NOW), "at most two minutes");
    }

    @Test
    void askingAgainIsScheduledOncePerContactAndGroupAtATime() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Runnable ask = () -> {
            runs.incrementAndGet();
            ran.countDown();
        };
        for (int i = 0; i < 5; i++) {
            limits.later(1, G, Duration.ofMillis(200), ask);
        }
        assertEquals(true, ran.await(10, TimeUnit.SECONDS));
        Thread.sleep(300);
        assertEquals(1, runs.get(), "five refusals before the ask: one ask");
        CountDownLatch again = new CountDownLatch(1);
        limits.later(1, G, Duration.ofMillis(10), again::countDown);
        assertEquals(true, again.await(10, TimeUnit.SECONDS), "after it ran, the next refusal asks again");
        limits.stop();
    }
}
