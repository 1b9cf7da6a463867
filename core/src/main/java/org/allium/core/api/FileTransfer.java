package org.allium.core.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of one file transfer, sent or received. Immutable; {@link #toString()} shows no
 * file name. The name is the peer's (incoming): show it as plain text, never use it as a path.
 *
 * @param id           the offer's id, also the conversation item's {@link Message#id()}
 * @param contact      the peer
 * @param direction    OUTGOING: we send; INCOMING: we receive
 * @param name         the file name as offered
 * @param size         bytes
 * @param state        where it stands
 * @param bytesDone    verified bytes (incoming) or bytes confirmed by the receiver (outgoing)
 * @param bytesPerSecond recent rate while data flows, else 0
 * @param reason       why it failed or paused, a sentence for the user; null otherwise
 * @param offered      when the offer was stored here
 * @param originalGone the sender's original file is gone or changed, so this transfer cannot
 *                     (or could not) complete: outgoing, the file is no longer at the path it
 *                     was offered from; either side, the transfer failed because of that
 */
public record FileTransfer(MessageId id, ContactId contact, Direction direction, String name, long size,
        State state, long bytesDone, long bytesPerSecond, String reason, Instant offered, boolean originalGone) {
    public FileTransfer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(offered, "offered");
    }

    /** A transfer whose original is (as far as we know) still there. */
    public FileTransfer(MessageId id, ContactId contact, Direction direction, String name, long size, State state,
            long bytesDone, long bytesPerSecond, String reason, Instant offered) {
        this(id, contact, direction, name, size, state, bytesDone, bytesPerSecond, reason, offered, false);
    }

    /** Seconds left at the current rate, or -1 if unknown. */
    public long secondsLeft() {
        return bytesPerSecond <= 0 ? -1 : (size - bytesDone + bytesPerSecond - 1) / bytesPerSecond;
    }

    /** Where a transfer stands. */
    public enum State {
        /** Waiting for the receiver to accept (or for the offer to be delivered). */
        OFFERED,
        /** Accepted; data flows whenever both are online. */
        ACTIVE,
        /** Held by the user or by a full disk until resumed. */
        PAUSED,
        /** Done and verified. */
        COMPLETE,
        DECLINED,
        CANCELLED,
        FAILED;

        public boolean isFinal() {
            return this == COMPLETE || this == DECLINED || this == CANCELLED || this == FAILED;
        }
    }

    @Override
    public String toString() {
        return "FileTransfer[" + id + ", contact " + contact + ", " + direction + ", " + state + ", " + bytesDone + "/"
                + size + (originalGone ? ", original gone" : "") + "]";
    }
}
