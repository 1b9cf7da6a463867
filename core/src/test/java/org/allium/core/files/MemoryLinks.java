package org.allium.core.files;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.allium.contacts.api.ContactId;
import org.allium.protocol.proto.Envelope;

/**
 * One side's {@link FileLinks} for engine tests without tor: the peer engine is served
 * in-process over in-memory streams, and session messages are handed to it directly.
 */
final class MemoryLinks implements FileLinks {
    /** Returned by a filter: cut the stream here. */
    static final Envelope CUT = Envelope.newBuilder().build();

    private final Supplier<FileEngine> peer;
    private final Supplier<ContactId> meAtPeer;
    private final ExecutorService io;
    private final Supplier<UnaryOperator<Envelope>> toDialler;
    private final AtomicInteger chunksToDialler;

    /**
     * @param toDialler       applied to every message the peer serves to us (a copy); null drops it,
     *                        {@link #CUT} cuts the stream
     * @param chunksToDialler counts the chunks the peer serves to us (may be null)
     */
    MemoryLinks(Supplier<FileEngine> peer, Supplier<ContactId> meAtPeer, ExecutorService io,
            Supplier<UnaryOperator<Envelope>> toDialler, AtomicInteger chunksToDialler) {
        this.peer = peer;
        this.meAtPeer = meAtPeer;
        this.io = io;
        this.toDialler = toDialler;
        this.chunksToDialler = chunksToDialler;
    }

    @Override
    public boolean isOnline(ContactId contact) {
        return true;
    }

    @Override
    public FileLink dial(ContactId contact) {
        Pipe toServer = new Pipe();
        Pipe toClient = new Pipe();
        Mem client = new Mem(toServer, toClient, UnaryOperator.identity(), null);
        Mem server = new Mem(toClient, toServer, e -> toDialler.get().apply(e), chunksToDialler);
        io.execute(() -> peer.get().serve(meAtPeer.get(), server));
        return client;
    }

    @Override
    public boolean sendOnSession(ContactId contact, Envelope message) {
        io.execute(() -> {
            try {
                peer.get().onSessionMessage(meAtPeer.get(), message);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return true;
    }

    private static final class Pipe {
        final BlockingQueue<Object> q = new LinkedBlockingQueue<>();
    }

    private static final Object CLOSED = new Object();

    /** One end of an in-memory stream. */
    private static final class Mem implements FileLink {
        final Pipe out;
        final Pipe in;
        final UnaryOperator<Envelope> filter;
        final AtomicInteger chunks;
        volatile boolean closed;
        /** As a socket's: what the engine set (the streams' 120 s), 5 s until then. */
        volatile Duration readTimeout = Duration.ofSeconds(5);

        Mem(Pipe out, Pipe in, UnaryOperator<Envelope> filter, AtomicInteger chunks) {
            this.out = out;
            this.in = in;
            this.filter = filter;
            this.chunks = chunks;
        }

        @Override
        public void send(Envelope m) throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
            if (m.hasFileChunk() && chunks != null) {
                chunks.incrementAndGet();
            }
            // Copy: the engine reuses its chunk buffer after send returns, as a socket allows.
            Envelope e = filter.apply(Envelope.parseFrom(m.toByteArray()));
            if (e == CUT) {
                close();
                throw new IOException("cut");
            }
            if (e != null) {
                out.q.add(e);
            }
        }

        @Override
        public Envelope receive() throws IOException {
            try {
                Object o = in.q.poll(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (o == null) {
                    throw new java.net.SocketTimeoutException();
                }
                if (o == CLOSED) {
                    in.q.add(CLOSED);
                    throw new java.io.EOFException();
                }
                return (Envelope) o;
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
        }

        @Override
        public boolean inputPending() {
            return !in.q.isEmpty();
        }

        @Override
        public void setReadTimeout(Duration timeout) {
            readTimeout = timeout;
        }

        @Override
        public void finish() {
            close();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                out.q.add(CLOSED);
                in.q.add(CLOSED);
            }
        }
    }
}
