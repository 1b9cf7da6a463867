package org.allium.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import org.allium.protocol.proto.Envelope;

/**
 * Blocking frame reader over an {@link InputStream} (for example a socket from tor's
 * SOCKS port; no BufferedInputStream needed). Reads ahead into a small internal buffer
 * ({@value #READ_AHEAD} bytes) so that small frames cost few system calls, and reads the
 * rest of a large frame straight into its own array. Never allocates more than the
 * current cap for a frame. Not thread-safe: one reader thread. The cap may be changed
 * between reads from any thread (it is volatile).
 */
public final class FrameReader {
    static final int READ_AHEAD = 16 * 1024;
    /** A body remainder at least this long is read straight into the frame's array. */
    private static final int DIRECT_READ = 4096;

    private final InputStream in;
    private final byte[] buffer = new byte[READ_AHEAD];
    private int pos;
    private int limit;
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
     * Whether input has already arrived that the next {@link #read} will consume: bytes in
     * this reader's buffer or readable from the stream without blocking. A receiver uses it
     * to take a burst of frames in one go (one store commit, one acknowledgement) without
     * waiting for more. Does not block.
     */
    public boolean hasBufferedInput() throws IOException {
        return limit > pos || in.available() > 0;
    }

    /**
     * Blocks until one complete, validated Envelope arrived.
     *
     * @return the Envelope, or {@code null} if the stream ended cleanly between frames
     * @throws FormatException if the frame is malformed, too large or truncated
     * @throws IOException if the stream fails
     */
    public Envelope read() throws IOException {
        if (!fill(Limits.HEADER_LENGTH)) {
            if (limit == pos) {
                return null;
            }
            throw new FormatException("stream ended inside a frame header (truncated)");
        }
        int length = FrameDecoder.checkedLength(buffer, pos, maxFrameLength);
        pos += Limits.HEADER_LENGTH;
        byte[] body = new byte[length];
        int buffered = Math.min(length, limit - pos);
        System.arraycopy(buffer, pos, body, 0, buffered);
        pos += buffered;
        int rest = length - buffered;
        if (rest >= DIRECT_READ) {
            if (in.readNBytes(body, buffered, rest) < rest) {
                throw new FormatException("stream ended inside a frame (truncated)");
            }
        } else if (rest > 0) {
            if (!fill(rest)) {
                throw new FormatException("stream ended inside a frame (truncated)");
            }
            System.arraycopy(buffer, pos, body, buffered, rest);
            pos += rest;
        }
        return Envelopes.parse(body, 0, length);
    }

    /** Ensures {@code need} (at most the buffer size) bytes are buffered; false if the stream ended first. */
    private boolean fill(int need) throws IOException {
        if (limit - pos >= need) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (limit < need) {
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                return false;
            }
            limit += n;
        }
        return true;
    }
}
