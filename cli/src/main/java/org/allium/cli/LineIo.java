package org.allium.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reading newline-terminated UTF-8 lines with a hard cap, for the control socket. */
final class LineIo {

    /** Longest request or response line on the control socket, in bytes. */
    static final int MAX_LINE_BYTES = 256 * 1024;

    private LineIo() {
    }

    /**
     * An input stream over a blocking socket channel. Unlike {@code Channels.newInputStream},
     * it does not hold the channel's blocking lock while waiting, so another thread can write
     * to the same channel meanwhile (a subscriber connection reads and writes at once).
     */
    static InputStream input(java.nio.channels.SocketChannel ch) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n <= 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int n = ch.read(ByteBuffer.wrap(b, off, len));
                return n < 0 ? -1 : n;
            }
        };
    }

    /** An output stream over a blocking socket channel; see {@link #input}. */
    static java.io.OutputStream output(java.nio.channels.SocketChannel ch) {
        return new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        };
    }

    /** Thrown when a line is longer than the cap or not UTF-8. */
    static final class BadLineException extends IOException {
        private static final long serialVersionUID = 1L;

        BadLineException(String message) {
            super(message);
        }
    }

    /**
     * Reads one line without its newline (a CR before it is dropped too).
     *
     * @return the line, or null at end of input (a final unterminated line is returned)
     * @throws BadLineException longer than {@code maxBytes} or not UTF-8
     */
    static String readLine(InputStream in, int maxBytes) throws IOException {
        char[] chars = readLineChars(in, maxBytes);
        if (chars == null) {
            return null;
        }
        String line = new String(chars);
        Arrays.fill(chars, '\0');
        return line;
    }

    /**
     * Reads one line byte by byte (so nothing after it is consumed) as strict UTF-8, without
     * its LF or CRLF, and wipes every intermediate buffer — passphrases go through here too.
     *
     * @return the line, or null at end of input (a final unterminated line is returned)
     * @throws BadLineException longer than {@code maxBytes} or not UTF-8
     */
    static char[] readLineChars(InputStream in, int maxBytes) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        int b;
        boolean any = false;
        while ((b = in.read()) != -1) {
            any = true;
            if (b == '\n') {
                break;
            }
            if (buf.size() >= maxBytes) {
                throw new BadLineException("line longer than " + maxBytes + " bytes");
            }
            buf.write(b);
        }
        if (!any) {
            return null;
        }
        byte[] bytes = buf.toByteArray();
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\r') {
            n--;
        }
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n));
            char[] out = new char[cb.remaining()];
            cb.get(out);
            Arrays.fill(cb.array(), '\0');
            return out;
        } catch (CharacterCodingException e) {
            throw new BadLineException("line is not valid UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
