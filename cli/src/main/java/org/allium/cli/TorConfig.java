package org.allium.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.allium.core.api.Profile;
import org.allium.core.api.StorageException;
import org.allium.core.api.TorSettings;

/** Turns the tor options of the command line into the profile's {@link TorSettings}. */
final class TorConfig {

    static final String CONTROL_PASSWORD_ENV = "ALLIUM_TOR_CONTROL_PASSWORD";
    static final int DEFAULT_SOCKS_PORT = 9050;
    /** Largest testnet file read, in bytes. */
    static final int MAX_TESTNET_FILE = 64 * 1024;

    private TorConfig() {
    }

    /**
     * The settings for this run: the saved ones, replaced (and saved) when tor options were
     * given, plus the testnet lines (never saved).
     */
    static TorSettings effective(Profile profile, GlobalOptions g, CliContext ctx) throws CliException {
        try {
            TorSettings s = profile.torSettings();
            if (g.hasTorOptions()) {
                s = fromOptions(g, ctx);
                profile.setTorSettings(s);
            }
            if (g.testnet != null) {
                s = s.withTestnetLines(testnetLines(g.testnet));
            }
            return s;
        } catch (StorageException e) {
            throw Errors.map(e);
        }
    }

    static TorSettings fromOptions(GlobalOptions g, CliContext ctx) throws CliException {
        TorSettings s;
        if (g.torControl != null) {
            if (g.torBinary != null || !g.bridges.isEmpty() || g.transport != null) {
                throw new CliException(ExitCode.USAGE, "--tor-control uses an existing tor: it cannot be combined "
                        + "with --tor, --bridge or --transport (configure bridges in that tor)");
            }
            HostPort hp = HostPort.parse(g.torControl);
            int socks = g.torSocks == null ? DEFAULT_SOCKS_PORT : g.torSocks;
            if (socks < 1 || socks > 65535) {
                throw new CliException(ExitCode.USAGE, "--tor-socks must be a port from 1 to 65535");
            }
            s = TorSettings.externalTor(hp.host(), hp.port(), g.torCookie, ctx.env(CONTROL_PASSWORD_ENV), socks);
        } else {
            if (g.torSocks != null || g.torCookie != null) {
                throw new CliException(ExitCode.USAGE, "--tor-socks and --tor-cookie need --tor-control");
            }
            s = TorSettings.ownTor();
            if (g.torBinary != null) {
                s = s.withTorBinary(g.torBinary.toAbsolutePath());
            }
            if (!g.bridges.isEmpty() || g.transport != null) {
                for (String b : g.bridges) {
                    if (b.isBlank() || b.indexOf('\n') >= 0 || b.indexOf('\r') >= 0) {
                        throw new CliException(ExitCode.USAGE, "a --bridge line must be one non-empty line");
                    }
                }
                s = s.withBridges(g.bridges, g.transport == null ? null : g.transport.toAbsolutePath());
            }
        }
        return s;
    }

    /** Reads the client torrc lines that {@code allium testnet} wrote (blank lines and # comments skipped). */
    static List<String> testnetLines(Path file) throws CliException {
        try {
            if (Files.size(file) > MAX_TESTNET_FILE) {
                throw new CliException(ExitCode.USAGE, "--testnet file is larger than " + MAX_TESTNET_FILE + " bytes");
            }
            List<String> lines = new ArrayList<>();
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = l.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    lines.add(t);
                }
            }
            if (lines.stream().noneMatch(l -> l.startsWith("DirAuthority"))) {
                throw new CliException(ExitCode.USAGE, "--testnet file has no DirAuthority lines: "
                        + "give the file that 'allium testnet' writes");
            }
            return lines;
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read --testnet file: " + e.getMessage());
        }
    }

    /** A control address {@code HOST:PORT} ({@code [v6]:PORT} for IPv6). */
    record HostPort(String host, int port) {
        static HostPort parse(String text) throws CliException {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new CliException(ExitCode.USAGE, "--tor-control wants HOST:PORT, e.g. 127.0.0.1:9051");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535 || host.isEmpty()) {
                throw new CliException(ExitCode.USAGE, "--tor-control wants HOST:PORT with a port from 1 to 65535");
            }
            return new HostPort(host, port);
        }
    }
}
