package org.allium.core;

import com.google.protobuf.ByteString;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.allium.contacts.api.MessageId;
import org.allium.protocol.ClientHandshake;
import org.allium.protocol.FrameReader;
import org.allium.protocol.FrameWriter;
import org.allium.protocol.HandshakeDriver;
import org.allium.protocol.HandshakeResult;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.protocol.ProtocolException;
import org.allium.protocol.Scheduler;
import org.allium.protocol.ServerHandshake;
import org.allium.protocol.ServerPolicy;
import org.allium.protocol.proto.Ack;
import org.allium.protocol.proto.ChatMessage;
import org.allium.protocol.proto.Close;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.ContactRequest;
import org.allium.protocol.proto.ContactResponse;
import org.allium.protocol.proto.EndpointGrant;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.KeepAlive;

/**
 * {@link Wire} over the protocol module: its handshake driver, frame codec with hard caps,
 * and Envelope schema. Thread-safe.
 *
 * <p>Request ids: a contact request and its answer are named by the first 16 bytes of the
 * requester's endpoint key (the onion the answer is delivered on), which both sides store
 * anyway; acknowledging that id acknowledges the request (on the identity onion) or the
 * acceptance (on the endpoint).
 */
final class ProtocolWire implements Wire {
    private final Scheduler scheduler;
    private final java.security.SecureRandom random;

    ProtocolWire(ScheduledExecutorService timers, java.security.SecureRandom random) {
        this.scheduler = Scheduler.of(timers);
        this.random = random;
    }

    private static org.allium.protocol.proto.Purpose purpose(Wire.Purpose p) {
        return switch (p) {
            case CONTACT_REQUEST -> org.allium.protocol.proto.Purpose.CONTACT_REQUEST;
            case CONTACT -> org.allium.protocol.proto.Purpose.CONTACT_SESSION;
            case FILE_STREAM -> org.allium.protocol.proto.Purpose.FILE_STREAM;
            case DROP_SUBMISSION -> org.allium.protocol.proto.Purpose.DROP_SUBMISSION;
        };
    }

    private static Wire.Purpose purpose(org.allium.protocol.proto.Purpose p) {
        return switch (p) {
            case CONTACT_REQUEST -> Wire.Purpose.CONTACT_REQUEST;
            case FILE_STREAM -> Wire.Purpose.FILE_STREAM;
            case DROP_SUBMISSION -> Wire.Purpose.DROP_SUBMISSION;
            default -> Wire.Purpose.CONTACT;
        };
    }

    @Override
    public Session connect(Socket socket, IdentityKeyPair me, OnionAddress dialled, OnionAddress expectedPeer,
                           Wire.Purpose purpose, Duration timeout) throws IOException {
        try {
            socket.setTcpNoDelay(true);
            FrameReader r = new FrameReader(new BufferedInputStream(socket.getInputStream()));
            FrameWriter w = new FrameWriter(socket.getOutputStream());
            HandshakeResult res = new HandshakeDriver(scheduler, timeout).run(
                    new ClientHandshake(me, dialled, expectedPeer, purpose(purpose), random), r, w, socket);
            return new ProtocolSession(socket, r, w, res, purpose);
        } catch (IOException e) {
            OnionHost.closeQuietly(socket);
            throw e;
        }
    }

    @Override
    public Session accept(Socket socket, IdentityKeyPair me, OnionAddress myService, java.util.Set<Wire.Purpose> purposes,
                          Duration timeout, Admission admission) throws IOException {
        java.util.Set<org.allium.protocol.proto.Purpose> wanted = java.util.EnumSet.noneOf(org.allium.protocol.proto.Purpose.class);
        for (Wire.Purpose p : purposes) {
            wanted.add(purpose(p));
        }
        ServerPolicy policy = new ServerPolicy() {
            @Override
            public void authorize(org.allium.protocol.proto.Purpose p, OnionAddress client, OnionAddress dialled)
                    throws ProtocolException {
                Frame.CloseReason refused = admission.refuse(client);
                if (refused != null) {
                    throw new ProtocolException(ProtocolSession.code(refused), "not admitted");
                }
            }

            @Override
            public boolean servesOnion(OnionAddress dialled) {
                return dialled.equals(myService);
            }

            @Override
            public void checkPurpose(org.allium.protocol.proto.Purpose p, OnionAddress dialled) throws ProtocolException {
                // An endpoint onion serves its contact's chat session and file streams.
                if (!wanted.contains(p) && !(wanted.contains(org.allium.protocol.proto.Purpose.CONTACT_SESSION)
                        && p == org.allium.protocol.proto.Purpose.FILE_STREAM)) {
                    throw new ProtocolException(CloseCode.PURPOSE_NOT_ACCEPTED, "purpose not served on this onion");
                }
            }
        };
        try {
            socket.setTcpNoDelay(true);
            FrameReader r = new FrameReader(new BufferedInputStream(socket.getInputStream()));
            FrameWriter w = new FrameWriter(socket.getOutputStream());
            HandshakeResult res = new HandshakeDriver(scheduler, timeout).run(
                    new ServerHandshake(me, policy, random), r, w, socket);
            return new ProtocolSession(socket, r, w, res, purpose(res.purpose()));
        } catch (IOException e) {
            OnionHost.closeQuietly(socket);
            throw e;
        }
    }

