package org.allium.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerException;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;

/**
 * What a one-shot command runs its operation against: the running daemon of the profile
 * (through its control socket; no passphrase needed) or, when none runs, the profile opened
 * by this process for the duration of the command. Not thread-safe; close it once.
 */
abstract class Target implements AutoCloseable {

    /** Runs one control-protocol operation and returns its result object. */
    abstract Map<String, Object> call(String cmd, Map<String, Object> args) throws CliException, InterruptedException;

    /** Whether a daemon serves this command. */
    abstract boolean viaDaemon();

    @Override
    public abstract void close();

    /** The profile directory the options name. */
    static Path profileDir(GlobalOptions g, CliContext ctx) {
        if (g.profile != null) {
            return g.profile.toAbsolutePath().normalize();
        }
        String env = ctx.env("ALLIUM_PROFILE");
        if (env != null && !env.isEmpty()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return ctx.engine().profiles().defaultDirectory().toAbsolutePath().normalize();
    }

    /** Connects to the profile's daemon if one runs, else opens the profile here. */
    static Target open(GlobalOptions g, CliContext ctx) throws CliException {
        Path dir = profileDir(g, ctx);
        Path socket = SocketPaths.forProfileOrNull(dir, ctx.env());
        ControlClient client = socket == null ? null : ControlClient.connectIfRunning(socket);
        if (client != null) {
            return new Daemon(client);
        }
        return Local.open(dir, g, ctx);
    }

    /** Opens the profile in {@code dir} with the passphrase from the usual sources. */
    static Profile openProfile(Path dir, GlobalOptions g, CliContext ctx) throws CliException {
        char[] pass = new Passphrases(ctx, g.passphraseFd).existing();
        try {
            return ctx.engine().profiles().open(dir, pass);
        } catch (MessengerException e) {
            throw Errors.map(e);
        } finally {
            Arrays.fill(pass, '\0');
        }
    }

    private static final class Daemon extends Target {
        private final ControlClient client;

        Daemon(ControlClient client) {
            this.client = client;
        }

        @Override
        Map<String, Object> call(String cmd, Map<String, Object> args) throws CliException {
            return client.call(cmd, args);
        }

        @Override
        boolean viaDaemon() {
            return true;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static final class Local extends Target {
        private final Profile profile;
        private final TorSettings tor;
        private final CliContext ctx;
        private Messenger messenger;
        private EventWaiter waiter;
        private boolean started;

        private Local(Profile profile, TorSettings tor, CliContext ctx) {
            this.profile = profile;
            this.tor = tor;
            this.ctx = ctx;
        }

        static Local open(Path dir, GlobalOptions g, CliContext ctx) throws CliException {
            Profile profile = openProfile(dir, g, ctx);
            try {
                return new Local(profile, TorConfig.effective(profile, g, ctx), ctx);
            } catch (CliException | RuntimeException e) {
                profile.close();
                throw e;
            }
        }

        @Override
        Map<String, Object> call(String cmd, Map<String, Object> args) throws CliException, InterruptedException {
            if (messenger == null) {
                messenger = ctx.engine().create(profile, tor);
                waiter = new EventWaiter(messenger);
            }
            return new Operations(messenger, profile, waiter, this::startOnce).call(cmd, new Args(args));
        }

        /** Starts tor only when an operation has to wait for the other side. */
        private void startOnce() {
            if (!started) {
                started = true;
                messenger.start();
            }
        }

        @Override
        boolean viaDaemon() {
            return false;
        }

        @Override
        public void close() {
            // Reverse order of opening: messenger, then the profile it uses.
            if (waiter != null) {
                waiter.close();
            }
            if (messenger != null && started) {
                messenger.stop();
            }
            profile.close();
        }
    }
}
