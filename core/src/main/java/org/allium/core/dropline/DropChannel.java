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
}
