package org.allium.tor;

import org.allium.tor.api.OwnTorSettings;
import org.allium.tor.api.Tor;

import java.nio.file.Path;

/**
 * Test helper run in a separate JVM by {@link OwnershipIT}: starts our own tor, prints its
 * PID, then waits to be killed.
 */
public final class OwnTorChild {
    private OwnTorChild() {}

    public static void main(String[] args) throws Exception {
        Tor tor = Tors.own(OwnTorSettings.builder(Path.of(args[0])).build());
        tor.start();
        System.out.println("TORPID " + tor.processId().orElseThrow());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // killed by the test
    }
}
