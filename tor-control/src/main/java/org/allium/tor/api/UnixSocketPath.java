package org.allium.tor.api;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A Unix domain socket, by its absolute path. Only the owner of its (0700) directory can
 * connect, so nobody else on the machine can reach tor's control or SOCKS listener or an
 * onion service's target around tor.
 */
public record UnixSocketPath(Path path) implements ListenAddress {
    public UnixSocketPath {
        Objects.requireNonNull(path, "path");
        if (!path.isAbsolute()) throw new IllegalArgumentException("a Unix socket path must be absolute");
        String s = path.toString();
        if (s.indexOf(' ') >= 0 || s.indexOf('"') >= 0 || s.indexOf(',') >= 0 || s.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a Unix socket path for tor cannot hold blanks, quotes or commas");
        }
    }

    @Override
    public String torSyntax() {
        return "unix:" + path;
    }

    @Override
    public Socket connect(Duration timeout) throws IOException {
        return UnixStreamSocket.connect(path);
    }

    @Override
    public String toString() {
        return torSyntax();
    }
}
