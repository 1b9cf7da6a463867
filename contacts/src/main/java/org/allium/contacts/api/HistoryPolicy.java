package org.allium.contacts.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a conversation's messages are kept. Whatever the policy, an outgoing message
 * is kept until it is delivered or failed (it must be resent until then), and an
 * incoming message leaves a content-free tombstone (its id) so a resend is not shown twice.
 *
 * <ul>
 *   <li>{@link Keep}: kept until the user deletes them (the default for new conversations,
 *       see the README).</li>
 *   <li>{@link DontKeep}: kept for the session only — expunged when the profile is next
 *       closed or opened.</li>
 *   <li>{@link DisappearAfter}: expunged once older than the duration, counted from when the
 *       message entered this store (composed here, or received here).</li>
 * </ul>
 */
public sealed interface HistoryPolicy {
    /** Keep everything. */
    HistoryPolicy KEEP = new Keep();
    /** Keep only for the current session. */
    HistoryPolicy DONT_KEEP = new DontKeep();

    /** Disappear after {@code duration} (at least one second, at most ten years). */
    static HistoryPolicy disappearAfter(Duration duration) {
        return new DisappearAfter(duration);
    }

    /** The stable text form used in settings: {@code KEEP}, {@code DONT_KEEP}, {@code DISAPPEAR_AFTER:<ISO-8601 duration>}. */
    String encode();

    /**
     * Parses {@link #encode()}'s form.
     *
     * @throws IllegalArgumentException if it is not one
     */
    static HistoryPolicy decode(String text) {
        Objects.requireNonNull(text, "text");
        if (text.equals("KEEP")) {
            return KEEP;
        }
        if (text.equals("DONT_KEEP")) {
            return DONT_KEEP;
        }
        if (text.startsWith("DISAPPEAR_AFTER:")) {
            try {
                return disappearAfter(Duration.parse(text.substring("DISAPPEAR_AFTER:".length())));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("bad history policy duration");
            }
        }
        throw new IllegalArgumentException("unknown history policy");
    }

    /** Keep until deleted. */
    record Keep() implements HistoryPolicy {
        @Override
        public String encode() {
            return "KEEP";
        }
    }

    /** Keep for the session only. */
    record DontKeep() implements HistoryPolicy {
        @Override
        public String encode() {
            return "DONT_KEEP";
        }
    }

    /** Expunge messages older than {@code duration}. */
    record DisappearAfter(Duration duration) implements HistoryPolicy {
        private static final Duration MAX = Duration.ofDays(3653);

        public DisappearAfter {
            Objects.requireNonNull(duration, "duration");
            if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(MAX) > 0) {
                throw new IllegalArgumentException("disappearing time must be between 1 s and 10 years");
            }
        }

        @Override
        public String encode() {
            return "DISAPPEAR_AFTER:" + duration;
        }
    }
}
