package org.allium.tor;

import org.allium.tor.api.HostPort;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.SocksException;
import org.allium.tor.api.StreamIsolation;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A dial waiting for tor ends when the tor is stopped. An external tor keeps running after we let
 * go of it, and a SOCKS connect to an onion that is offline waits for tor's answer (up to the
 * dial's deadline, a minute): a messenger stopping waited for such a dial's thread, 10 s per
 * messenger (GroupFigures' members). Here tor's SOCKS port accepts and never answers.
 */
class DialStopTest {
    private static final String ID = "vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd";
    /** The dials' own deadline: far beyond what the test waits for them to end. */
    private static final Duration DIAL_DEADLINE = Duration.ofMinutes(10);
    private static final long WAIT_S = 30;

    @Test
    void dialsWaitingForTorEndWhenItStopsAndLaterOnesFailAtOnce() throws Exception {
        ExecutorService events = Executors.newSingleThreadExecutor();
        ExecutorService dialThreads = Executors.newFixedThreadPool(2);
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silentSocks = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = silentSocks.accept(); // read nothing, answer nothing: tor still looking
                        synchronized (accepted) {
                            accepted.add(s);
                            accepted.notifyAll();
                        }
                    }
                } catch (java.io.IOException closed) {
                    // test over
                }
            }, "silent-socks");
            acceptor.setDaemon(true);
            acceptor.start();
            EventsTest.ScriptedTor tor = new EventsTest.ScriptedTor(
                    new EventsTest.Peer(HostPort.loopback(silentSocks.getLocalPort())), events);
            tor.start();
            tor.enableNetwork();

            List<Future<Socket>> dials = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                StreamIsolation iso = StreamIsolation.of("dial-" + i);
                dials.add(dialThreads.submit(() -> tor.dial(new ServiceId(ID), 9878, iso, DIAL_DEADLINE)));
            }
            synchronized (accepted) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
                while (accepted.size() < 2) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        fail("the dials never reached the SOCKS port");
                    }
                    accepted.wait(Math.max(1, left / 1_000_000));
                }
            }

            tor.stop();
            for (Future<Socket> d : dials) {
                try {
                    Socket s = d.get(WAIT_S, TimeUnit.SECONDS);
                    s.close();
                    fail("a dial connected through a silent SOCKS port");
                } catch (TimeoutException e) {
                    fail("a dial still waits for tor " + WAIT_S + " s after it was stopped");
                } catch (ExecutionException e) {
                    assertInstanceOf(SocksException.class, e.getCause());
                }
            }
            dialThreads.shutdown();
            assertTrue(dialThreads.awaitTermination(WAIT_S, TimeUnit.SECONDS), "dial threads left");
            // Once stopped, a dial fails at once.
            assertThrows(org.allium.tor.api.TorException.class,
                    () -> tor.dial(new ServiceId(ID), 9878, StreamIsolation.of("late"), DIAL_DEADLINE));
        } finally {
            dialThreads.shutdownNow();
            events.shutdownNow();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }
}
