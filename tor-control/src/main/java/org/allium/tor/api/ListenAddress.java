package org.allium.tor.api;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

/**
 * Where a stream socket listens: a TCP {@link HostPort} or a {@link UnixSocketPath}. Used for
 * tor's SOCKS and control listeners and for the targets tor forwards onion services to.
 */
public sealed interface ListenAddress permits HostPort, UnixSocketPath {
    /** How tor's control protocol and torrc name it: {@code host:port} or {@code unix:/path}. */
    String torSyntax();

    /** Connects a blocking stream socket to it. */
    Socket connect(Duration timeout) throws IOException;
}
