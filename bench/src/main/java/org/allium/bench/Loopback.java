package org.allium.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import org.allium.protocol.FrameReader;
import org.allium.protocol.Limits;

/**
 * A loopback TCP connection whose far end is drained by a named daemon thread, either
 * decoding frames ({@link FrameReader}, post-authentication cap) or reading raw bytes.
 * Both modes use the same socket setup, so their difference is the cost of the codec.
 */
final class Loopback implements Closeable {
    enum Mode { FRAMED, RAW }

    private final ServerSocket listener;
    private final Socket client;
    private final Socket server;
    private final Thread drainer;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile Throwable failure;

    Loopback(Mode mode) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        client.setTcpNoDelay(true);
        server = listener.accept();
        InputStream in = server.getInputStream();
        drainer = new Thread(() -> {
            try {
                if (mode == Mode.FRAMED) {
                    FrameReader reader = new FrameReader(in, Limits.MAX_FRAME_POST_AUTH); // buffers by itself
                    while (reader.read() != null) {
                        frames.incrementAndGet();
                    }
                } else {
                    byte[] buffer = new byte[64 * 1024];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        bytes.addAndGet(n);
                    }
                }
            } catch (IOException e) {
                if (!server.isClosed()) {
                    failure = e;
                }
            }
        }, "bench-loopback-drainer");
        drainer.setDaemon(true);
        drainer.start();
    }

    OutputStream out() throws IOException {
        return client.getOutputStream();
    }

    /** CPU time the drainer thread used so far, in ns. */
    long drainerCpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(drainer.getId());
    }

    long frames() {
        return frames.get();
    }

    long bytes() {
        return bytes.get();
    }

    void checkHealthy() {
        if (failure != null) {
            throw new IllegalStateException("drainer failed", failure);
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
        try {
            drainer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        listener.close();
        checkHealthy();
    }
}
