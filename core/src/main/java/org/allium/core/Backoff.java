package org.allium.core;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with full jitter: attempt n waits a random time in
 * [d/2, d] with d = min(cap, base·2^n). The jitter keeps many messengers (or many contacts)
 * from redialling in lock step. Not thread-safe; one per contact, guarded by its owner.
 */
final class Backoff {
    private final Duration base;
    private final Duration cap;
    private final RandomGenerator random;
    private int attempt;

    Backoff(Duration base, Duration cap, RandomGenerator random) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap");
        }
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    /** The delay before the next attempt; each call doubles the nominal delay up to the cap. */
    Duration next() {
        long capMs = cap.toMillis();
        long nominal = base.toMillis() << Math.min(attempt, 30);
        if (nominal <= 0 || nominal > capMs) {
            nominal = capMs;
        }
        if (attempt < 31) {
            attempt++;
        }
        long half = nominal / 2;
        return Duration.ofMillis(half + random.nextLong(nominal - half + 1));
    }

    /** After a success: the next failure starts from the base delay again. */
    void reset() {
        attempt = 0;
    }

    int attempts() {
        return attempt;
    }
}
