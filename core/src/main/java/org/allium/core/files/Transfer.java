package org.allium.core.files;

import java.nio.file.Path;
import java.util.concurrent.ScheduledFuture;
import org.allium.contacts.api.FileRecord;

/** The engine's live state of one transfer. Guarded by itself. */
final class Transfer {
    FileRecord rec;
    /** Verified (incoming) or confirmed (outgoing) bytes; -1 until known. */
    long done = -1;
    /** Incoming: chunks verified and stored, once scanned from the store; null until then. */
    java.util.BitSet have;
    /** Where to export when complete (incoming, accepted with a directory). */
    Path saveTo;
    /** The stream carrying it now, if any. */
    FileLink link;
    /** A download attempt is running (incoming). */
    boolean running;
    /** When the running download last received anything (nanoTime; written by it without the lock). */
    volatile long lastInputNanos;
    /** The running download's stream was closed as stale: start the next attempt at once. */
    boolean redialNow;
    ScheduledFuture<?> retry;
    int failures;
    int badChunks;
    // rate and event limiting
    long lastEventNanos;
    long windowStartNanos;
    long windowStartBytes;
    long rate;

    Transfer(FileRecord rec) {
        this.rec = rec;
    }

    /** Updates the rate estimate (bytes per second over the last ~2 s). */
    void measure(long now) {
        if (windowStartNanos == 0) {
            windowStartNanos = now;
            windowStartBytes = Math.max(0, done);
            return;
        }
        long dt = now - windowStartNanos;
        if (dt >= 1_000_000_000L) {
            long r = (Math.max(0, done) - windowStartBytes) * 1_000_000_000L / dt;
            rate = rate == 0 ? r : (rate + r) / 2;
            windowStartNanos = now;
            windowStartBytes = Math.max(0, done);
        }
    }

    void idle() {
        rate = 0;
        windowStartNanos = 0;
    }
}