    static byte[] requestId(OnionAddress requesterEndpoint) {
        return Arrays.copyOf(requesterEndpoint.publicKey(), 16);
    }

    /**
     * One authenticated connection speaking Envelopes. A frame the peer gets wrong (malformed,
     * above the cap, a field outside its limit, a message not allowed here) ends the
     * connection with the {@code Close} code PROTOCOL.md promises, sent from here, so every
     * user of a session keeps that promise; an Envelope of an unknown type is skipped (§3).
     */
    private static final class ProtocolSession implements Session {
        private final Socket socket;
        private final FrameReader reader;
        private final FrameWriter writer;
        private final HandshakeResult result;
        private final Wire.Purpose purpose;
        /** Names the request and its answer: set from the Request seen on a request connection. */
        private volatile byte[] answerId;
        /** {@link System#nanoTime()} when the write in progress started; 0 while none is. */
        private volatile long writingSince;

        ProtocolSession(Socket socket, FrameReader reader, FrameWriter writer, HandshakeResult result,
                        Wire.Purpose purpose) {
            this.socket = socket;
            this.reader = reader;
            this.writer = writer;
            this.result = result;
            this.purpose = purpose;
            // On an endpoint, the acceptance is named after the endpoint it is delivered on; on
            // an identity onion, after the endpoint in the request (set when it passes).
            this.answerId = purpose == Wire.Purpose.CONTACT ? requestId(result.dialled()) : new byte[16];
        }

        @Override
        public OnionAddress peer() {
            return result.peer();
        }

        @Override
        public boolean outbound() {
            return result.weAreClient();
        }

        @Override
        public HandshakeResult handshake() {
            return result;
        }

        @Override
        public void send(Frame frame) throws IOException {
            Envelope e = encode(frame);
            synchronized (writer) {
                writingSince = Math.max(1, System.nanoTime());
                try {
                    writer.write(e);
                } finally {
                    writingSince = 0;
                }
            }
        }

        @Override
        public boolean writeBlockedLongerThan(Duration limit) {
            long since = writingSince;
            return since != 0 && System.nanoTime() - since > limit.toNanos();
        }

        /** Tells the peer why the connection ends (best effort), then closes it. */
        private void refuse(ProtocolException e) {
            if (!(e instanceof org.allium.protocol.PeerClosedException)) {
                try {
                    writer.write(org.allium.protocol.Envelopes.close(e.code(), e.getMessage()));
                } catch (IOException | RuntimeException ignored) {
                    // the connection is going away anyway
                }
            }
            close();
        }

        private Envelope encode(Frame f) {
            if (f instanceof Frame.Group g) {
                return g.envelope();
            }
            Envelope.Builder e = Envelope.newBuilder();
            if (f instanceof Frame.Chat c) {
                // No composed_at_ms (PROTOCOL.md §7.1): it would give away our clock's skew and
                // when a message was typed offline; the receiver shows its own receive time.
                e.setChatMessage(ChatMessage.newBuilder().setId(ByteString.copyFrom(c.id().toBytes()))
                        .setSequence(c.seq()).setText(c.text()));
            } else if (f instanceof Frame.Ack a) {
                Ack.Builder b = Ack.newBuilder();
                for (MessageId id : a.ids()) {
                    b.addIds(ByteString.copyFrom(id.toBytes()));
                }
                e.setAck(b);
            } else if (f instanceof Frame.Ping) {
                e.setKeepAlive(KeepAlive.getDefaultInstance());
            } else if (f instanceof Frame.Request r) {
                answerId = requestId(r.endpoint());
                e.setContactRequest(ContactRequest.newBuilder()
                        .setRequestId(ByteString.copyFrom(requestId(r.endpoint())))
                        .setNickname(r.nickname()).setText(r.text())
                        .setEndpoint(grant(r.endpoint(), r.clientAuthPrivate())));
            } else if (f instanceof Frame.RequestAck || f instanceof Frame.AcceptAck) {
                e.setAck(Ack.newBuilder().addIds(ByteString.copyFrom(answerId)));
            } else if (f instanceof Frame.Accept a) {
                e.setContactResponse(ContactResponse.newBuilder().setRequestId(ByteString.copyFrom(answerId))
                        .setAccepted(true).setEndpoint(grant(a.endpoint(), a.clientAuthPrivate())));
            } else if (f instanceof Frame.File x) {
                return x.envelope();
            } else if (f instanceof Frame.Drop d) {
                return d.envelope();
            } else if (f instanceof Frame.Close c) {
                e.setClose(Close.newBuilder().setCode(code(c.reason())));
            } else {
                throw new IllegalArgumentException("cannot encode " + f);
            }
            return e.build();
        }

