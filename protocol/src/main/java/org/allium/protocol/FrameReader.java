package org.allium.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import org.allium.protocol.proto.Envelope;

/**
 * Blocking frame reader over an {@link InputStream} (for example a socket from tor's
 * SOCKS port). Reads exactly one frame per call; never allocates more than the current
 * cap; never reads beyond the end of the frame. Not thread-safe: one reader thread.
 * The cap may be changed between reads (from any thread; it is volatile).
 */
public final class FrameReader {
    private final InputStream in;
    private final byte[] header = new byte[Limits.HEADER_LENGTH];
    private volatile int maxFrameLength;

    /** A reader with the pre-authentication cap. */
    public FrameReader(InputStream in) {
        this(in, Limits.MAX_FRAME_PRE_AUTH);
    }

    public FrameReader(InputStream in, int maxFrameLength) {
        this.in = Objects.requireNonNull(in);
        setMaxFrameLength(maxFrameLength);
    }

    /** Changes the cap for the next frame; {@link Limits#MAX_FRAME_POST_AUTH} after the handshake. */
    public void setMaxFrameLength(int maxFrameLength) {
        if (maxFrameLength < 1 || maxFrameLength > Limits.MAX_FRAME_POST_AUTH) {
            throw new IllegalArgumentException("cap must be 1.." + Limits.MAX_FRAME_POST_AUTH);
        }
        this.maxFrameLength = maxFrameLength;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * Blocks until one complete, validated Envelope arrived.
     *
     * @return the Envelope, or {@code null} if the stream ended cleanly between frames
     * @throws FormatException if the frame is malformed, too large or truncated
     * @throws IOException if the stream fails
     */
    public Envelope read() throws IOException {
        int n = in.readNBytes(header, 0, header.length);
        if (n == 0) {
            return null;
        }
        if (n < header.length) {
            throw new FormatException("stream ended inside a frame header (truncated)");
        }
        int length = FrameDecoder.checkedLength(header, maxFrameLength);
        byte[] body = new byte[length];
        if (in.readNBytes(body, 0, length) < length) {
            throw new FormatException("stream ended inside a frame (truncated)");
        }
        return Envelopes.parse(body, 0, length);
    }
}
