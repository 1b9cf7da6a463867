package org.allium.protocol;

import java.time.Duration;

/**
 * Reconnect/resend delays for unacknowledged items (PROTOCOL.md §7.3): after the
 * {@code n}-th consecutive failed attempt (n ≥ 1) wait {@code min(MAX, BASE · 2^(n-1))}
 * scaled by a jitter factor in [0.5, 1.0) so that peers that failed together do not
 * retry together. Stateless.
 */
public final class Backoff {
    /** First delay. */
    public static final Duration BASE = Duration.ofSeconds(30);
    /** Longest delay. */
    public static final Duration MAX = Duration.ofMinutes(10);

    private Backoff() {
    }

    /**
     * @param failures consecutive failures so far, at least 1
     * @param jitter a uniformly random number in [0, 1), e.g. from {@code SecureRandom.nextDouble()}
     */
    public static Duration delay(int failures, double jitter) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be >= 1");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1)");
        }
        long base = BASE.toMillis() << Math.min(failures - 1, 20);
        long capped = Math.min(base, MAX.toMillis());
        return Duration.ofMillis((long) (capped * (0.5 + jitter / 2)));
    }
}
