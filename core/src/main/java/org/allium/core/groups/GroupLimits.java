package org.allium.core.groups;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.allium.core.RateLimiter;
import org.allium.protocol.proto.GroupMessage;

/**
 * What a member stores of a group per unit of time, whoever pushes it (PROTOCOL.md §12.4,
 * "Rate limits"): a member flooding the group is slowed down for everyone, at every member,
 * whatever its own client does. Three token buckets (the messenger's {@link RateLimiter}):
 * <ul>
 *   <li>per author and group, for <em>fresh</em> messages (composed within {@link Config#fresh}
 *       of our clock, or ahead of it): a burst, then a steady rate — a flood from one member;</li>
 *   <li>per group, fresh messages of all authors together — many members (or keys an admin
 *       added) at once;</li>
 *   <li>per peer (contact) and group, every message from that peer's sessions that is its
 *       author's next (whose signature we check), fresh or old, valid or not — what one
 *       connection may make us verify and store (its burst holds a catch-up).</li>
 * </ul>
 * The author and group buckets take a token only for a message that passed validation and
 * would be stored; the peer's is taken before validation (a held message or a gap costs no
 * signature check and takes none). One over a limit is
 * not stored, not counted as held in our summary (so not acknowledged), never shown: like a gap
 * it comes again, which we ask for ({@link #later}) once the buckets have refilled — the peer
 * then sends again what our summary lacks (the summary's {@code resend}). An honest author's
 * burst thus arrives complete and once, later; a hostile member's excess is refused each time.
 * Thread-safe.
 */
public final class GroupLimits {
    /**
     * The limits.
     *
     * @param authorBurst     fresh messages one author may have taken at once, per group
     * @param authorPerMinute and then per minute
     * @param groupBurst      fresh messages of all authors together at once, per group
     * @param groupPerMinute  and then per minute
     * @param peerBurst       messages (any age) checked from one contact at once, per group
     * @param peerPerMinute   and then per minute
     * @param fresh           how old (composed time, our clock) a message may be and still count as fresh
     */
    public record Config(double authorBurst, double authorPerMinute, double groupBurst, double groupPerMinute,
                         double peerBurst, double peerPerMinute, Duration fresh) {
        /**
         * What no person typing reaches: 100 at once then one a second per author, 300 at
         * once then five a second per group, 2,000 at once (a long catch-up) then 20 a second
         * per peer; fresh = composed within 10 minutes.
         */
        public static final Config DEFAULTS = new Config(100, 60, 300, 300, 2000, 1200, Duration.ofMinutes(10));

        public Config {
            if (authorBurst < 1 || authorPerMinute <= 0 || groupBurst < 1 || groupPerMinute <= 0 || peerBurst < 1
                    || peerPerMinute <= 0 || fresh.isNegative()) {
                throw new IllegalArgumentException("group limits must be positive");
            }
        }
    }

    /**
     * Invitations from one contact not answered yet that we keep: more are not stored (the
     * inviter offers them again on a later session), so a contact cannot fill the profile's
     * 1,000 groups with invitations and crowd out everyone else's.
     */
    static final int OPEN_INVITATIONS_PER_CONTACT = 10;
    /** Authors (and peers) remembered per group: more than a group's members (receivers take ≤ 150). */
    private static final int KEYS = 256;
    private static final Duration MIN_WAIT = Duration.ofSeconds(1);
    /**
     * The sending side's pace for a peer's {@code resend} (and any other rewind) per peer and
     * group: one at most this often, those asked sooner carried out together when the time has
     * come. As short as an honest receiver asks again ({@link #later}: never sooner than
     * {@link #MIN_WAIT}), so an honest re-ask is never delayed by it; a peer asking on every
     * frame gets the group re-sent at most once this often, not once per ask.
     */
    static final Duration REWIND_SPACING = MIN_WAIT;
    private static final Duration MAX_WAIT = Duration.ofMinutes(2);

