package org.allium.protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Keepalive and idle-timeout rules of an authenticated connection (PROTOCOL.md §7), as
 * a pure function of time: send {@code KeepAlive} when nothing was sent for
 * {@link Limits#KEEPALIVE_INTERVAL}; close with {@code TIMEOUT} when nothing (not even a
 * KeepAlive) was received for {@link Limits#IDLE_TIMEOUT}. The caller supplies the clock
 * and wakes up at {@link #nextDeadline()}. Thread-safe (all methods synchronized).
 */
public final class Liveness {
    /** What the connection should do now. */
    public enum Action { NONE, SEND_KEEPALIVE, CLOSE_IDLE }

    private final Duration keepAliveInterval;
    private final Duration idleTimeout;
    private Instant lastSent;
    private Instant lastReceived;

    public Liveness(Instant now) {
        this(now, Limits.KEEPALIVE_INTERVAL, Limits.IDLE_TIMEOUT);
    }

    public Liveness(Instant now, Duration keepAliveInterval, Duration idleTimeout) {
        this.keepAliveInterval = Objects.requireNonNull(keepAliveInterval);
        this.idleTimeout = Objects.requireNonNull(idleTimeout);
        if (idleTimeout.compareTo(keepAliveInterval) <= 0) {
            throw new IllegalArgumentException("idle timeout must exceed the keepalive interval");
        }
        lastSent = now;
        lastReceived = now;
    }

    /** Any frame was sent. */
    public synchronized void onSent(Instant now) {
        lastSent = later(lastSent, now);
    }

    /** Any frame was received. */
    public synchronized void onReceived(Instant now) {
        lastReceived = later(lastReceived, now);
    }

    /** What to do at {@code now}; after SEND_KEEPALIVE the caller sends it and calls {@link #onSent}. */
    public synchronized Action poll(Instant now) {
        if (!now.isBefore(lastReceived.plus(idleTimeout))) {
            return Action.CLOSE_IDLE;
        }
        if (!now.isBefore(lastSent.plus(keepAliveInterval))) {
            return Action.SEND_KEEPALIVE;
        }
        return Action.NONE;
    }

    /** When {@link #poll} may next return something other than NONE. */
    public synchronized Instant nextDeadline() {
        Instant idle = lastReceived.plus(idleTimeout);
        Instant keepAlive = lastSent.plus(keepAliveInterval);
        return idle.isBefore(keepAlive) ? idle : keepAlive;
    }

    private static Instant later(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }
}
