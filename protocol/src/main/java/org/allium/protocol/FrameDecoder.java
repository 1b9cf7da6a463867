package org.allium.protocol;

import java.nio.ByteBuffer;
import org.allium.protocol.proto.CloseCode;
import org.allium.protocol.proto.Envelope;

/**
 * Incremental frame decoder for non-blocking I/O: feed it byte chunks of any size, get
 * validated Envelopes out. Memory is bounded by one frame: the body buffer is allocated
 * only after the length prefix passed the cap, and bytes after a complete frame stay in
 * the caller's buffer until the next {@link #poll}.
 *
 * <p>After any {@link FormatException} the decoder is failed for good (the connection
 * must be closed). Not thread-safe: one reader thread (or one event loop) at a time.
 */
public final class FrameDecoder {
    private final byte[] header = new byte[Limits.HEADER_LENGTH];
    private int headerFilled;
    private byte[] body;
    private int bodyFilled;
    private int maxFrameLength;
    private boolean failed;

    /** A decoder with the pre-authentication cap ({@link Limits#MAX_FRAME_PRE_AUTH}). */
    public FrameDecoder() {
        this(Limits.MAX_FRAME_PRE_AUTH);
    }

    public FrameDecoder(int maxFrameLength) {
        setMaxFrameLength(maxFrameLength);
    }

    /**
     * Changes the cap for frames whose length prefix has not been read yet; switch to
     * {@link Limits#MAX_FRAME_POST_AUTH} once the handshake completed.
     */
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
     * Consumes bytes from {@code in} up to the end of the next complete frame and returns
     * its Envelope, or consumes all of {@code in} and returns {@code null} if no frame is
     * complete yet. Call again while it returns non-null.
     *
     * @throws FormatException if the input is malformed (the decoder is then failed)
     */
    public Envelope poll(ByteBuffer in) throws FormatException {
        if (failed) {
            throw new FormatException("decoder already failed");
        }
        try {
            while (in.hasRemaining()) {
                if (body == null) {
                    int n = Math.min(in.remaining(), header.length - headerFilled);
                    in.get(header, headerFilled, n);
                    headerFilled += n;
                    if (headerFilled == header.length) {
                        body = new byte[checkedLength(header, 0, maxFrameLength)];
                        bodyFilled = 0;
                    }
                } else {
                    int n = Math.min(in.remaining(), body.length - bodyFilled);
                    in.get(body, bodyFilled, n);
                    bodyFilled += n;
                }
                if (body != null && bodyFilled == body.length) {
                    byte[] complete = body;
                    body = null;
                    headerFilled = 0;
                    return Envelopes.parse(complete, 0, complete.length);
                }
            }
            return null;
        } catch (FormatException e) {
            failed = true;
            body = null;
            throw e;
        }
    }

    /** Convenience for arrays: {@link #poll} over {@code ByteBuffer.wrap(b, off, len)}. */
    public Envelope poll(byte[] b, int off, int len) throws FormatException {
        return poll(ByteBuffer.wrap(b, off, len));
    }

    /** Whether part of a frame has been consumed and the rest is still due. */
    public boolean isMidFrame() {
        return headerFilled > 0;
    }

    /**
     * To be called when the stream ended.
     *
     * @throws FormatException if it ended inside a frame
     */
    public void endOfStream() throws FormatException {
        if (isMidFrame()) {
            failed = true;
            throw new FormatException("stream ended inside a frame (truncated)");
        }
    }

    /** Reads the uint32 big-endian length prefix and checks it against the cap before anything is allocated. */
    static int checkedLength(byte[] b, int off, int cap) throws FormatException {
        long length = ((b[off] & 0xffL) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
        if (length == 0) {
            throw new FormatException("empty frame");
        }
        if (length > cap) {
            throw new FormatException(CloseCode.FRAME_TOO_LARGE, "frame of " + length + " bytes exceeds the cap of " + cap);
        }
        return (int) length;
    }
}
