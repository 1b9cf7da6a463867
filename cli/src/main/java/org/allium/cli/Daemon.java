package org.allium.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.allium.core.api.Messenger;
import org.allium.core.api.Profile;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Subscription;

/**
 * The running daemon of one open profile: the messenger, its event stream on standard
 * output, and the control socket. Thread-safe. Lifecycle: {@link #runUntilStopped()} once;
 * {@link #stopAndAwait} from any thread (control request, shutdown hook) is idempotent.
 */
final class Daemon {

    private static final Logger LOG = Logger.getLogger(Daemon.class.getName());
    /** Lines queued for standard output before events are dropped (and counted). */
    static final int STDOUT_CAPACITY = 10_000;
    /** Lines queued for one socket subscriber before it is cut off as too slow. */
    static final int SUBSCRIBER_CAPACITY = 2_000;

    private final Messenger messenger;
    private final Path socket;
    private final boolean redact;
    private final Clock clock;
    private final ThreadFactory threads;
    private final LineSink stdout;
    private final EventWaiter waiter;
    private final Operations ops;
    private final ControlServer server;
    /** Subscriber sinks, safe to iterate from the core event thread. */
    private final CopyOnWriteArraySet<LineSink> subscribers = new CopyOnWriteArraySet<>();
    private final AtomicLong dropped = new AtomicLong();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object stateLock = new Object();
    private ExitCode exit = ExitCode.OK;
    private String stopReason = "";
    private boolean stopping;

    Daemon(Messenger messenger, Profile profile, Path socket, PrintStream out, boolean redact, Clock clock) {
        this.messenger = messenger;
        this.socket = socket;
        this.redact = redact;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.threads = r -> {
            Thread t = new Thread(r, "allium-daemon-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.stdout = new LineSink(out, STDOUT_CAPACITY, r -> {
            Thread t = new Thread(r, "allium-daemon-stdout");
            t.setDaemon(true);
            return t;
        });
        this.waiter = new EventWaiter(messenger);
        this.ops = new Operations(messenger, profile, waiter, () -> { });
        this.server = new ControlServer(socket, this::handle, threads);
    }

    String stopReason() {
        synchronized (stateLock) {
            return stopReason;
        }
    }

    /** Starts everything, blocks until a stop is requested, then stops everything. */
    ExitCode runUntilStopped() throws CliException, InterruptedException {
        Subscription sub = messenger.subscribe(this::onEvent);
        // Each part the engine may lack (a messenger without groups, files or a drop line).
        Subscription groupSub = ifSupported(() -> messenger.groups().subscribe(this::onGroupEvent));
        Subscription fileSub = ifSupported(() -> messenger.files().subscribe(
                e -> broadcast(FileOperations.event(e, clock.instant(), redact),
                        () -> FileOperations.event(e, clock.instant(), false))));
        // Drop line events carry numbers only: nothing to redact.
        Subscription dropSub = ifSupported(() -> messenger.dropLine().subscribe(
                e -> broadcast(DropOperations.event(e, clock.instant()), () -> DropOperations.event(e, clock.instant()))));
        try {
            server.start();
            emit(RunCommand.info("daemon_started", clock, "socket", socket.toString(),
                    "pid", ProcessHandle.current().pid(),
                    "link", redact ? null : messenger.myIdentity().link()));
            messenger.start();
            stopRequested.await();
        } finally {
            groupSub.close();
            fileSub.close();
            dropSub.close();
            shutdown(sub);
        }
        synchronized (stateLock) {
            return exit;
        }
    }

    private void onEvent(MessengerEvent e) {
        // On the core event thread: only queue lines, never block.
        if (Operations.isTorMissing(e)) {
            requestStop(ExitCode.TOR_MISSING, ((MessengerEvent.TorProblem) e).message());
        }
        broadcast(JsonView.event(e, clock.instant(), redact), () -> JsonView.event(e, clock.instant(), false));
    }

    /** {@code subscribe}'s subscription, or one that does nothing if the engine lacks that part. */
    private static Subscription ifSupported(java.util.function.Supplier<Subscription> subscribe) {
        try {
            return subscribe.get();
        } catch (UnsupportedOperationException e) {
            return () -> { };
        }
    }

    private void onGroupEvent(org.allium.core.groups.GroupEvent e) {
        broadcast(GroupOperations.event(e, clock.instant(), redact),
                () -> GroupOperations.event(e, clock.instant(), false));
    }

    /** One event: the (maybe redacted) line on stdout, the full line to each socket subscriber. */
    private void broadcast(Map<String, Object> line, java.util.function.Supplier<Map<String, Object>> fullLine) {
        emit(line);
        if (!subscribers.isEmpty()) {
            String full = Json.write(fullLine.get());
            for (LineSink s : subscribers) {
                if (!s.offer(full)) {
                    // Too slow or gone: cut it off rather than buffer without bound.
                    subscribers.remove(s);
                }
            }
        }
    }

    private void emit(Map<String, Object> line) {
        long lost = dropped.get();
        if (lost > 0 && stdout.offer(Json.write(RunCommand.info("events_lost", clock, "count", lost)))) {
            dropped.addAndGet(-lost);
        }
        if (!stdout.offer(Json.write(line))) {
            dropped.incrementAndGet();
        }
    }

    private Map<String, Object> handle(String cmd, Args args, ControlServer.Connection conn)
            throws CliException, InterruptedException {
        switch (cmd) {
            case "subscribe": {
                LineSink sink = new LineSink(conn.output(), SUBSCRIBER_CAPACITY, threads);
                conn.becomeSubscriber(sink, () -> subscribers.add(sink), () -> subscribers.remove(sink));
                return new LinkedHashMap<>();
            }
            case "stop":
                conn.afterResponse(() -> requestStop(ExitCode.OK, "stop requested on the control socket"));
                return new LinkedHashMap<>();
            default:
                return ops.call(cmd, args);
        }
    }

    private void requestStop(ExitCode code, String reason) {
        synchronized (stateLock) {
            if (stopRequested.getCount() == 0) {
                return;
            }
            exit = code;
            stopReason = reason;
        }
        stopRequested.countDown();
    }

    /** Asks the daemon to stop and waits up to {@code millis} for it. Idempotent. */
    void stopAndAwait(long millis) {
        requestStop(ExitCode.OK, "stopped by a signal");
        try {
            stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdown(Subscription sub) {
        synchronized (stateLock) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        try {
            // Reverse order of start: messenger (its last event, Stopped, still goes out),
            // subscribers, socket, then the output.
            try {
                messenger.stop();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stopping the messenger failed: {0}", e.getClass().getName());
            }
            sub.close();
            waiter.close();
            for (LineSink s : subscribers) {
                s.close();
            }
            subscribers.clear();
            server.close();
            emit(RunCommand.info("daemon_stopped", clock, "reason", stopReason()));
            stdout.close();
        } finally {
            stopped.countDown();
        }
    }
}
