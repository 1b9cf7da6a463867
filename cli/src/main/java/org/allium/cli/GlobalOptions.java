package org.allium.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command takes, before or after the command name. Tor options given to
 * {@code init} or {@code run} are saved in the profile; {@code --testnet} applies to one
 * run only.
 */
final class GlobalOptions {

    @Option(names = "--profile", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Profile directory (default: $ALLIUM_PROFILE, else $XDG_DATA_HOME/allium).")
    Path profile;

    @Option(names = "--passphrase-fd", paramLabel = "N", scope = ScopeType.INHERIT,
            description = "Read the passphrase from file descriptor N (first line; `passwd` reads the new one "
                    + "from the second line). Otherwise $ALLIUM_PASSPHRASE, otherwise a prompt.")
    Integer passphraseFd;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print results as one JSON object instead of text.")
    boolean json;

    @Option(names = "--testnet", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Join a private Tor network: FILE holds the client torrc lines that "
                    + "`allium testnet` writes. For this run only.")
    Path testnet;

    @Option(names = "--tor", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "The tor binary to run (default: $ALLIUM_TOR, then tor on PATH, then Tor Browser).")
    Path torBinary;

    @Option(names = "--tor-control", paramLabel = "HOST:PORT", scope = ScopeType.INHERIT,
            description = "Use an existing tor's control port instead of starting one (Tails, Whonix, system tor). "
                    + "Password, if any: $ALLIUM_TOR_CONTROL_PASSWORD.")
    String torControl;

    @Option(names = "--tor-socks", paramLabel = "PORT", scope = ScopeType.INHERIT,
            description = "SOCKS port of the existing tor (with --tor-control; default 9050).")
    Integer torSocks;

    @Option(names = "--tor-cookie", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Control auth cookie of the existing tor (with --tor-control).")
    Path torCookie;

    @Option(names = "--bridge", paramLabel = "LINE", scope = ScopeType.INHERIT,
            description = "A bridge line (repeatable), e.g. \"obfs4 1.2.3.4:443 FP cert=… iat-mode=0\".")
    List<String> bridges = new ArrayList<>();

    @Option(names = "--transport", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "Pluggable transport binary the bridges need (obfs4proxy, lyrebird, snowflake-client).")
    Path transport;

    /** Whether any option that changes the saved tor settings was given. */
    boolean hasTorOptions() {
        return torBinary != null || torControl != null || torSocks != null || torCookie != null
                || !bridges.isEmpty() || transport != null;
    }
}
