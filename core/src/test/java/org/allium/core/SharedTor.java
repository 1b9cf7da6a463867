package org.allium.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.allium.core.api.TorSettings;
import org.allium.tor.Tors;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.OwnTorSettings;
import org.allium.tor.api.Tor;

/**
 * One tor client on the test network that several test messengers use as an external tor
 * (as bench's MessengerFigures does), so an IT with many profiles runs few tor processes.
 * Closing a messenger closes its control connection, and tor removes that messenger's onions.
 */
final class SharedTor implements AutoCloseable {
    private final Tor tor;
    private final TorSettings settings;
    private final List<String> lines;

    SharedTor(Path dir, List<String> testnetLines) throws Exception {
        this.lines = List.copyOf(testnetLines);
        tor = Tors.own(OwnTorSettings.builder(dir).tcpPorts(true).extraTorrcLines(lines).build());
        tor.start();
        tor.enableNetwork();
        tor.awaitBootstrapped(Duration.ofMinutes(3));
        HostPort control = null;
        for (String line : Files.readString(dir.resolve("control-port.txt")).split("\n")) {
            if (line.strip().startsWith("PORT=")) {
                control = HostPort.parse(line.strip().substring(5));
            }
        }
        if (control == null) {
            throw new IllegalStateException("tor wrote no control port");
        }
        settings = TorSettings.externalTor(control.host(), control.port(),
                dir.resolve("data").resolve("control_auth_cookie"), null, ((HostPort) tor.socksAddress()).port())
                .withTestnetLines(lines); // selects the testnet timers; an external tor is not reconfigured
    }

    TorSettings settings() {
        return settings;
    }

    List<String> torrcLines() {
        return lines;
    }

    /** The tor process, for a test that kills it. */
    long pid() {
        return tor.processId().orElseThrow();
    }

    @Override
    public void close() {
        tor.close();
    }
}
