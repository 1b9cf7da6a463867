package org.allium.core.dropline;

import com.google.protobuf.ByteString;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.allium.protocol.ClientHandshake;
import org.allium.protocol.FrameReader;
import org.allium.protocol.FrameWriter;
import org.allium.protocol.HandshakeDriver;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.protocol.ProtocolException;
import org.allium.protocol.Scheduler;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.DropCase;
import org.allium.protocol.proto.DropCheckIn;
import org.allium.protocol.proto.DropRefusal;
import org.allium.protocol.proto.DropSubmission;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.Purpose;

/**
 * The source's side of a drop line (PROTOCOL.md §13.1): dials the drop line, proves the
 * codename's key, sends one submission or check-in and reads the answer. Holds no state
 * between calls; each call dials afresh. Thread-safe.
 */
public final class DropSource {
    /** The virtual port of every Allium onion (the engine's OnionHost.VIRTUAL_PORT). */
    public static final int VIRTUAL_PORT = 7878;

    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "allium-drop-source-timers");
        t.setDaemon(true);
        return t;
    });

    /** Opens a connection to an onion; every call must use a fresh stream isolation. */
    @FunctionalInterface
    public interface Dialer {
        Socket dial(OnionAddress onion) throws IOException, InterruptedException;
    }

    /** What the source sees of its case. */
    public enum Status { RECEIVED, READ, REPLIED, CLOSED }

    /** Why a submission was not stored; each has a fixed text for people. */
    public enum Refusal {
        SOURCE_QUOTA("The drop line has received too much from you for now. Try again later."),
        LINE_FULL("The drop line takes no new submissions at the moment. Try again later.");

        private final String text;

        Refusal(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One reply of the organisation (plain text; never render it as markup). */
    public record Reply(byte[] id, Instant composed, String text) {
        @Override
        public String toString() {
            return "Reply[" + composed + "]";
        }
    }

    /**
     * The drop line's answer.
     *
     * @param stored whether the submission was acknowledged (false for a check-in)
     * @param refusal why it was refused, or null
     */
    public record Answer(boolean stored, Refusal refusal, Status status, String acknowledgement, List<Reply> replies) {
        public Answer {
            replies = List.copyOf(replies);
        }
    }

    private final Dialer dialer;
    private final SecureRandom random;
    private final Duration stepTimeout;

    public DropSource(Dialer dialer, SecureRandom random, Duration stepTimeout) {
        this.dialer = dialer;
        this.random = random;
        this.stepTimeout = stepTimeout;
    }

    /** A fresh 16-byte submission id; a retry of the same submission reuses it. */
    public byte[] newId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return id;
    }

    /**
     * Sends one submission (1..32768 UTF-8 bytes) of the source {@code key} to
     * {@code dropLine}; a resend with the same {@code id} is stored once.
     */
    public Answer submit(OnionAddress dropLine, IdentityKeyPair key, byte[] id, String text)
            throws IOException, InterruptedException {
        Envelope m = Envelope.newBuilder().setDropSubmission(DropSubmission.newBuilder()
                .setId(ByteString.copyFrom(id)).setComposedAtMs(System.currentTimeMillis()).setText(text)).build();
        return exchange(dropLine, key, m, id);
    }

    /** Asks for the case's status and replies. */
    public Answer checkIn(OnionAddress dropLine, IdentityKeyPair key) throws IOException, InterruptedException {
        return exchange(dropLine, key, Envelope.newBuilder().setDropCheckIn(DropCheckIn.getDefaultInstance()).build(), null);
    }

    private Answer exchange(OnionAddress dropLine, IdentityKeyPair key, Envelope message, byte[] id)
            throws IOException, InterruptedException {
        Socket socket = dialer.dial(dropLine);
        try {
            socket.setTcpNoDelay(true);
            FrameReader r = new FrameReader(new BufferedInputStream(socket.getInputStream()));
            FrameWriter w = new FrameWriter(socket.getOutputStream());
            new HandshakeDriver(Scheduler.of(TIMERS), stepTimeout).run(
                    new ClientHandshake(key, dropLine, dropLine, Purpose.DROP_SUBMISSION, random), r, w, socket);
            w.write(message);
            socket.setSoTimeout((int) stepTimeout.toMillis());
            Envelope in = next(r);
            boolean stored = false;
            if (in.hasAck()) {
                if (id == null || in.getAck().getIdsCount() != 1
                        || !java.util.Arrays.equals(in.getAck().getIds(0).toByteArray(), id)) {
                    throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "the drop line acknowledged something else");
                }
                stored = true;
                in = next(r);
            }
            if (!in.hasDropCase()) {
                throw new ProtocolException(CloseCode.UNEXPECTED_MESSAGE, "the drop line did not answer with its case");
            }
            DropCase c = in.getDropCase();
            Refusal refusal = switch (c.getRefusal()) {
                case DROP_SOURCE_QUOTA -> Refusal.SOURCE_QUOTA;
                case DROP_LINE_FULL -> Refusal.LINE_FULL;
                default -> null;
            };
            if (id != null && !stored && refusal == null) {
                throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "the drop line neither stored nor refused the submission");
            }
            List<Reply> replies = new ArrayList<>();
            for (int i = 0; i < c.getReplyCount(); i++) {
                Envelope e = next(r);
                if (!e.hasDropReply()) {
                    throw new ProtocolException(CloseCode.UNEXPECTED_MESSAGE, "a reply was announced but not sent");
                }
                replies.add(new Reply(e.getDropReply().getId().toByteArray(),
                        Instant.ofEpochMilli(e.getDropReply().getComposedAtMs()), e.getDropReply().getText()));
            }
            Status status = switch (c.getState()) {
                case DROP_READ -> Status.READ;
                case DROP_REPLIED -> Status.REPLIED;
                case DROP_CLOSED -> Status.CLOSED;
                default -> Status.RECEIVED;
            };
            return new Answer(stored, refusal, status, c.getAcknowledgement(), replies);
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // closing is best effort
            }
        }
    }

    private static Envelope next(FrameReader r) throws IOException {
        Envelope e = r.read();
        if (e == null) {
            throw new java.io.EOFException("the drop line closed the connection early");
        }
        if (e.hasClose()) {
            throw new ProtocolException(CloseCode.UNEXPECTED_MESSAGE,
                    "the drop line closed the connection (" + e.getClose().getCode() + ")");
        }
        return e;
    }
}
