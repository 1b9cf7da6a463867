package org.allium.tor;

import org.allium.tor.api.ServiceId;
import org.allium.tor.api.SocksException;
import org.allium.tor.api.SocksFailure;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.Tor;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Dialling with retry and backoff, as every caller must: right after a descriptor upload a
 * dial can still get F0 because the directory asked does not have it yet (TESTNET.md).
 */
final class Dialling {
    private Dialling() {}

    /** One attempt's result: a socket or a failure reason. */
    record Outcome(Socket socket, SocksFailure failure) {
        boolean connected() {
            return socket != null;
        }
    }

    static Outcome once(Tor tor, ServiceId id, int port, StreamIsolation iso) throws Exception {
        try {
            return new Outcome(tor.dial(id, port, iso, Duration.ofSeconds(60)), null);
        } catch (SocksException e) {
            return new Outcome(null, e.reason());
        }
    }

    /**
     * Dials until {@code done} accepts an outcome, backing off 0.5 s → 4 s between tries.
     * Returns the accepted outcome; fails with every reason seen if the deadline passes.
     */
    static Outcome until(Tor tor, ServiceId id, int port, StreamIsolation iso, Duration deadline,
                         Predicate<Outcome> done) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        long backoff = 500;
        List<SocksFailure> seen = new ArrayList<>();
        while (true) {
            Outcome o = once(tor, id, port, iso);
            if (done.test(o)) return o;
            seen.add(o.failure());
            if (o.socket() != null) closeQuietly(o.socket());
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("no acceptable outcome within " + deadline.toSeconds() + " s; saw " + seen);
            }
            Thread.sleep(backoff); // retry backoff, the behaviour under test, not a wait for a condition
            backoff = Math.min(backoff * 2, 4000);
        }
    }

    static Socket connect(Tor tor, ServiceId id, int port, StreamIsolation iso, Duration deadline) throws Exception {
        return until(tor, id, port, iso, deadline, Outcome::connected).socket();
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // test clean-up
        }
    }
}
