package org.allium.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.allium.protocol.IdentityKeyPair;

/**
 * {@link ReadOnlyProfileTest}'s child, in a mount namespace of its own with {@code args[0]} a
 * tmpfs: a profile is made there with the command line, the file system is remounted
 * read-only, and the command line is used again. Prints {@code OK}; a failed check throws.
 */
public final class ReadOnlyProfileChild {
    private ReadOnlyProfileChild() {
    }

    public static void main(String[] args) {
        ChildMain.run(args, ReadOnlyProfileChild::run); // exits 1 at once on a failure
    }

    private static void run(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path mount = Path.of(args[0]);
        String profile = mount.resolve("p").toString();
        CliRunner cli = new CliRunner(Engine.real()).env(Passphrases.ENV, "read-only test passphrase");
        check(cli.run("--profile", profile, "init").exit() == 0, "init");
        CliRunner.Result r = cli.run("--profile", profile, "add", address(), "--nickname", "Bob", "--wait", "0");
        check(r.exit() == 0, "add: " + r);
        Process remount = new ProcessBuilder("mount", "-o", "remount,ro", mount.toString()).inheritIO().start();
        check(remount.waitFor() == 0, "remount read-only");

        r = cli.run("--profile", profile, "requests");
        check(r.exit() == 0 && r.out().contains("Bob"), "requests on a read-only profile: " + r);
        r = cli.run("--profile", profile, "history", "Bob");
        check(r.exit() == 0, "history on a read-only profile: " + r);
        r = cli.run("--profile", profile, "id");
        check(r.exit() == 0, "id on a read-only profile: " + r);
        r = cli.run("--profile", profile, "add", address(), "--wait", "0");
        check(r.exit() == ExitCode.READ_ONLY.code() && r.err().contains("read-only"), "a change: " + r);
        r = cli.run("--profile", profile, "run");
        check(r.exit() == ExitCode.READ_ONLY.code() && r.err().contains("read-only"), "run: " + r);
        out.println("OK");
    }

    private static String address() {
        return IdentityKeyPair.generate(new SecureRandom()).address().toAlliumUri();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
