package org.allium.tor.api;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A listening socket that tor forwards an onion service's connections to
 * ({@link OnionServiceSpec#target()}): a Unix socket in a private directory for our own tor,
 * so nobody else on the machine can connect around tor, client authorization and PoW; or a
 * loopback TCP port, for an external tor that runs as another user and could not reach it.
 * Thread-safe: one thread accepts, any thread closes.
 */
public final class TargetListener implements Closeable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServerSocket tcp;
    private final ServerSocketChannel unix;
    private final ListenAddress address;

    private TargetListener(ServerSocket tcp, ServerSocketChannel unix, ListenAddress address) {
        this.tcp = tcp;
        this.unix = unix;
        this.address = address;
    }

    /** A loopback TCP port (for an external tor). */
    public static TargetListener loopback() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new TargetListener(s, null, HostPort.loopback(s.getLocalPort()));
    }

    /**
     * A Unix socket with a fresh random name (so its name says nothing about the service) in
     * {@code directory}, which must be private (see {@link SocketDirectory}).
     */
    public static TargetListener unix(Path directory) throws IOException {
        byte[] r = new byte[6];
        RANDOM.nextBytes(r);
        Path path = directory.resolve("o-" + HexFormat.of().formatHex(r));
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path), 50);
            return new TargetListener(null, ch, new UnixSocketPath(path));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** What to give tor as the service's target. */
    public ListenAddress address() {
        return address;
    }

    /** Blocks for the next connection; an {@link IOException} once closed. */
    public Socket accept() throws IOException {
        if (tcp != null) return tcp.accept();
        SocketChannel c = unix.accept();
        try {
            return new UnixStreamSocket(c);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Stops listening (a blocked {@link #accept} throws) and removes the socket file. */
    @Override
    public void close() throws IOException {
        if (tcp != null) {
            tcp.close();
            return;
        }
        try {
            unix.close();
        } finally {
            Files.deleteIfExists(((UnixSocketPath) address).path());
        }
    }
}
