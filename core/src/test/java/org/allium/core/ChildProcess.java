package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.allium.contacts.api.KdfParams;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;

/**
 * A messenger in a child JVM, which a test can kill -9 and start again on the same profile
 * (the crash ITs' {@link ChildMessenger}, {@link GroupChild}, {@link FileChild}), and the line
 * protocol both sides share: the child prints {@code READY} once its messenger is ready and
 * {@code STOPPED} after it stopped, reads commands on stdin until {@code stop}, and exits 1 with
 * its stack trace when anything throws.
 *
 * <p>The parent side ({@link #start}) keeps every line the child prints on stdout and appends
 * its stderr to a log file the test reads. Its methods are thread-safe (a test may kill the
 * child from another thread's callback); those that wait give up after {@link Node#LONG}, or as
 * soon as the child has ended without what they wait for.
 */
public final class ChildProcess {
    static final String READY = "READY";
    private static final String STOP = "stop";
    private static final Duration LONG = Node.LONG;

    private final Class<?> main;
    private final Process process;
    private final Path stderr;
    private final Writer stdin;
    private final Thread reader;
    /** Every stdout line so far; guarded by itself, notified on each line and at the end. */
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    private ChildProcess(Class<?> main, Process process, Path stderr) {
        this.main = main;
        this.process = process;
        this.stderr = stderr;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(this::read, "child-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main} of this classpath in a JVM of its own, its stderr appended to {@code stderr}. */
    static ChildProcess start(Class<?> main, List<String> args, Path stderr) throws IOException {
        return start(main, args, stderr, Map.of());
    }

    /** As {@link #start(Class, List, Path)}, with {@code env} added to the child's environment. */
    static ChildProcess start(Class<?> main, List<String> args, Path stderr, Map<String, String> env)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        pb.environment().putAll(env);
        return new ChildProcess(main, pb.start(), stderr);
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(l);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // killed mid-line: the complete lines so far count
        } finally {
            synchronized (lines) {
                ended = true;
                lines.notifyAll();
            }
        }
    }

    Process process() {
        return process;
    }

    /** The stdout lines so far. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The stdout lines so far that start with {@code prefix}, without it. */
    List<String> after(String prefix) {
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
        }
    }

    /** Waits until {@code ok} holds; it is checked on each new line, and at least every 200 ms. */
    void await(String what, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        synchronized (lines) {
            while (!ok.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    throw new AssertionError(describe(what + (ended ? ": the child ended" : ": not within " + LONG)));
                }
                lines.wait(Math.min(200, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    /** Waits for a stdout line that {@code p} accepts and returns the first. */
    String awaitLine(String what, Predicate<String> p) throws InterruptedException {
        String[] found = new String[1];
        await(what, () -> {
            found[0] = lines().stream().filter(p).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    /** Waits until the child's messenger is ready. */
    void awaitReady() throws InterruptedException {
        awaitLine("ready", READY::equals);
    }

    /** Writes one command line to the child's stdin. */
    void send(String line) throws IOException {
        synchronized (stdin) {
            stdin.write(line + "\n");
            stdin.flush();
        }
    }

    /** SIGKILL, returning at once. */
    void kill() {
        process.destroyForcibly();
    }

    /** SIGKILL; returns once the child is dead and every line it printed has been read. */
    void killHard() throws InterruptedException {
        kill();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child died");
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }

    /** Asks the child to stop and waits until it has. */
    void stop() throws Exception {
        send(STOP);
        stdin.close();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child stopped");
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }

    /** For a {@code finally}: stops the child if it still runs, kills it if it does not stop in time. */
    void stopQuietly() throws InterruptedException {
        try {
            send(STOP);
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private String describe(String what) {
        StringBuilder s = new StringBuilder("child ").append(main.getSimpleName()).append(": ").append(what);
        if (!process.isAlive()) {
            s.append(" (exit ").append(process.exitValue()).append(')');
        }
        List<String> out = lines();
        s.append("; last lines ").append(out.subList(Math.max(0, out.size() - 5), out.size()));
        return s.append(stderrTail(stderr, 30)).toString();
    }

    /** For a failure message: the last {@code count} lines of the children's stderr log. */
    static String stderrTail(Path log, int count) {
        try {
            List<String> err = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\n--- child stderr, last lines ---\n"
                    + String.join("\n", err.subList(Math.max(0, err.size() - count), err.size()));
        } catch (IOException e) {
            return ", no child log: " + e.getMessage();
        }
    }

    // ---- the child's side ----

    /** What a child's main does, given its arguments. */
    public interface Body {
        void run(String[] args) throws Exception;
    }

    /**
     * Runs a child's {@code body}, then exits 0. When it throws, logs it with its stack trace on stderr
     * (the parent's log) and exits 1 at once: the engines' threads are not daemons, so the JVM
     * would otherwise go on until the parent's timeout.
     */
    public static void run(String[] args, Body body) {
        try {
            body.run(args);
        } catch (Throwable t) {
            Logger.getLogger(ChildProcess.class.getName()).log(Level.SEVERE, "the child failed", t);
            System.exit(1);
        }
        System.exit(0);
    }

    /** The test profile in {@code dir}, opened. */
    static Profile openProfile(Path dir) throws Exception {
        return ProfilesImpl.create(Executors.newSingleThreadExecutor(), KdfParams.FAST_INSECURE_FOR_TESTS)
                .open(dir, Node.PASS);
    }

    /** A command a child takes on stdin (any line but {@code stop}). */
    interface Command {
        void run(String line) throws Exception;
    }

    /**
     * Starts {@code m}, printing {@code READY} once it is ready, hands every stdin line to
     * {@code commands} until {@code stop} (or the end of stdin), then stops {@code m}, closes
     * {@code profile} and prints {@code STOPPED}. Blocks until then.
     */
    static void serve(MessengerImpl m, Profile profile, Command commands) throws Exception {
        m.subscribe(e -> {
            if (e instanceof MessengerEvent.Ready) {
                out(READY);
            }
        });
        m.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String l; (l = in.readLine()) != null && !l.equals(STOP); ) {
            commands.run(l);
        }
        m.stop();
        profile.close();
        out("STOPPED");
    }

    /** Prints one line on stdout for the parent, whole. */
    static synchronized void out(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
