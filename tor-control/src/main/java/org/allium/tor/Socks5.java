package org.allium.tor;

import org.allium.tor.api.ListenAddress;
import org.allium.tor.api.SocksException;
import org.allium.tor.api.SocksFailure;
import org.allium.tor.api.StreamIsolation;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A SOCKS5 client (RFC 1928, username/password per RFC 1929) for connecting to onion
 * services through tor: the host name goes to tor unresolved (ATYP 3), credentials carry
 * stream isolation, and tor's extended reply codes become {@link SocksFailure}s.
 * Stateless; every call uses its own socket.
 */
final class Socks5 {
    private static final int VERSION = 5;
    private static final int METHOD_NONE = 0x00;
    private static final int METHOD_USERPASS = 0x02;
    private static final int METHOD_REFUSED = 0xFF;

    private Socks5() {}

    /**
     * Connects to {@code host:port} through the SOCKS5 proxy {@code proxy}.
     *
     * @param isolation username/password to isolate the stream; null for no authentication
     * @param timeout   for the whole exchange (TCP connect to the proxy and the tor side)
     * @return the connected socket, without a read timeout
     */
    static Socket connect(ListenAddress proxy, String host, int port, StreamIsolation isolation, Duration timeout)
            throws SocksException {
        return connect(proxy, host, port, isolation, timeout, Dials.NONE);
    }

    /**
     * Where a dial's socket is known while it waits for tor (which can take a minute for an
     * onion that is offline), so that stopping can close it: the dial then fails at once
     * instead of holding its thread until tor answers or the deadline passes.
     */
    interface Dials {
        Dials NONE = new Dials() {
            @Override
            public boolean begin(Socket s) {
                return true;
            }

            @Override
            public void end(Socket s) {
            }
        };

        /** The dial on {@code s} starts waiting for tor; false if it must not (stopping): it is closed then. */
        boolean begin(Socket s);

        /** It no longer waits (connected or failed). */
        void end(Socket s);
    }

    /** As above; {@code dials} knows the socket while the exchange with tor lasts. */
    static Socket connect(ListenAddress proxy, String host, int port, StreamIsolation isolation, Duration timeout,
            Dials dials) throws SocksException {
        byte[] hostBytes = host.getBytes(StandardCharsets.US_ASCII);
        if (hostBytes.length < 1 || hostBytes.length > 255) throw new IllegalArgumentException("bad host length");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        long deadline = System.nanoTime() + timeout.toNanos();
        Socket socket;
        try {
            socket = proxy.connect(Duration.ofMillis(remainingMillis(deadline)));
        } catch (SocketTimeoutException e) {
            throw new SocksException(SocksFailure.TIMEOUT, "connecting to tor's SOCKS port", e);
        } catch (IOException e) {
            throw new SocksException(SocksFailure.PROXY_UNREACHABLE, proxy.toString(), e);
        }
        if (!dials.begin(socket)) {
            closeQuietly(socket);
            throw new SocksException(SocksFailure.PROXY_UNREACHABLE, "tor is stopping");
        }
        boolean ok = false;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(remainingMillis(deadline));
            handshake(socket.getInputStream(), socket.getOutputStream(), hostBytes, port, isolation);
            socket.setSoTimeout(0);
            ok = true;
            return socket;
        } catch (SocketTimeoutException e) {
            throw new SocksException(SocksFailure.TIMEOUT, "waiting for tor", e);
        } catch (SocksException e) {
            throw e;
        } catch (IOException e) {
            throw new SocksException(SocksFailure.PROTOCOL_ERROR, "connection to tor's SOCKS port broke", e);
        } finally {
            dials.end(socket);
            if (!ok) closeQuietly(socket);
        }
    }

    /** The protocol exchange, separated from sockets so tests can feed any bytes. */
    static void handshake(InputStream rawIn, OutputStream out, byte[] host, int port, StreamIsolation isolation)
            throws IOException {
        DataInputStream in = new DataInputStream(rawIn);
        int method = isolation == null ? METHOD_NONE : METHOD_USERPASS;
        out.write(new byte[] {VERSION, 1, (byte) method});
        out.flush();
        int version = readByte(in);
        int chosen = readByte(in);
        if (version != VERSION) throw new SocksException(SocksFailure.PROTOCOL_ERROR, "server version " + version);
        if (chosen == METHOD_REFUSED || chosen != method) {
            throw new SocksException(SocksFailure.PROTOCOL_ERROR, "server refused our authentication method");
        }
        if (isolation != null) {
            byte[] user = isolation.username().getBytes(StandardCharsets.UTF_8);
            byte[] pass = isolation.password().getBytes(StandardCharsets.UTF_8);
            byte[] auth = new byte[3 + user.length + pass.length];
            auth[0] = 1;
            auth[1] = (byte) user.length;
            System.arraycopy(user, 0, auth, 2, user.length);
            auth[2 + user.length] = (byte) pass.length;
            System.arraycopy(pass, 0, auth, 3 + user.length, pass.length);
            out.write(auth);
            out.flush();
            int authVersion = readByte(in);
            int status = readByte(in);
            if (authVersion != 1 || status != 0) {
                throw new SocksException(SocksFailure.PROTOCOL_ERROR, "server rejected the isolation credentials");
            }
        }
        byte[] request = new byte[7 + host.length];
        request[0] = VERSION;
        request[1] = 1; // CONNECT
        request[2] = 0;
        request[3] = 3; // domain name: tor resolves it, nothing leaks to local DNS
        request[4] = (byte) host.length;
        System.arraycopy(host, 0, request, 5, host.length);
        request[5 + host.length] = (byte) (port >>> 8);
        request[6 + host.length] = (byte) port;
        out.write(request);
        out.flush();
        int replyVersion = readByte(in);
        int reply = readByte(in);
        if (replyVersion != VERSION) throw new SocksException(SocksFailure.PROTOCOL_ERROR, "reply version " + replyVersion);
        if (reply != 0) {
            SocksFailure f = SocksFailure.fromReplyCode(reply);
            throw new SocksException(f, String.format("SOCKS reply 0x%02X", reply));
        }
        readByte(in); // reserved
        int atyp = readByte(in);
        int addrLen = switch (atyp) {
            case 1 -> 4;
            case 4 -> 16;
            case 3 -> readByte(in);
            default -> throw new SocksException(SocksFailure.PROTOCOL_ERROR, "bad address type " + atyp);
        };
        in.readFully(new byte[addrLen + 2]);
    }

    private static int readByte(DataInputStream in) throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException("SOCKS server closed the connection");
        return b;
    }

    private static int remainingMillis(long deadlineNanos) throws SocksException {
        long ms = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (ms <= 0) throw new SocksException(SocksFailure.TIMEOUT, null);
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Nothing more to do with a socket we are abandoning.
        }
    }
}