        private static EndpointGrant grant(OnionAddress endpoint, byte[] key) {
            return EndpointGrant.newBuilder().setEndpointId(ByteString.copyFrom(endpoint.publicKey()))
                    .setClientAuthKey(ByteString.copyFrom(key)).build();
        }

        static CloseCode code(Frame.CloseReason r) {
            return switch (r) {
                case NORMAL -> CloseCode.NORMAL;
                case DUPLICATE -> CloseCode.DUPLICATE_CONNECTION;
                case SHUTDOWN -> CloseCode.SHUTTING_DOWN;
                case PROTOCOL_ERROR -> CloseCode.PROTOCOL_ERROR;
                case BUSY -> CloseCode.RATE_LIMITED;
                case NOT_AUTHORIZED -> CloseCode.NOT_AUTHORIZED;
            };
        }

        @Override
        public Frame receive() throws IOException {
            try {
                while (true) {
                    Envelope e = reader.read();
                    if (e == null) {
                        throw new EOFException("peer closed the connection");
                    }
                    if (org.allium.protocol.Envelopes.isUnknownType(e)) {
                        continue; // PROTOCOL.md §3: after authentication an unknown message type is ignored
                    }
                    try {
                        return decode(e);
                    } catch (IllegalArgumentException ex) {
                        throw new ProtocolException(CloseCode.PROTOCOL_ERROR, "invalid field: " + ex.getMessage());
                    }
                }
            } catch (ProtocolException e) {
                refuse(e);
                throw e;
            }
        }

        private Frame decode(Envelope e) throws ProtocolException {
            if (purpose == Wire.Purpose.DROP_SUBMISSION) {
                return new Frame.Drop(e); // the drop line answers anything unexpected itself
            }
            switch (e.getBodyCase()) {
                case HELLO, CHALLENGE, AUTH, AUTH_OK:
                    // PROTOCOL.md §6.6: a handshake message after completion.
                    throw new ProtocolException(CloseCode.UNEXPECTED_MESSAGE, e.getBodyCase() + " after the handshake");
                case CHAT_MESSAGE: {
                    ChatMessage c = e.getChatMessage();
                    return new Frame.Chat(MessageId.fromBytes(c.getId().toByteArray()), c.getSequence(),
                            Instant.ofEpochMilli(c.getComposedAtMs()), c.getText());
                }
                case ACK: {
                    List<MessageId> ids = new ArrayList<>();
                    for (ByteString b : e.getAck().getIdsList()) {
                        if (purpose == Wire.Purpose.CONTACT_REQUEST) {
                            // The client hears its request acknowledged; the server, its answer.
                            return result.weAreClient() ? new Frame.RequestAck() : new Frame.AcceptAck();
                        }
                        if (Arrays.equals(b.toByteArray(), answerId)) {
                            return new Frame.AcceptAck();
                        }
                        ids.add(MessageId.fromBytes(b.toByteArray()));
                    }
                    return new Frame.Ack(ids);
                }
                case KEEP_ALIVE:
                    return new Frame.Ping();
                case CONTACT_REQUEST: {
                    if (purpose != Wire.Purpose.CONTACT_REQUEST) {
                        throw new ProtocolException(CloseCode.UNEXPECTED_MESSAGE, "a contact request on a contact session");
                    }
                    ContactRequest r = e.getContactRequest();
                    answerId = r.getRequestId().toByteArray();
                    return new Frame.Request(r.getNickname(), r.getText(),
                            OnionAddress.fromPublicKey(r.getEndpoint().getEndpointId().toByteArray()),
                            r.getEndpoint().getClientAuthKey().toByteArray());
                }
                case CONTACT_RESPONSE: {
                    ContactResponse r = e.getContactResponse();
                    if (!r.getAccepted()) {
                        return new Frame.Decline();
                    }
                    return new Frame.Accept(OnionAddress.fromPublicKey(r.getEndpoint().getEndpointId().toByteArray()),
                            r.getEndpoint().getClientAuthKey().toByteArray());
                }
                case CLOSE:
                    return new Frame.Close(Frame.CloseReason.NORMAL);
                case FILE_OFFER: case FILE_ACCEPT: case FILE_DECLINE: case FILE_RESUME: case FILE_HASHES:
                case FILE_CHUNK: case FILE_PROGRESS: case FILE_DONE: case FILE_ABORT:
                    return new Frame.File(e);
                case GROUP_INVITATION:
                case GROUP_MESSAGE:
                case GROUP_SUMMARY:
                case DROP_SYNC:
                case DROP_SYNC_ACK:
                    return new Frame.Group(e);
                default:
                    return new Frame.Other();
            }
        }

        @Override
        public boolean inputPending() throws IOException {
            return reader.hasBufferedInput();
        }

        @Override
        public void setReadTimeout(Duration timeout) throws SocketException {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        }

        @Override
        public void close() {
            OnionHost.closeQuietly(socket);
        }

        @Override
        public boolean isClosed() {
            return socket.isClosed();
        }
    }
}