    private final Config config;
    private final LongSupplier nanos;
    private final Map<ByteString, Buckets> groups = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    /** Contact and group of every ask again that is scheduled: at most one each. */
    private final Set<String> asking = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "allium-core-group-limits");
        t.setDaemon(true);
        return t;
    });

    private final class Buckets {
        /** Keys: authors; global: the whole group. Fresh messages only. */
        final RateLimiter authors = new RateLimiter(config.groupPerMinute(), config.groupBurst(),
                config.authorPerMinute(), config.authorBurst(), KEYS, nanos);
        /** Keys: contacts; no global bucket. */
        final RateLimiter peers = new RateLimiter(Double.MAX_VALUE, Double.MAX_VALUE, config.peerPerMinute(),
                config.peerBurst(), KEYS, nanos);
    }

    public GroupLimits(Config config, LongSupplier nanos) {
        this.config = config;
        this.nanos = nanos;
    }

    /**
     * Takes the peer's token for checking a message from {@code contact} in {@code group} that
     * is its author's next (whose signature we would verify; one that is held or a gap costs
     * nothing and takes none). Returns null if it may be checked, else how long to wait before
     * asking the peer for it again: the time the bucket takes to refill a quarter of its burst,
     * within 1 s .. 2 min.
     */
    Duration admitPeer(ByteString group, long contact) {
        Buckets b = groups.computeIfAbsent(group, g -> new Buckets());
        return refusedIf(!b.peers.tryKey(Long.toString(contact)), config.peerBurst(), config.peerPerMinute());
    }

    /**
     * Takes the author's and the group's tokens for storing {@code m} (valid, its author's next)
     * if it is fresh. Returns null if it may be stored, else how long to wait as above.
     */
    Duration admitFresh(ByteString group, GroupMessage m, long nowMs) {
        if (m.getComposedAtMs() < nowMs - config.fresh().toMillis()) {
            return null;
        }
        Buckets b = groups.computeIfAbsent(group, g -> new Buckets());
        if (!b.authors.tryKey(HexFormat.of().formatHex(m.getAuthor().toByteArray()))) {
            return refusedIf(true, config.authorBurst(), config.authorPerMinute());
        }
        return refusedIf(!b.authors.tryGlobal(), config.groupBurst(), config.groupPerMinute());
    }

    /** Both in order, for a message from {@code contact} that is its author's next. */
    Duration admit(ByteString group, long contact, GroupMessage m, long nowMs) {
        Duration wait = admitPeer(group, contact);
        return wait != null ? wait : admitFresh(group, m, nowMs);
    }

    private Duration refusedIf(boolean refuse, double burst, double perMinute) {
        if (!refuse) {
            return null;
        }
        refused.incrementAndGet();
        return refill(burst, perMinute);
    }

    /** Whether a new invitation from a contact with {@code open} unanswered ones is kept; counted if not. */
    boolean admitInvitation(int open) {
        if (open < OPEN_INVITATIONS_PER_CONTACT) {
            return true;
        }
        refused.incrementAndGet();
        return false;
    }

    private static Duration refill(double burst, double perMinute) {
        long ms = (long) Math.ceil(Math.max(1, burst / 4) / perMinute * 60_000);
        return Duration.ofMillis(Math.max(MIN_WAIT.toMillis(), Math.min(MAX_WAIT.toMillis(), ms)));
    }

    /**
     * Runs {@code askAgain} (sending the peer our summary with {@code resend}) after {@code wait},
     * unless one is already scheduled for this contact and group. Never blocks.
     */
    void later(long contact, ByteString group, Duration wait, Runnable askAgain) {
        String key = contact + "/" + HexFormat.of().formatHex(group.toByteArray());
        if (!asking.add(key)) {
            return;
        }
        try {
            timer.schedule(() -> {
                asking.remove(key);
                askAgain.run();
            }, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            asking.remove(key);
        }
    }

    /** Runs {@code task} on the limits' timer after {@code wait}; nothing once stopped. Never blocks. */
    void after(Duration wait, Runnable task) {
        try {
            timer.schedule(task, wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            // stopping: sessions end, and the next one starts from the peer's summary
        }
    }

    /** Messages and invitations refused by a limit so far (each time one is offered and refused). */
    long refused() {
        return refused.get();
    }

    void stop() {
        timer.shutdownNow();
    }
}
