package org.allium.tor.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A connected Unix domain stream socket behind the {@link Socket} API, so code written for
 * sockets (streams, {@code setSoTimeout}, {@code close} from another thread) works unchanged
 * over a Unix socket. Java 17 has Unix sockets only as channels, whose stream adapters take
 * one lock for reading and writing (a blocked reader would stall every writer) and know no
 * read timeout; here the channel is non-blocking and each direction waits on its own
 * selector, so one thread may read while another writes, and {@link #setSoTimeout} works as
 * on TCP ({@link SocketTimeoutException}, the socket stays usable).
 *
 * <p>Options that only mean something for TCP ({@code TCP_NODELAY}, keep-alive, linger,
 * buffer sizes) are accepted and ignored; no TCP socket is ever opened underneath.
 * Thread-safe as a {@link Socket} is: one reader and one writer at a time, close from anywhere.
 */
public final class UnixStreamSocket extends Socket {
    private final SocketChannel channel;
    private final Object readLock = new Object();
    private final Object writeLock = new Object();
    private final Object stateLock = new Object();
    private final In in = new In();
    private final Out out = new Out();
    // Guarded by stateLock; created on the first wait in each direction.
    private Selector readSelector;
    private Selector writeSelector;
    private boolean closed;
    private boolean inputShut;
    private boolean outputShut;
    private volatile int timeoutMillis;

    /**
     * Wraps a connected Unix-family channel (from {@code accept()} or {@code connect}); the
     * channel is switched to non-blocking mode and belongs to this socket from now on.
     */
    public UnixStreamSocket(SocketChannel channel) throws IOException {
        if (!channel.isConnected()) throw new SocketException("channel is not connected");
        this.channel = channel;
        channel.configureBlocking(false);
    }

    /** Connects to the Unix socket at {@code path} (immediate: a local socket accepts or refuses at once). */
    public static UnixStreamSocket connect(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(path));
            return new UnixStreamSocket(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private Selector selector(boolean read) throws IOException {
        synchronized (stateLock) {
            if (closed) throw new SocketException("Socket closed");
            Selector s = read ? readSelector : writeSelector;
            if (s == null) {
                s = Selector.open();
                channel.register(s, read ? SelectionKey.OP_READ : SelectionKey.OP_WRITE);
                if (read) readSelector = s;
                else writeSelector = s;
            }
            return s;
        }
    }

    private SocketException closedException() {
        return new SocketException("Socket closed");
    }

    private final class In extends InputStream {
        private final ByteBuffer one = ByteBuffer.allocate(1);
        /** Bytes {@link #available()} took from the channel ahead of a read (flipped: ready to get). */
        private ByteBuffer ahead;
        private boolean eof;

        @Override
        public int read() throws IOException {
            synchronized (readLock) {
                one.clear();
                int n = readInto(one);
                return n < 0 ? -1 : one.get(0) & 0xff;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            synchronized (readLock) {
                return readInto(ByteBuffer.wrap(b, off, len));
            }
        }

        private int readInto(ByteBuffer bb) throws IOException {
            if (ahead != null && ahead.hasRemaining()) {
                int n = Math.min(bb.remaining(), ahead.remaining());
                ByteBuffer slice = ahead.slice();
                slice.limit(n);
                bb.put(slice);
                ahead.position(ahead.position() + n);
                return n;
            }
            if (eof) return -1;
            int timeout = timeoutMillis;
            long deadline = timeout > 0 ? System.nanoTime() + timeout * 1_000_000L : 0;
            while (true) {
                int n;
                try {
                    n = channel.read(bb);
                } catch (ClosedChannelException e) {
                    throw closedException();
                }
                if (n != 0) return n;
                long wait = 0;
                if (timeout > 0) {
                    wait = (deadline - System.nanoTime()) / 1_000_000;
                    if (wait <= 0) throw new SocketTimeoutException("Read timed out");
                }
                await(selector(true), wait);
            }
        }

        /** What can be read without blocking: bytes already here, else what the channel has now. */
        @Override
        public int available() throws IOException {
            synchronized (readLock) {
                synchronized (stateLock) {
                    if (closed) throw closedException();
                }
                if (ahead != null && ahead.hasRemaining()) return ahead.remaining();
                if (eof) return 0;
                if (ahead == null) ahead = ByteBuffer.allocate(8192);
                ahead.clear();
                int n;
                try {
                    n = channel.read(ahead);
                } catch (ClosedChannelException e) {
                    throw closedException();
                }
                ahead.flip();
                if (n < 0) eof = true;
                return Math.max(0, n);
            }
        }

        @Override
        public void close() throws IOException {
            UnixStreamSocket.this.close();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            synchronized (writeLock) {
                while (bb.hasRemaining()) {
                    int n;
                    try {
                        n = channel.write(bb);
                    } catch (ClosedChannelException e) {
                        throw closedException();
                    }
                    if (n == 0) await(selector(false), 0);
                }
            }
        }

        @Override
        public void close() throws IOException {
            UnixStreamSocket.this.close();
        }
    }

    private void await(Selector s, long millis) throws IOException {
        try {
            s.select(millis);
            s.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            throw closedException();
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        synchronized (stateLock) {
            if (closed) throw closedException();
            if (inputShut) throw new SocketException("Socket input is shutdown");
        }
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        synchronized (stateLock) {
            if (closed) throw closedException();
            if (outputShut) throw new SocketException("Socket output is shutdown");
        }
        return out;
    }

    /** Closes the channel and wakes a reader or writer waiting on it (they get a {@link SocketException}). */
    @Override
    public void close() throws IOException {
        Selector r;
        Selector w;
        synchronized (stateLock) {
            if (closed) return;
            closed = true;
            r = readSelector;
            w = writeSelector;
        }
        try {
            channel.close();
        } finally {
            // Closing a selector wakes a thread blocked in it; the channel's descriptor is
            // released once it is deregistered from both.
            if (r != null) r.close();
            if (w != null) w.close();
        }
    }

    @Override
    public boolean isClosed() {
        synchronized (stateLock) {
            return closed;
        }
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public boolean isBound() {
        return true;
    }

    @Override
    public void shutdownInput() throws IOException {
        synchronized (stateLock) {
            if (closed) throw closedException();
            inputShut = true;
        }
        channel.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        synchronized (stateLock) {
            if (closed) throw closedException();
            outputShut = true;
        }
        channel.shutdownOutput();
    }

    @Override
    public boolean isInputShutdown() {
        synchronized (stateLock) {
            return inputShut;
        }
    }

    @Override
    public boolean isOutputShutdown() {
        synchronized (stateLock) {
            return outputShut;
        }
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) throw new IllegalArgumentException("timeout < 0");
        if (isClosed()) throw closedException();
        timeoutMillis = timeout;
    }

    @Override
    public int getSoTimeout() throws SocketException {
        if (isClosed()) throw closedException();
        return timeoutMillis;
    }

    // TCP-only options: accepted, meaningless on a Unix socket.
    @Override public void setTcpNoDelay(boolean on) throws SocketException { if (isClosed()) throw closedException(); }
    @Override public boolean getTcpNoDelay() { return false; }
    @Override public void setKeepAlive(boolean on) throws SocketException { if (isClosed()) throw closedException(); }
    @Override public boolean getKeepAlive() { return false; }
    @Override public void setSoLinger(boolean on, int linger) throws SocketException { if (isClosed()) throw closedException(); }
    @Override public int getSoLinger() { return -1; }
    @Override public void setSendBufferSize(int size) throws SocketException { if (isClosed()) throw closedException(); }
    @Override public void setReceiveBufferSize(int size) throws SocketException { if (isClosed()) throw closedException(); }
    @Override public void setTrafficClass(int tc) throws SocketException { if (isClosed()) throw closedException(); }
    @Override public void setReuseAddress(boolean on) throws SocketException { if (isClosed()) throw closedException(); }
    @Override public void setOOBInline(boolean on) throws SocketException { throw new SocketException("not on a Unix socket"); }
    @Override public void sendUrgentData(int data) throws IOException { throw new SocketException("not on a Unix socket"); }
    @Override public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {}

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        throw new SocketException("already connected");
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        throw new SocketException("already bound");
    }

    @Override public InetAddress getInetAddress() { return null; }
    @Override public InetAddress getLocalAddress() { return InetAddress.getLoopbackAddress(); }
    @Override public int getPort() { return 0; }
    @Override public int getLocalPort() { return -1; }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public java.nio.channels.SocketChannel getChannel() {
        return null; // the channel is non-blocking and owned here; use the streams
    }

    @Override
    public String toString() {
        return isClosed() ? "UnixStreamSocket[closed]" : "UnixStreamSocket[connected]";
    }
}
