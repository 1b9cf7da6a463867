package org.allium.core;

import java.util.concurrent.Semaphore;

/**
 * Bounds the connections our listeners hand to handlers at once — per onion and overall —
 * so idle or slow connections before authentication cannot take a thread (and its buffers)
 * each without limit. A connection beyond a bound is closed at once by the caller. The
 * bound is on what a handler holds (for an endpoint, the handshake; for the identity onion,
 * the handshake and the request), independent of the transport (TCP or Unix socket).
 * Thread-safe.
 */
final class ListenerGate {
    /** Connections in handlers at once on one public onion (above the request desk's own pre-auth bound, which evicts). */
    static final int PER_PUBLIC_ONION = 32;
    /** On one endpoint onion: only its contact can reach it through tor, one session and a few redials at once. */
    static final int PER_ENDPOINT_ONION = 4;
    /** On all our onions together. */
    static final int OVERALL = 64;

    private final Semaphore overall;

    ListenerGate(int overall) {
        this.overall = new Semaphore(overall);
    }

    /** The bound of one listener. */
    static Semaphore perOnion(boolean isPublic) {
        return new Semaphore(isPublic ? PER_PUBLIC_ONION : PER_ENDPOINT_ONION);
    }

    /** Takes a slot of {@code onion} and of the overall bound, or none: false means close the connection now. */
    boolean tryEnter(Semaphore onion) {
        if (!onion.tryAcquire()) {
            return false;
        }
        if (!overall.tryAcquire()) {
            onion.release();
            return false;
        }
        return true;
    }

    /** Gives back what {@link #tryEnter} took. */
    void leave(Semaphore onion) {
        overall.release();
        onion.release();
    }
}
