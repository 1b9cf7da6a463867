package org.allium.core;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.MessengerEvent.TorProblem.Kind;
import org.allium.tor.api.BootstrapStatus;
import org.allium.tor.api.Tor;
import org.allium.tor.api.TorException;
import org.allium.tor.api.TorNotFoundException;
import org.allium.tor.api.TorObserver;

/**
 * Keeps one tor running: starts it, reports bootstrap progress, and when it dies restarts
 * it with backoff and tells its listener to republish and reconnect. All tor commands run
 * on the single {@code torThread} (they block), so publishing and restarting never race.
 */
final class TorSupervisor implements TorObserver {
    private static final Logger LOG = Logger.getLogger(TorSupervisor.class.getName());

    /** Called on the tor thread. */
    interface Listener {
        /** Tor is bootstrapped (first time or after a restart): publish, add credentials, dial. */
        void onTorReady(Tor tor);

        /** Tor went away; every session through it is dead or about to be. */
        void onTorLost();
    }

    private final TorFactory factory;
    private final Timings timings;
    private final ScheduledExecutorService torThread;
    private final EventBus bus;
    private final Listener listener;
    private final Backoff restartBackoff;

    // Guarded by this.
    private Tor tor;
    private boolean ready;
    private boolean stopping;
    private int lastPercent = -1;
    /** The tor thread while it runs a command task (not a launch), so a tor death can unblock it. */
    private volatile Thread commandThread;

    TorSupervisor(TorFactory factory, Timings timings, ScheduledExecutorService torThread, EventBus bus,
                  Listener listener) {
        this.factory = factory;
        this.timings = timings;
        this.torThread = torThread;
        this.bus = bus;
        this.listener = listener;
        this.restartBackoff = new Backoff(timings.torRestartBase(), timings.torRestartCap(), new Random());
    }

    /** Non-blocking: the launch runs on the tor thread. */
    void start() {
        torThread.execute(this::launch);
    }

    /** The tor, if it is bootstrapped now; else null. Non-blocking. */
    synchronized Tor readyTor() {
        return ready ? tor : null;
    }

    /**
     * Runs {@code task} on the tor thread (where every tor command belongs). If tor dies
     * while the task waits for a reply, the thread is interrupted: a control command to a
     * dead tor may otherwise never return.
     */
    void onTorThread(Runnable task) {
        try {
            torThread.execute(() -> {
                commandThread = Thread.currentThread();
                try {
                    task.run();
                } finally {
                    commandThread = null;
                    Thread.interrupted(); // an interrupt aimed at this task must not hit the next one
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.fine("tor task after stop dropped");
        }
    }

    private void launch() {
        Tor t;
        synchronized (this) {
            if (stopping) {
                return;
            }
            t = tor;
        }
        try {
            if (t == null) {
                t = factory.create();
                t.addObserver(this);
                synchronized (this) {
                    tor = t;
                }
            }
            t.start();
            t.enableNetwork();
            t.awaitBootstrapped(timings.bootstrapTimeout());
        } catch (TorNotFoundException e) {
            bus.publish(new MessengerEvent.TorProblem(Kind.TOR_MISSING, e.getMessage()));
            return; // no binary will appear by retrying
        } catch (TorException e) {
            LOG.log(Level.WARNING, "tor did not start: " + e.getMessage());
            boolean stuck = e.getMessage() != null && e.getMessage().toLowerCase().contains("bootstrap");
            bus.publish(new MessengerEvent.TorProblem(stuck ? Kind.BOOTSTRAP_STUCK : Kind.START_FAILED,
                    "Tor could not start: " + e.getMessage()));
            stopQuietly(t);
            scheduleRestart();
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (this) {
            if (stopping) {
                return;
            }
            ready = true;
        }
        restartBackoff.reset();
        LOG.info("tor ready");
        listener.onTorReady(t);
    }

    private void scheduleRestart() {
        synchronized (this) {
            if (stopping) {
                return;
            }
        }
        Duration d = restartBackoff.next();
        LOG.info("restarting tor in " + d.toMillis() + " ms");
        try {
            torThread.schedule(this::launch, d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.fine("restart after stop dropped");
        }
    }

    private static void stopQuietly(Tor t) {
        if (t == null) {
            return;
        }
        try {
            t.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onBootstrap(BootstrapStatus status) {
        synchronized (this) {
            if (status.percent() == lastPercent) {
                return;
            }
            lastPercent = status.percent();
        }
        bus.publish(new MessengerEvent.TorProgress(status.percent(), status.tag(), status.summary()));
    }

    @Override
    public void onTorExited(int exitCode, List<String> lastLogLines) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            ready = false;
            lastPercent = -1;
        }
        LOG.warning("tor exited (status " + exitCode + "); restarting");
        Thread stuck = commandThread;
        if (stuck != null) {
            stuck.interrupt();
        }
        bus.publish(new MessengerEvent.TorProblem(Kind.TOR_EXITED,
                "Tor stopped unexpectedly; Allium is restarting it."));
        onTorThread(() -> {
            listener.onTorLost();
            scheduleRestart();
        });
    }

    /** Stops tor; blocks until it is down. Call from any thread but the tor thread. */
    void stop() {
        Tor t;
        synchronized (this) {
            stopping = true;
            ready = false;
            t = tor;
        }
        stopQuietly(t);
    }
}
