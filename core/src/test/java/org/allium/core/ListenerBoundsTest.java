package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.allium.tor.api.Tor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 §4: every listener is bounded. The real {@link OnionHost} on a
 * {@link FakeOnionNetwork}, with handlers that hold their connection as an idle client's
 * handshake would: connections beyond the per-onion and overall bounds are closed at once
 * instead of each taking a thread, and an {@link Error} while handing one over does not
 * stop the listener.
 */
class ListenerBoundsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        TestLogs.install();
    }

    private FakeOnionNetwork net;
    private ScheduledExecutorService torThread;
    private ExecutorService events;
    private ExecutorService pool;
    private TorSupervisor sup;
    private OnionHost host;
    private final AtomicBoolean failNext = new AtomicBoolean();
    private final List<Socket> clients = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger inHandler = new AtomicInteger();
    private final AtomicInteger handled = new AtomicInteger();
    private FakeOnionNetwork.FakeTor client;

    @BeforeEach
    void setUp() throws Exception {
        net = new FakeOnionNetwork();
        torThread = Executors.newSingleThreadScheduledExecutor();
        events = Executors.newSingleThreadExecutor();
        pool = Executors.newCachedThreadPool();
        // The io executor: fails once with an Error (as a JVM out of native threads does) when asked.
        java.util.concurrent.Executor io = task -> {
            if (failNext.getAndSet(false)) {
                throw new OutOfMemoryError("unable to create native thread (simulated)");
            }
            pool.execute(task);
        };
        EventBus bus = new EventBus(events);
        CountDownLatch ready = new CountDownLatch(1);
        OnionHost[] h = new OnionHost[1];
        TorFactory factory = net.factory("host");
        sup = new TorSupervisor(factory, FakeNode.TIMINGS, torThread, bus, new TorSupervisor.Listener() {
            @Override
            public void onTorReady(Tor tor) {
                h[0].publishAll(tor);
                ready.countDown();
            }

            @Override
            public void onTorLost() {
            }
        });
        host = new OnionHost(io, sup, factory, bus);
        h[0] = host;
        sup.start();
        assertTrue(ready.await(30, TimeUnit.SECONDS));
    }

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        for (Socket s : clients) {
            s.close();
        }
        host.closeAll();
        sup.stop();
        torThread.shutdownNow();
        events.shutdownNow();
        pool.shutdownNow();
        net.close();
    }

    /** A handler that holds the connection like a client that never finishes its handshake. */
    private void idle(Socket s) {
        inHandler.incrementAndGet();
        handled.incrementAndGet();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inHandler.decrementAndGet();
            OnionHost.closeQuietly(s);
        }
    }

    /** A handler that reads the connection, as a handshake does, until it ends. */
    private void reading(Socket s) {
        inHandler.incrementAndGet();
        try (InputStream in = s.getInputStream()) {
            while (in.read() != -1) {
                // a client that sends something: keep reading
            }
        } catch (IOException closed) {
            // the socket was closed under us
        } finally {
            inHandler.decrementAndGet();
        }
    }

    private IdentityKeyPair hostOnion(boolean isPublic) throws Exception {
        return hostOnion(isPublic, this::idle);
    }

    private IdentityKeyPair hostOnion(boolean isPublic, OnionHost.Handler handler) throws Exception {
        IdentityKeyPair key = IdentityKeyPair.generate(RANDOM);
        ClientAuthKeyPair auth = ClientAuthKeyPair.generate(RANDOM);
        host.host(new OnionHost.Spec(key, isPublic ? null : auth.publicKeyBase32(), null, 0, handler));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!net.isPublished(key.address().serviceId())) {
            assertTrue(System.nanoTime() < deadline, "published");
            Thread.sleep(10);
        }
        if (client == null) {
            client = RawPeer.tor(net, "client", key.address(), null);
        }
        if (!isPublic) {
            client.addClientAuth(new org.allium.tor.api.ServiceId(key.address().serviceId()), auth.privateKey());
        }
        return key;
    }

    /** Opens {@code n} idle connections; returns how many the listener closed at once. */
    private int openIdle(IdentityKeyPair onion, int n) throws Exception {
        List<Socket> mine = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = RawPeer.dial(client, onion.address());
            clients.add(s);
            mine.add(s);
        }
        int closed = 0;
        for (Socket s : mine) {
            s.setSoTimeout(100);
            try {
                if (s.getInputStream().read() == -1) {
                    closed++;
                }
            } catch (java.net.SocketTimeoutException stillOpen) {
                // held by a handler
            } catch (IOException reset) {
                closed++;
            }
        }
        return closed;
    }

    @Test
    void idleConnectionsBeyondThePerOnionBoundAreClosedAtOnce() throws Exception {
        IdentityKeyPair endpoint = hostOnion(false);
        int closed = openIdle(endpoint, 40);
        assertEquals(ListenerGate.PER_ENDPOINT_ONION, inHandler.get(), "handlers busy on the endpoint");
        assertEquals(40 - ListenerGate.PER_ENDPOINT_ONION, closed, "the rest closed at once");

        IdentityKeyPair identity = hostOnion(true);
        int closedPublic = openIdle(identity, ListenerGate.PER_PUBLIC_ONION + 20);
        assertEquals(ListenerGate.PER_ENDPOINT_ONION + ListenerGate.PER_PUBLIC_ONION, inHandler.get());
        assertEquals(20, closedPublic);
    }

    @Test
    void idleConnectionsBeyondTheOverallBoundAreClosedAtOnce() throws Exception {
        int onions = ListenerGate.OVERALL / ListenerGate.PER_PUBLIC_ONION + 1;
        int closed = 0;
        for (int i = 0; i < onions; i++) {
            closed += openIdle(hostOnion(true), ListenerGate.PER_PUBLIC_ONION);
        }
        assertEquals(ListenerGate.OVERALL, inHandler.get(), "handlers busy on all onions together");
        assertEquals(onions * ListenerGate.PER_PUBLIC_ONION - ListenerGate.OVERALL, closed);
        // Once handlers finish, their slots are free again.
        release.countDown();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (inHandler.get() > 0) {
            assertTrue(System.nanoTime() < deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void anErrorWhileHandingOverAConnectionDoesNotStopTheListener() throws Exception {
        IdentityKeyPair onion = hostOnion(true);
        failNext.set(true);
        assertEquals(1, openIdle(onion, 1), "the connection that hit the Error is closed");
        assertEquals(0, handled.get());
        assertEquals(0, openIdle(onion, 1), "the next one is taken");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (handled.get() < 1) {
            assertTrue(System.nanoTime() < deadline, "handled after the Error");
            Thread.sleep(10);
        }
    }

    @Test
    void closingTheHostEndsConnectionsStillInTheirHandshake() throws Exception {
        IdentityKeyPair onion = hostOnion(true, this::reading);
        assertEquals(0, openIdle(onion, 3), "three silent clients held by handlers");
        awaitInHandler(3);
        // Without closing them, each handler would wait for its client (here: for ever; in the
        // messenger: until the handshake deadline), and stop would wait for their io threads.
        host.closeAll();
        awaitInHandler(0);
    }

    private void awaitInHandler(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (inHandler.get() != n) {
            assertTrue(System.nanoTime() < deadline, "connections in handlers: " + inHandler.get() + ", waiting for " + n);
            Thread.sleep(10);
        }
    }
}
