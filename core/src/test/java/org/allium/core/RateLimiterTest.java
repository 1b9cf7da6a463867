package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong clock = new AtomicLong();

    @Test
    void perKeyBurstThenRefill() {
        RateLimiter r = new RateLimiter(1000, 1000, 60, 3, 10, clock::get);
        assertTrue(r.tryKey("a"));
        assertTrue(r.tryKey("a"));
        assertTrue(r.tryKey("a"));
        assertFalse(r.tryKey("a"));
        assertTrue(r.tryKey("b"), "another key has its own bucket");
        clock.addAndGet(1_000_000_000L); // one second: one token at 60/min
        assertTrue(r.tryKey("a"));
        assertFalse(r.tryKey("a"));
    }

    @Test
    void globalLimitHoldsAcrossKeys() {
        RateLimiter r = new RateLimiter(60, 5, 1000, 1000, 10, clock::get);
        int allowed = 0;
        for (int i = 0; i < 50; i++) {
            if (r.tryGlobal()) {
                allowed++;
            }
        }
        assertEquals(5, allowed);
    }

    @Test
    void rememberedKeysAreBounded() {
        RateLimiter r = new RateLimiter(1e9, 1e9, 60, 1, 100, clock::get);
        for (int i = 0; i < 10_000; i++) {
            r.tryKey("k" + i);
        }
        assertEquals(100, r.rememberedKeys());
    }
}
