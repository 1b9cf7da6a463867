package org.allium.core;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.allium.contacts.api.DiskFullException;
import org.allium.contacts.api.Profile;
import org.allium.core.api.MessengerEvent;

/**
 * Follows the profile's disk after the store refused a write for lack of space: publishes
 * {@link MessengerEvent.DiskFull} and {@link MessengerEvent.DiskSpaceRestored}, and while the
 * disk is full asks the store every {@link #POLL} whether there is room again (the store
 * reopens itself if a failed write closed it), so work resumes without a restart.
 * Thread-safe; never blocks its callers (the store is asked on the store thread).
 */
final class DiskWatch {
    static final Duration POLL = Duration.ofSeconds(2);

    private final Profile profile;
    private final EventBus bus;
    private final ScheduledExecutorService timers;
    private final Executor storeThread;
    // Guarded by this.
    private long needed;
    private ScheduledFuture<?> poll;
    private boolean stopped;

    /**
     * @param timers runs only the short task that hands the check to {@code storeThread}
     * @param storeThread may block on the store
     */
    DiskWatch(Profile profile, EventBus bus, ScheduledExecutorService timers, Executor storeThread) {
        this.profile = profile;
        this.bus = bus;
        this.timers = timers;
        this.storeThread = storeThread;
    }

    /** The store says {@code bytesNeeded} more must be free (0: writes work again). */
    void onChange(long bytesNeeded) {
        boolean full = bytesNeeded > 0;
        synchronized (this) {
            boolean was = needed > 0;
            needed = bytesNeeded;
            if (was == full || stopped) {
                return;
            }
            if (full) {
                try {
                    poll = timers.scheduleWithFixedDelay(this::check, POLL.toMillis(), POLL.toMillis(),
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    return; // stopping
                }
            } else if (poll != null) {
                poll.cancel(false);
                poll = null;
            }
        }
        bus.publish(full ? new MessengerEvent.DiskFull(bytesNeeded, DiskFullException.message(bytesNeeded))
                : new MessengerEvent.DiskSpaceRestored());
    }

    /** Bytes still needed, 0 when writes work. */
    synchronized long needed() {
        return needed;
    }

    private void check() {
        try {
            // Once there is room the store publishes DiskSpaceChanged(0), which ends the polling.
            storeThread.execute(profile::checkDiskSpace);
        } catch (RejectedExecutionException e) {
            stop();
        }
    }

    void stop() {
        synchronized (this) {
            stopped = true;
            if (poll != null) {
                poll.cancel(false);
                poll = null;
            }
        }
    }
}
