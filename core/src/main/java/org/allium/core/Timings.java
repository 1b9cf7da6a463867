package org.allium.core;

import java.time.Duration;
import org.allium.core.groups.GroupLimits;
import org.allium.tor.api.PowSettings;

/**
 * Every timer and limit of the engine in one immutable place, so tests and benchmarks can
 * shorten what the real network needs long.
 *
 * @param redialBase        first delay before redialling a contact or re-sending a request
 * @param redialCap         longest such delay
 * @param stableSession     a session that lived this long resets the contact's backoff
 * @param dialTimeout       SOCKS connect deadline (descriptor fetch + rendezvous)
 * @param handshakeTimeout  deadline for the whole handshake and, on the identity onion, the request
 * @param keepalive         ping interval on an idle session; 3× this without input closes it
 * @param duplicateWindow   two sessions that came up within this window are settled by the
 *                          protocol's deterministic rule; otherwise the newer one wins
 * @param torRestartBase    first delay before restarting a tor that died
 * @param torRestartCap     longest delay between tor restarts
 * @param bootstrapTimeout  bootstrap without progress this long is reported as stuck
 * @param requestsPerMinuteGlobal contact requests per minute accepted overall
 * @param requestBurstGlobal      burst of the global bucket
 * @param requestsPerMinutePerPeer contact requests per minute accepted from one requester
 * @param requestBurstPerPeer     burst of one requester's bucket
 * @param maxPendingRequests incoming requests kept unanswered at most (more are dropped)
 * @param maxPreAuthConnections concurrent unauthenticated connections on the identity onion
 * @param reaskBase         first delay before asking again about a delivered, unanswered request
 *                          (the answer may be waiting there because our endpoint was unreachable)
 * @param reaskCap          longest such delay
 * @param requestExpiry     an unanswered request (either direction) is withdrawn after this long
 *                          (the user is told with {@code RequestExpired})
 * @param requestEndpointWindow our endpoint for an unanswered outgoing request is hosted only this
 *                          long after each time their identity onion took our request (their
 *                          acceptance can reach us there); otherwise it waits for our next re-ask
 * @param identityPow       tor's proof-of-work queue on the identity onion (core/README.md, "The
 *                          request channel under a flood")
 * @param groupLimits       what a member stores of a group per unit of time, per author, group and
 *                          peer ({@link org.allium.core.groups.GroupLimits}, PROTOCOL.md §12.4)
 */
record Timings(Duration redialBase, Duration redialCap, Duration stableSession, Duration dialTimeout,
               Duration handshakeTimeout, Duration keepalive, Duration duplicateWindow,
               Duration torRestartBase, Duration torRestartCap, Duration bootstrapTimeout,
               double requestsPerMinuteGlobal, double requestBurstGlobal,
               double requestsPerMinutePerPeer, double requestBurstPerPeer,
               int maxPendingRequests, int maxPreAuthConnections, Duration reaskBase, Duration reaskCap,
               Duration requestExpiry, Duration requestEndpointWindow, PowSettings identityPow,
               GroupLimits.Config groupLimits) {

    /**
     * Tor's PoW queue on the identity onion: 1 introduction per second sustained, bursts of 8.
     * Tor's default (250/s, 2500) never fills, so the queue never orders anybody by effort; an
     * identity onion takes a few requests a minute (our own buckets) and 4 streams per circuit.
     */
    static final PowSettings IDENTITY_POW = new PowSettings(1, 8);

    /**
     * Group limits for the private test network and the fake one: the ITs and benches push
     * hundreds of posts from one author within seconds (GroupCrashIT, GroupFigures), which
     * the real limits would spread over minutes. Tests of the limits set their own.
     */
    static final GroupLimits.Config BULK_GROUP_LIMITS = new GroupLimits.Config(10_000, 100_000, 10_000, 100_000,
            10_000, 100_000, Duration.ofMinutes(10));

    /**
     * For the real Tor network: redial backoff 30 s doubling to 10 min and 60 s keepalive
     * (PROTOCOL.md §7.3, §7.5), the handshake within 40 s (§6.6: 30 s per step); an unanswered request asked again after 10 min doubling to 6 h.
     */
    static Timings defaults() {
        return new Timings(Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofMinutes(1),
                Duration.ofSeconds(120), Duration.ofSeconds(40), Duration.ofSeconds(60),
                Duration.ofSeconds(20), Duration.ofSeconds(1), Duration.ofMinutes(2),
                Duration.ofMinutes(3), 30, 30, 3, 3, 200, 16, Duration.ofMinutes(10), Duration.ofHours(6),
                Duration.ofDays(30), Duration.ofMinutes(30), IDENTITY_POW, GroupLimits.Config.DEFAULTS);
    }

    /** For the private test network: the same rules with short timers. */
    static Timings testnet() {
        return new Timings(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofSeconds(20), Duration.ofMillis(500), Duration.ofSeconds(5),
                Duration.ofMinutes(3), 30, 30, 3, 3, 50, 16, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofDays(30), Duration.ofSeconds(60), IDENTITY_POW, BULK_GROUP_LIMITS);
    }

    Timings withRequestLimits(double globalPerMinute, double globalBurst, double perPeerPerMinute,
                              double perPeerBurst, int maxPending) {
        return new Timings(redialBase, redialCap, stableSession, dialTimeout, handshakeTimeout, keepalive,
                duplicateWindow, torRestartBase, torRestartCap, bootstrapTimeout, globalPerMinute,
                globalBurst, perPeerPerMinute, perPeerBurst, maxPending, maxPreAuthConnections, reaskBase, reaskCap,
                requestExpiry, requestEndpointWindow, identityPow, groupLimits);
    }

    Timings withRequestLifetime(Duration expiry, Duration endpointWindow) {
        return new Timings(redialBase, redialCap, stableSession, dialTimeout, handshakeTimeout, keepalive,
                duplicateWindow, torRestartBase, torRestartCap, bootstrapTimeout, requestsPerMinuteGlobal,
                requestBurstGlobal, requestsPerMinutePerPeer, requestBurstPerPeer, maxPendingRequests,
                maxPreAuthConnections, reaskBase, reaskCap, expiry, endpointWindow, identityPow, groupLimits);
    }

    Timings withIdentityPow(PowSettings pow) {
        return new Timings(redialBase, redialCap, stableSession, dialTimeout, handshakeTimeout, keepalive,
                duplicateWindow, torRestartBase, torRestartCap, bootstrapTimeout, requestsPerMinuteGlobal,
                requestBurstGlobal, requestsPerMinutePerPeer, requestBurstPerPeer, maxPendingRequests,
                maxPreAuthConnections, reaskBase, reaskCap, requestExpiry, requestEndpointWindow, pow, groupLimits);
    }

    Timings withGroupLimits(GroupLimits.Config limits) {
        return new Timings(redialBase, redialCap, stableSession, dialTimeout, handshakeTimeout, keepalive,
                duplicateWindow, torRestartBase, torRestartCap, bootstrapTimeout, requestsPerMinuteGlobal,
                requestBurstGlobal, requestsPerMinutePerPeer, requestBurstPerPeer, maxPendingRequests,
                maxPreAuthConnections, reaskBase, reaskCap, requestExpiry, requestEndpointWindow, identityPow, limits);
    }
}
