package org.allium.core;

import java.io.IOException;
import org.allium.protocol.OnionAddress;

/**
 * One authenticated, framed connection to a peer. {@link #send} is thread-safe (callers
 * still serialise per session to keep order); {@link #receive} is called by one reader
 * thread only. Closing is idempotent and unblocks the reader.
 */
interface Session extends AutoCloseable {
    /** The peer's authenticated identity. */
    OnionAddress peer();

    /** Whether we dialled. */
    boolean outbound();

    /** What the handshake established (both identities, transcript hash for the duplicate rule). */
    org.allium.protocol.HandshakeResult handshake();

    /** Writes one frame. */
    void send(Frame frame) throws IOException;

    /**
     * Blocks for the next frame.
     *
     * @throws java.net.SocketTimeoutException when nothing arrived within the read timeout
     * @throws IOException when the connection closed or the peer broke the protocol
     */
    Frame receive() throws IOException;

    /**
     * Whether part of another frame has already arrived, so that {@link #receive} would not
     * wait for the network. Never blocks; called by the reader thread only.
     */
    boolean inputPending() throws IOException;

    /**
     * Whether a {@link #send} has been blocked for longer than {@code limit} (the peer stopped
     * reading): a watchdog then closes the session, which unblocks the writer. Never blocks.
     */
    boolean writeBlockedLongerThan(java.time.Duration limit);

    /** Sets how long {@link #receive} waits (0: forever). */
    void setReadTimeout(java.time.Duration timeout) throws IOException;

    /** Whether {@link #close} ran (by us, on a protocol error or a Close we sent): such a session is gone. */
    boolean isClosed();

    @Override
    void close();
}
