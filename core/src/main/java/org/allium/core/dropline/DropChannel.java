package org.allium.core.dropline;

import java.io.IOException;
import java.time.Duration;
import org.allium.protocol.OnionAddress;
import org.allium.protocol.proto.Envelope;

/**
 * One authenticated {@code DROP_SUBMISSION} connection on the drop line's identity onion,
 * as the engine hands it over after the handshake. Not thread-safe; the engine closes it.
 */
public interface DropChannel {
    /** The source's key, proved by the handshake (derived from its codename). */
    OnionAddress source();

    /** The next frame; blocks up to the read timeout. */
    Envelope receive() throws IOException;

    void send(Envelope envelope) throws IOException;

    void setReadTimeout(Duration timeout) throws IOException;

    /** Whether part of another frame has already arrived. */
    default boolean inputPending() throws IOException {
        return false;
    }

    /**
     * The exchange goes on past its one answer (an upload, PROTOCOL.md §13.5): the connection
     * stops counting among those that have not yet said what they want.
     */
    default void longLived() {
    }
}
