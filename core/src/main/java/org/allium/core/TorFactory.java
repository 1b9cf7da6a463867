package org.allium.core;

import java.io.IOException;
import org.allium.tor.api.TargetListener;
import org.allium.tor.api.Tor;

/** Makes the one {@link Tor} a messenger uses (own process or external), not yet started. */
@FunctionalInterface
interface TorFactory {
    Tor create() throws org.allium.tor.api.TorException;

    /**
     * Opens a listener that this factory's tors can forward an onion service to. Our own tor:
     * a Unix socket in the profile's private socket directory (nobody else on the machine can
     * connect around tor); an external tor runs as another user and gets a loopback TCP port.
     */
    default TargetListener listen() throws IOException {
        return TargetListener.loopback();
    }
}
