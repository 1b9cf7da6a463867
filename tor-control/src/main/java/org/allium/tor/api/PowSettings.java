package org.allium.tor.api;

/**
 * Tor's onion-service proof-of-work defence ({@code PoWDefensesEnabled=1
 * PoWQueueRate=N PoWQueueBurst=N}, tor ≥ 0.4.9.2). With a tor that does not know these
 * options the service is published without them (and {@link PublishedOnion#powEnabled()}
 * says so).
 *
 * @param queueRate  introduction requests per second the queue drains at (&gt; 0)
 * @param queueBurst queue burst size (≥ queueRate)
 */
public record PowSettings(int queueRate, int queueBurst) {
    /** Tor's own defaults. */
    public static final PowSettings DEFAULT = new PowSettings(250, 2500);

    public PowSettings {
        if (queueRate < 1) throw new IllegalArgumentException("queueRate must be positive");
        if (queueBurst < queueRate) throw new IllegalArgumentException("queueBurst must be >= queueRate");
    }
}
