package org.allium.core.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How the messenger reaches Tor. Immutable; persisted in the profile
 * ({@link Profile#torSettings()}). Build with {@link #ownTor()} or {@link #externalTor} and
 * the {@code with…} methods.
 *
 * @param mode own tor process (default) or an existing tor's control port
 * @param torBinary explicit tor binary for {@link Mode#OWN}, or {@code null} to search
 *        ({@code ALLIUM_TOR}, then {@code tor} on PATH, then Tor Browser locations)
 * @param bridges {@code Bridge} lines (without the keyword) for {@link Mode#OWN}; empty for none
 * @param transportBinary pluggable-transport binary (obfs4proxy/lyrebird/snowflake client) the
 *        bridges need, or {@code null}
 * @param controlHost control host of an external tor ({@link Mode#EXTERNAL}), else {@code null}
 * @param controlPort control port of an external tor, else 0
 * @param cookieFile control auth cookie of an external tor, or {@code null}
 * @param controlPassword control password of an external tor, or {@code null}
 * @param socksPort SOCKS port of an external tor, else 0
 * @param testnetLines extra torrc lines that make our own tor join a private test network
 *        (from tor-testnet's {@code clientTorrcLines()}); empty for the real Tor network
 */
public record TorSettings(Mode mode, Path torBinary, List<String> bridges, Path transportBinary,
                          String controlHost, int controlPort, Path cookieFile,
                          String controlPassword, int socksPort, List<String> testnetLines) {

    /** Own tor process, or a tor someone else runs. */
    public enum Mode {
        OWN,
        EXTERNAL
    }

    public TorSettings {
        Objects.requireNonNull(mode, "mode");
        bridges = List.copyOf(bridges);
        testnetLines = List.copyOf(testnetLines);
        if (mode == Mode.EXTERNAL) {
            Objects.requireNonNull(controlHost, "controlHost");
            checkPort(controlPort, "control");
            checkPort(socksPort, "SOCKS");
        } else if (controlPort != 0 || socksPort != 0) {
            throw new IllegalArgumentException("ports are chosen by Allium for its own tor");
        }
    }

    private static void checkPort(int port, String what) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " port out of range: " + port);
        }
    }

    /** Our own tor process, binary found automatically, real Tor network, no bridges. */
    public static TorSettings ownTor() {
        return new TorSettings(Mode.OWN, null, List.of(), null, null, 0, null, null, 0, List.of());
    }

    /**
     * An existing tor (Tails, Whonix, system tor). Give a cookie file or a password (or
     * neither, if its control port has no authentication).
     */
    public static TorSettings externalTor(String controlHost, int controlPort, Path cookieFile,
                                          String controlPassword, int socksPort) {
        return new TorSettings(Mode.EXTERNAL, null, List.of(), null, controlHost, controlPort,
                cookieFile, controlPassword, socksPort, List.of());
    }

    public TorSettings withTorBinary(Path binary) {
        return new TorSettings(mode, binary, bridges, transportBinary, controlHost, controlPort,
                cookieFile, controlPassword, socksPort, testnetLines);
    }

    public TorSettings withBridges(List<String> bridgeLines, Path transport) {
        return new TorSettings(mode, torBinary, bridgeLines, transport, controlHost, controlPort,
                cookieFile, controlPassword, socksPort, testnetLines);
    }

    public TorSettings withTestnetLines(List<String> lines) {
        return new TorSettings(mode, torBinary, bridges, transportBinary, controlHost, controlPort,
                cookieFile, controlPassword, socksPort, lines);
    }

    @Override
    public String toString() {
        // The password must not end up in a log.
        return "TorSettings[mode=" + mode + ", bridges=" + bridges.size()
                + ", testnet=" + !testnetLines.isEmpty() + "]";
    }
}
