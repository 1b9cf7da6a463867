package org.allium.testnet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** TCP port helpers. Stateless; thread-safe. */
final class Ports {
    private Ports() {
    }

    static int check(int port, String what) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " out of range 1-65535: " + port);
        }
        return port;
    }

    /**
     * Picks {@code n} distinct ports that are free on 127.0.0.1 right now. Another process may
     * take one before tor binds it; the caller detects that and starts again.
     */
    static List<Integer> pickFree(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>(n);
        try {
            List<Integer> ports = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports.add(s.getLocalPort());
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing was sent on it; closing cannot lose anything
                }
            }
        }
    }
}
