package org.allium.protocol;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.Envelope;

/**
 * Runs a {@link Handshake} over a blocking stream, with a timeout on every step (every
 * wait for the peer). On any failure it sends {@code Close} with the reason (if the
 * stream still works), closes the connection and throws. On success it raises the
 * reader's cap to {@link Limits#MAX_FRAME_POST_AUTH} and leaves the connection open.
 *
 * <p>Besides each step's timeout, one deadline bounds the whole handshake, so a peer that
 * answers every step just in time cannot hold the connection for steps × the step timeout.
 * A timeout is enforced by sending {@code Close(TIMEOUT)} and closing the connection
 * from the {@link Scheduler}'s thread, which unblocks the read. Thread-safe (stateless
 * between calls); {@link #run} blocks the calling thread.
 */
public final class HandshakeDriver {
    private static final Logger LOG = Logger.getLogger(HandshakeDriver.class.getName());

    private final Scheduler scheduler;
    private final Duration stepTimeout;
    private final Duration deadline;

    /**
     * @param stepTimeout how long each wait for the peer's next message may take
     * @param deadline how long the whole handshake may take, however the peer paces its steps
     */
    public HandshakeDriver(Scheduler scheduler, Duration stepTimeout, Duration deadline) {
        this.scheduler = Objects.requireNonNull(scheduler);
        this.stepTimeout = Objects.requireNonNull(stepTimeout);
        this.deadline = Objects.requireNonNull(deadline);
    }

    /** A driver with {@link Limits#HANDSHAKE_STEP_TIMEOUT} per step and {@code deadline} for the whole handshake. */
    public HandshakeDriver(Scheduler scheduler, Duration deadline) {
        this(scheduler, Limits.HANDSHAKE_STEP_TIMEOUT.compareTo(deadline) < 0 ? Limits.HANDSHAKE_STEP_TIMEOUT : deadline,
                deadline);
    }

    /** A driver with {@link Limits#HANDSHAKE_STEP_TIMEOUT} and {@link Limits#HANDSHAKE_DEADLINE}. */
    public HandshakeDriver(Scheduler scheduler) {
        this(scheduler, Limits.HANDSHAKE_STEP_TIMEOUT, Limits.HANDSHAKE_DEADLINE);
    }

    /**
     * Runs the handshake to completion.
     *
     * @param connection closed on failure (and on timeout, to unblock the read)
     * @throws PeerClosedException if the peer sent Close
     * @throws ProtocolException if the handshake failed here (Close was sent), including
     *     {@link CloseCode#TIMEOUT}
     * @throws IOException if the stream failed
     */
    public HandshakeResult run(Handshake handshake, FrameReader reader, FrameWriter writer, Closeable connection)
            throws IOException {
        reader.setMaxFrameLength(Limits.MAX_FRAME_PRE_AUTH);
        AtomicBoolean timedOut = new AtomicBoolean();
        Runnable expire = () -> {
            if (timedOut.compareAndSet(false, true)) {
                sendCloseQuietly(writer, CloseCode.TIMEOUT, "handshake timed out");
                closeQuietly(connection);
            }
        };
        Scheduler.Cancellable whole = scheduler.schedule(deadline, expire);
        try {
            Envelope first = handshake.start();
            if (first != null) {
                writer.write(first);
            }
            while (!handshake.isComplete()) {
                Scheduler.Cancellable timer = scheduler.schedule(stepTimeout, expire);
                Envelope in;
                try {
                    in = reader.read();
                } catch (IOException e) {
                    if (timedOut.get()) {
                        throw new ProtocolException(CloseCode.TIMEOUT, "handshake timed out", e);
                    }
                    throw e;
                } finally {
                    timer.cancel();
                }
                if (timedOut.get()) {
                    throw new ProtocolException(CloseCode.TIMEOUT, "handshake timed out");
                }
                if (in == null) {
                    throw new FormatException("stream ended during the handshake");
                }
                Envelope reply = handshake.onMessage(in);
                if (reply != null) {
                    writer.write(reply);
                }
            }
            whole.cancel();
            if (timedOut.get()) {
                throw new ProtocolException(CloseCode.TIMEOUT, "handshake timed out");
            }
            reader.setMaxFrameLength(Limits.MAX_FRAME_POST_AUTH);
            return handshake.result();
        } catch (PeerClosedException e) {
            whole.cancel();
            closeQuietly(connection);
            throw e;
        } catch (ProtocolException e) {
            whole.cancel();
            if (!timedOut.get()) {
                sendCloseQuietly(writer, e.code(), e.getMessage());
            }
            closeQuietly(connection);
            throw e;
        } catch (IOException | RuntimeException e) {
            whole.cancel();
            closeQuietly(connection);
            if (timedOut.get() && e instanceof IOException) {
                throw new ProtocolException(CloseCode.TIMEOUT, "handshake timed out", e);
            }
            throw e;
        }
    }

    static void sendCloseQuietly(FrameWriter writer, CloseCode code, String text) {
        try {
            writer.write(Envelopes.close(code, text));
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not send Close", e);
        }
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "close failed", e);
        }
    }
}
