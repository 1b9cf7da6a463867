package org.allium.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ExecutorService;

/**
 * The loopback server behind the benchmark's onion service, also dialled directly for the TCP
 * baseline. The first byte of a connection chooses the mode: {@code 'e'} echoes everything
 * back; {@code 's'} reads an 8-byte length, swallows that many bytes and answers one byte.
 * Thread-safe; one thread of {@code connections} per connection.
 */
final class TorBaselineServer implements AutoCloseable {
    static final byte ECHO = 'e';
    static final byte SINK = 's';
    static final byte ACK = 'k';
    private static final long MAX_SINK = 1L << 34;

    private final ServerSocket server;
    private final ExecutorService connections;

    TorBaselineServer(ExecutorService connections) throws IOException {
        this.connections = connections;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.execute(() -> serve(s));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("bench server: accept failed: " + e);
                }
                return;
            }
        }
    }

    private static void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int mode = in.read();
            byte[] buf = new byte[64 * 1024];
            if (mode == ECHO) {
                for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } else if (mode == SINK) {
                long left = new DataInputStream(in).readLong();
                if (left < 0 || left > MAX_SINK) {
                    return;
                }
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        return;
                    }
                    left -= n;
                }
                out.write(ACK);
                out.flush();
                in.read(); // wait for the client to close
            }
        } catch (SocketException e) {
            // the client went away: normal at the end of a measurement
        } catch (IOException e) {
            System.err.println("bench server: connection failed: " + e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
