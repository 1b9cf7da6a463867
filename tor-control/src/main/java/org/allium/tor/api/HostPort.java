package org.allium.tor.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;

/** A TCP endpoint such as an external tor's SOCKS or control port. */
public record HostPort(String host, int port) implements ListenAddress {
    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) throw new IllegalArgumentException("empty host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /** A loopback endpoint. */
    public static HostPort loopback(int port) {
        return new HostPort("127.0.0.1", port);
    }

    /** Parses {@code host:port}, also {@code [v6]:port}. */
    public static HostPort parse(String s) {
        Objects.requireNonNull(s, "s");
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("not host:port: " + s);
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        try {
            return new HostPort(host, Integer.parseInt(s.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not host:port: " + s, e);
        }
    }

    /** An unresolved-if-needed socket address for connecting. */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String torSyntax() {
        return toString();
    }

    @Override
    public Socket connect(Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(toSocketAddress(), (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
