package org.allium.core;

import org.allium.tor.api.Tor;

/** Makes the one {@link Tor} a messenger uses (own process or external), not yet started. */
@FunctionalInterface
interface TorFactory {
    Tor create() throws org.allium.tor.api.TorException;
}
