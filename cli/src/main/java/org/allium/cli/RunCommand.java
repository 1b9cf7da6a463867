package org.allium.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.allium.core.api.Messenger;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code allium run}: the headless daemon. Keeps the profile online, writes events as JSON
 * lines on standard output and serves the control socket until stopped (SIGTERM/SIGINT, or
 * {@code {"cmd":"stop"}} on the socket).
 */
@Command(name = "run", description = {"Run the profile as a headless daemon: stay online, print events as JSON lines "
        + "on standard output, and take commands on the profile's control socket (cli/README.md).",
        "While it runs, the other commands (send, contacts, …) on this profile go through it."})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    AlliumCommand top;

    @Option(names = "--redact", description = "Leave nicknames, links, fingerprints and message texts out of the "
            + "events on standard output (e.g. when they go to a system journal). Socket subscribers still get them.")
    boolean redact;

    @Override
    public Integer call() throws CliException, InterruptedException {
        CliContext ctx = top.ctx;
        Path dir = Target.profileDir(top.global, ctx);
        Path socket = SocketPaths.forProfile(dir, ctx.env());
        if (ControlClient.isLive(socket)) {
            throw new CliException(ExitCode.PROFILE_IN_USE, "profile in use: a daemon already runs on it");
        }
        Profile profile = Target.openProfile(dir, top.global, ctx);
        Daemon daemon = null;
        try {
            if (profile.readOnly()) {
                throw new CliException(ExitCode.READ_ONLY, "cannot run: the profile is read-only (read-only media, or"
                        + " no permission to write its files); reading commands such as 'history' work without 'run'");
            }
            TorSettings tor = TorConfig.effective(profile, top.global, ctx);
            Messenger messenger = ctx.engine().create(profile, tor);
            daemon = new Daemon(messenger, profile, socket, ctx.out(), redact, Clock.systemUTC());
            Daemon d = daemon;
            Thread hook = null;
            if (ctx.processLevel()) {
                hook = new Thread(() -> d.stopAndAwait(30_000), "allium-run-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
            }
            ExitCode code = daemon.runUntilStopped();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is already running the shutdown.
                }
            }
            if (code == ExitCode.TOR_MISSING) {
                throw new CliException(code, "tor missing: " + daemon.stopReason());
            }
            return code.code();
        } finally {
            if (daemon != null) {
                daemon.stopAndAwait(30_000);
            }
            profile.close();
        }
    }

    static Map<String, Object> info(String type, Clock clock, Object... kv) {
        Map<String, Object> m = JsonView.header(type, clock.instant());
        Map<String, Object> rest = new LinkedHashMap<>(Commands.map(kv));
        m.putAll(rest);
        return m;
    }
}
