package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void growsExponentiallyWithJitterAndStopsAtTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(3), new Random(1));
        long[] nominal = {100, 200, 400, 800, 1600, 3000, 3000, 3000};
        for (long n : nominal) {
            long d = b.next().toMillis();
            assertTrue(d >= n / 2 && d <= n, "delay " + d + " outside [" + n / 2 + ", " + n + "]");
        }
        for (int i = 0; i < 100; i++) {
            assertTrue(b.next().toMillis() <= 3000);
        }
    }

    @Test
    void resetStartsOver() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(60), new Random(2));
        for (int i = 0; i < 10; i++) {
            b.next();
        }
        b.reset();
        assertEquals(0, b.attempts());
        assertTrue(b.next().toMillis() <= 100);
    }

    @Test
    void jitterSpreadsDelays() {
        Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(1000), new Random(3));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 200; i++) {
            long d = b.next().toMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(max - min > 200, "jitter too narrow: " + min + ".." + max);
    }
}
