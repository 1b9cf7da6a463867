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

    /**
     * The handshake transcript hash: the same on both ends of this connection and distinct
     * for every connection, so both sides settle duplicates identically by comparing it.
     */
    byte[] tieBreak();

    /** Writes one frame. */
    void send(Frame frame) throws IOException;

    /**
     * Blocks for the next frame.
     *
     * @throws java.net.SocketTimeoutException when nothing arrived within the read timeout
     * @throws IOException when the connection closed or the peer broke the protocol
     */
    Frame receive() throws IOException;

    /** Sets how long {@link #receive} waits (0: forever). */
    void setReadTimeout(java.time.Duration timeout) throws IOException;

    @Override
    void close();
}
