package org.allium.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

import org.allium.core.api.Identity;
import org.allium.core.api.MessengerException;
import org.allium.core.api.Profile;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Commands on the profile itself: init, passwd, wipe. They never go through a daemon. */
final class ProfileCommands {

    private ProfileCommands() {
    }

    /** Refuses when a daemon runs on the profile. */
    static void requireNoDaemon(Path dir, CliContext ctx, String what) throws CliException {
        Path socket = SocketPaths.forProfileOrNull(dir, ctx.env());
        if (socket != null && ControlClient.isLive(socket)) {
            throw new CliException(ExitCode.PROFILE_IN_USE, "profile in use: a daemon runs on it; stop it before " + what);
        }
    }

    @Command(name = "init", description = "Create a new profile with a fresh identity.")
    static final class Init implements Callable<Integer> {
        @ParentCommand
        AlliumCommand top;

        @Option(names = "--nickname", paramLabel = "NAME", description = "The nickname to offer in contact requests.")
        String nickname;

        @Override
        public Integer call() throws CliException {
            CliContext ctx = top.ctx;
            Path dir = Target.profileDir(top.global, ctx);
            requireNoDaemon(dir, ctx, "creating a profile");
            if (ctx.engine().profiles().exists(dir)) {
                throw new CliException(ExitCode.PROFILE_EXISTS, "a profile already exists in " + dir);
            }
            char[] pass = new Passphrases(ctx, top.global.passphraseFd).fresh(Passphrases.ENV);
            try (Profile p = ctx.engine().profiles().create(dir, pass, nickname)) {
                if (top.global.hasTorOptions()) {
                    TorConfig.effective(p, top.global, ctx);
                }
                Identity id = p.identity();
                if (top.global.json) {
                    ctx.out().println(Json.write(JsonView.identity(id)));
                } else {
                    ctx.out().println("created a profile in " + dir);
                    ctx.out().println(id.link());
                    ctx.out().println("fingerprint: " + id.fingerprint());
                }
                return ExitCode.OK.code();
            } catch (MessengerException e) {
                throw Errors.map(e);
            } finally {
                Arrays.fill(pass, '\0');
            }
        }
    }

    @Command(name = "passwd", description = "Change the profile's passphrase (the profile must not be open).")
    static final class Passwd implements Callable<Integer> {
        @ParentCommand
        AlliumCommand top;

        @Override
        public Integer call() throws CliException {
            CliContext ctx = top.ctx;
            Path dir = Target.profileDir(top.global, ctx);
            requireNoDaemon(dir, ctx, "changing its passphrase");
            Passphrases source = new Passphrases(ctx, top.global.passphraseFd);
            char[] old = source.existing();
            char[] fresh = null;
            try {
                fresh = source.fresh(Passphrases.ENV_NEW);
                ctx.engine().profiles().changePassphrase(dir, old, fresh);
                ctx.out().println("passphrase changed");
                return ExitCode.OK.code();
            } catch (MessengerException e) {
                throw Errors.map(e);
            } finally {
                Arrays.fill(old, '\0');
                if (fresh != null) {
                    Arrays.fill(fresh, '\0');
                }
            }
        }
    }

    @Command(name = "wipe", description = "Delete the profile for good: identity, contacts, history.")
    static final class Wipe implements Callable<Integer> {
        @ParentCommand
        AlliumCommand top;

        @Option(names = "--yes", description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        public Integer call() throws CliException {
            CliContext ctx = top.ctx;
            Path dir = Target.profileDir(top.global, ctx);
            requireNoDaemon(dir, ctx, "wiping it");
            if (!ctx.engine().profiles().exists(dir)) {
                throw new CliException(ExitCode.NO_PROFILE, "no profile in " + dir);
            }
            if (!yes) {
                if (ctx.prompt() == null) {
                    throw new CliException(ExitCode.USAGE, "wipe needs --yes when not run in a terminal");
                }
                char[] answer = ctx.prompt().read("This deletes the profile in " + dir
                        + " and cannot be undone. Type \"wipe\" to go on: ");
                if (answer == null || !new String(answer).trim().equals("wipe")) {
                    throw new CliException(ExitCode.USAGE, "not wiped");
                }
            }
            try {
                ctx.engine().profiles().wipe(dir);
            } catch (MessengerException e) {
                throw Errors.map(e);
            }
            ctx.out().println("wiped " + dir);
            return ExitCode.OK.code();
        }
    }
}
