package org.allium.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.allium.protocol.IdentityKeyPair;

/**
 * {@link DiskFullDaemonTest}'s child, in a mount namespace of its own where {@code args[0]}
 * is a small tmpfs: the real daemon ({@code allium run}, real store, tor unreachable) keeps
 * its profile there while the disk fills and empties. Prints {@code STEP …} lines and
 * {@code OK}; a failed check ends it with an exception.
 */
public final class DiskFullDaemonChild {
    private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
            true, StandardCharsets.UTF_8);

    private DiskFullDaemonChild() {
    }

    public static void main(String[] args) {
        ChildMain.run(args, DiskFullDaemonChild::run); // exits 1 at once on a failure
    }

    private static void run(String[] args) throws Exception {
        Path mount = Path.of(args[0]);
        String profile = mount.resolve("p").toString();
        Path ballast = mount.resolve("ballast");
        CliRunner cli = new CliRunner(Engine.real()).env(Passphrases.ENV, "disk full test passphrase");
        check(cli.run("--profile", profile, "init").exit() == 0, "init");

        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        PipedInputStream pin = new PipedInputStream(1 << 16);
        PrintStream out = new PrintStream(new PipedOutputStream(pin), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(pin, StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    events.add(l);
                }
            } catch (IOException ignored) {
                // the daemon closed its output
            }
        });
        reader.setDaemon(true);
        reader.start();
        // No tor to be had (a closed control port): the store side works regardless.
        CompletableFuture<Integer> daemon = CompletableFuture.supplyAsync(() -> Main.run(
                new String[] {"--profile", profile, "--tor-control", "127.0.0.1:9", "run"},
                cli.context(out, System.err)));
        awaitEvent(events, "\"daemon_started\"");
        Path socket = SocketPaths.forProfile(Path.of(profile), cli.env);

        check(cli.run("--profile", profile, "add", address(), "--wait", "0").exit() == 0, "add with room");
        long free = Files.getFileStore(mount).getUsableSpace();
        fill(ballast, free - 2_000_000);
        CliRunner.Result r = cli.run("--profile", profile, "add", address(), "--wait", "0");
        check(r.exit() == ExitCode.DISK_FULL.code() && r.err().contains("disk full: ")
                && r.err().contains(" MB needed"), "add on a full disk: " + r);
        String full = awaitEvent(events, "\"disk_full\"");
        check(full.contains("\"needed_mb\":") && full.contains("disk full: "), full);
        Map<String, Object> status = status(socket);
        check("disk_full".equals(status.get("storage")) && ((Number) status.get("needed_mb")).longValue() > 0,
                "status: " + status);
        r = cli.run("--profile", profile, "requests");
        check(r.exit() == 0, "reading works: " + r);
        OUT.println("STEP refused with exit 15, event and status");

        Files.delete(ballast);
        awaitEvent(events, "\"disk_space_restored\"");
        status = status(socket);
        check("ok".equals(status.get("storage")), "status: " + status);
        r = cli.run("--profile", profile, "add", address(), "--wait", "0");
        check(r.exit() == 0, "add once there is room: " + r);
        OUT.println("STEP resumed without a restart");

        try (ControlClient c = ControlClient.connectIfRunning(socket)) {
            c.call("stop", Map.of());
        }
        check(daemon.get(60, TimeUnit.SECONDS) == 0, "daemon exit");
        OUT.println("OK");
        System.exit(0);
    }

    private static Map<String, Object> status(Path socket) throws CliException {
        try (ControlClient c = ControlClient.connectIfRunning(socket)) {
            check(c != null, "daemon socket");
            return c.call("status", Map.of());
        }
    }

    private static String address() {
        return IdentityKeyPair.generate(new SecureRandom()).address().toAlliumUri();
    }

    private static String awaitEvent(LinkedBlockingQueue<String> events, String type) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            String l = events.poll(1, TimeUnit.SECONDS);
            if (l != null && l.contains("\"type\":" + type)) {
                return l;
            }
        }
        throw new AssertionError("no " + type + " event within 60 s");
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] b = new byte[64 * 1024];
        long written = 0;
        try (OutputStream o = Files.newOutputStream(file)) {
            while (written < bytes) {
                int n = (int) Math.min(b.length, bytes - written);
                o.write(b, 0, n);
                written += n;
            }
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
