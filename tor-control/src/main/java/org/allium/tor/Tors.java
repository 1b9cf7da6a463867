package org.allium.tor;

import org.allium.tor.api.ExternalTorSettings;
import org.allium.tor.api.OwnTorSettings;
import org.allium.tor.api.Tor;
import org.allium.tor.api.TorNotFoundException;

import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates {@link Tor}s. The only public class outside the api package. */
public final class Tors {
    private static final ExecutorService DEFAULT_EVENTS = daemonPool("allium-tor-events");
    private static final ExecutorService DEFAULT_IO = daemonPool("allium-tor-io");

    private Tors() {}

    /**
     * Our own tor process.
     *
     * @param eventExecutor runs observer callbacks (serialised by the tor, so a pool is fine)
     * @param ioExecutor    runs one blocking reader per live tor process
     */
    public static Tor own(OwnTorSettings settings, Executor eventExecutor, Executor ioExecutor) {
        return new OwnTor(settings, HostEnvironment.system(), eventExecutor, ioExecutor);
    }

    /** Our own tor process, with shared daemon executors whose idle threads time out. */
    public static Tor own(OwnTorSettings settings) {
        return own(settings, DEFAULT_EVENTS, DEFAULT_IO);
    }

    /** An existing tor reached through its control port. */
    public static Tor external(ExternalTorSettings settings, Executor eventExecutor) {
        return new ExternalTor(settings, eventExecutor);
    }

    public static Tor external(ExternalTorSettings settings) {
        return external(settings, DEFAULT_EVENTS);
    }

    /**
     * Finds the tor binary as {@link #own} would (explicit → {@code ALLIUM_TOR} → PATH →
     * Tor Browser), e.g. for a front end to report it before starting.
     *
     * @param explicit the user's setting, or null
     */
    public static Path findTorBinary(Path explicit) throws TorNotFoundException {
        return new TorBinaryLocator(HostEnvironment.system()).locate(explicit);
    }

    private static ExecutorService daemonPool(String name) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory f = r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), f);
    }
}
