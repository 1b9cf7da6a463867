package org.allium.core.files;

import java.io.IOException;
import java.time.Duration;
import org.allium.protocol.proto.Envelope;

/**
 * One authenticated FILE_STREAM connection with a contact, as the engine sees it. One reader
 * and one writer thread may use it at once; {@link #close()} is idempotent and unblocks both.
 */
public interface FileLink extends AutoCloseable {
    /** Writes one file message (validated by the protocol module on the other side). */
    void send(Envelope message) throws IOException;

    /**
     * The next file message; keepalives and messages of other kinds are skipped.
     *
     * @return null when the peer closed the connection (a Close frame)
     * @throws IOException on a broken connection, a protocol violation or the read timeout
     */
    Envelope receive() throws IOException;

    /** Whether part of another message has already arrived (so {@link #receive} will not wait long). */
    boolean inputPending() throws IOException;

    void setReadTimeout(Duration timeout) throws IOException;

    /** Sends Close(NORMAL) if possible and closes. */
    void finish();

    @Override
    void close();
}
