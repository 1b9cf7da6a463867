package org.allium.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Token buckets: one global and one per key (e.g. per requester identity), with a bounded
 * number of remembered keys so that a flood of fresh keys cannot grow memory (the oldest
 * key is forgotten, which only ever makes it <em>less</em> limited, never the global bucket).
 * Thread-safe. Used for contact requests ({@code RequestDesk}) and group sync ({@code groups.GroupLimits}).
 */
public final class RateLimiter {
    private final Bucket global;
    private final double perKeyRate;
    private final double perKeyBurst;
    private final int maxKeys;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> perKey;

    /**
     * @param globalPerMinute tokens per minute of the shared bucket
     * @param globalBurst     size of the shared bucket
     * @param keyPerMinute    tokens per minute per key
     * @param keyBurst        size of each key's bucket
     * @param maxKeys         keys remembered at most
     */
    public RateLimiter(double globalPerMinute, double globalBurst, double keyPerMinute, double keyBurst,
                int maxKeys, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.global = new Bucket(globalPerMinute / 60e9, globalBurst, nanoClock.getAsLong());
        this.perKeyRate = keyPerMinute / 60e9;
        this.perKeyBurst = keyBurst;
        this.maxKeys = maxKeys;
        this.perKey = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > RateLimiter.this.maxKeys;
            }
        };
    }

    /** Takes one token from the global bucket; false when the global limit is reached. */
    public synchronized boolean tryGlobal() {
        return global.take(nanoClock.getAsLong());
    }

    /** Takes one token from {@code key}'s bucket; false when that key is over its limit. */
    public synchronized boolean tryKey(String key) {
        long now = nanoClock.getAsLong();
        Bucket b = perKey.get(key);
        if (b == null) {
            b = new Bucket(perKeyRate, perKeyBurst, now);
            perKey.put(key, b);
        }
        return b.take(now);
    }

    synchronized int rememberedKeys() {
        return perKey.size();
    }

    private static final class Bucket {
        private final double ratePerNano;
        private final double burst;
        private double tokens;
        private long last;

        Bucket(double ratePerNano, double burst, long now) {
            this.ratePerNano = ratePerNano;
            this.burst = burst;
            this.tokens = burst;
            this.last = now;
        }

        boolean take(long now) {
            tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
