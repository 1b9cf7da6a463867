package org.allium.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.allium.contacts.api.MessageId;
import org.allium.protocol.OnionAddress;

/**
 * What core says over an authenticated session, independent of the wire encoding (the
 * protocol module's envelopes). {@code toString()} of every frame is free of secrets.
 */
sealed interface Frame {

    /**
     * Sent by the requester on the other side's identity onion.
     *
     * @param endpoint          the endpoint onion the requester runs for the addressee
     * @param clientAuthPrivate the x25519 private key that lets the addressee reach it (32 bytes)
     */
    record Request(String nickname, String text, OnionAddress endpoint, byte[] clientAuthPrivate)
            implements Frame {
        public Request {
            Objects.requireNonNull(nickname, "nickname");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(clientAuthPrivate, "clientAuthPrivate");
        }

        @Override
        public String toString() {
            return "Request";
        }
    }

    /** The addressee stored the request. */
    record RequestAck() implements Frame {
    }

    /**
     * Sent by the acceptor, first thing on the requester's endpoint: the acceptor's own
     * endpoint for the requester and the credential for it.
     */
    record Accept(OnionAddress endpoint, byte[] clientAuthPrivate) implements Frame {
        public Accept {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(clientAuthPrivate, "clientAuthPrivate");
        }

        @Override
        public String toString() {
            return "Accept";
        }
    }

    /**
     * The addressee declined our request (PROTOCOL.md §8: {@code ContactResponse{accepted: false}}).
     * Acknowledged like an acceptance, so the peer stops resending it.
     */
    record Decline() implements Frame {
    }

    /** The requester stored the acceptance. */
    record AcceptAck() implements Frame {
    }

    /** One message. */
    record Chat(MessageId id, long seq, Instant composed, String text) implements Frame {
        public Chat {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(composed, "composed");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return "Chat[seq=" + seq + "]";
        }
    }

    /** The receiver committed these messages. */
    record Ack(List<MessageId> ids) implements Frame {
        public Ack {
            ids = List.copyOf(ids);
        }
    }

    /** Keepalive: each side sends one per interval; 3 intervals without input end the session. */
    record Ping() implements Frame {
    }

    /**
     * A file-transfer message (PROTOCOL.md §9), passed through as the protocol's Envelope to
     * the file engine ({@code core.files}).
     */
    record File(org.allium.protocol.proto.Envelope envelope) implements Frame {
        public File {
            Objects.requireNonNull(envelope, "envelope");
        }

        @Override
        public String toString() {
            return "File[" + envelope.getBodyCase() + "]";
        }
    }

    /**
     * A message of a session hook, handled as it came: private groups (PROTOCOL.md §12) and
     * the drop line's operator sync (§13.4); see {@link SessionHooks}.
     */
    record Group(org.allium.protocol.proto.Envelope envelope) implements Frame {
        public Group {
            Objects.requireNonNull(envelope, "envelope");
        }

        @Override
        public String toString() {
            return "Group";
        }
    }

    /**
     * A frame of a drop-line connection (PROTOCOL.md §13), as the protocol's Envelope: the
     * drop line (org.allium.core.dropline) speaks it directly.
     */
    record Drop(org.allium.protocol.proto.Envelope envelope) implements Frame {
        public Drop {
            Objects.requireNonNull(envelope, "envelope");
        }

        @Override
        public String toString() {
            return "Drop[" + envelope.getBodyCase() + "]";
        }
    }

    /** Something this version does not handle; ignored. */
    record Other() implements Frame {
    }

    /** The sender closes the session; no reply. */
    record Close(CloseReason reason) implements Frame {
        public Close {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a session ends. */
    enum CloseReason {
        NORMAL,
        DUPLICATE,
        SHUTDOWN,
        PROTOCOL_ERROR,
        BUSY,
        NOT_AUTHORIZED
    }
}
