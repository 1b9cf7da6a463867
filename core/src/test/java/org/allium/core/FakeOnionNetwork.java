package org.allium.core;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.tor.api.BootstrapStatus;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.ListenAddress;
import org.allium.tor.api.OnionServiceSpec;
import org.allium.tor.api.PublishedOnion;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.SocksException;
import org.allium.tor.api.SocksFailure;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.Tor;
import org.allium.tor.api.TorException;
import org.allium.tor.api.TorObserver;
import org.allium.tor.api.TorState;

/**
 * An in-JVM stand-in for the onion network, for fast unit tests of the engine: several
 * {@link FakeTor}s share one registry of published services, and a "dial" is a plain
 * loopback connection to the service's target — no tor, no circuits, no descriptors.
 * It keeps the rules the engine depends on: a service is reachable only while the tor
 * that published it runs; a service published with client authorization is reachable only
 * by a tor holding a matching credential (else {@link SocksFailure#MISSING_CLIENT_AUTH} /
 * {@link SocksFailure#WRONG_CLIENT_AUTH}, as tor's extended SOCKS errors say); an unknown
 * service gives {@link SocksFailure#DESCRIPTOR_NOT_FOUND}. A node (named by the test, kept
 * across the fake tors of successive messengers on one profile) can be
 * {@link #partition partitioned}: every connection it has is closed and every dial from or
 * to it fails until it is {@link #heal healed}.
 *
 * <p>Not a model of tor's timing or anonymity; the integration tests on the private Tor
 * network cover real tor. Thread-safe: all registry state is guarded by {@code this}.
 */
final class FakeOnionNetwork implements AutoCloseable {
    private record Service(FakeTor owner, int virtualPort, ListenAddress target, List<byte[]> clientAuth) {
    }

    private record Connection(FakeTor from, FakeTor to, Socket socket) {
    }

    /** Observer callbacks of every fake tor, one at a time, as a real tor's event executor does. */
    private final ExecutorService observerThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-tor-events");
        t.setDaemon(true);
        return t;
    });

    // Guarded by this.
    private final Map<String, Service> services = new HashMap<>();
    private final List<Connection> connections = new ArrayList<>();
    private final Set<String> partitioned = new HashSet<>();
    private final List<FakeTor> tors = new ArrayList<>();
    private final AtomicLong dials = new AtomicLong();
    /** "node service-id": that node's tors hold an outdated descriptor of the service. */
    private final Set<String> staleDescriptors = new HashSet<>();
    /** "node service-id isolation" of every dial so far, with the time (nanoTime) of its latest. */
    private final Map<String, Long> dialled = new HashMap<>();
    /** "node service-id isolation": tor holds a dead rendezvous circuit that captures such streams. */
    private final Set<String> deadRendezvous = new HashSet<>();

    /** A not-yet-started fake tor of {@code node}; the engine's {@link TorFactory} for that node. */
    TorFactory factory(String node) {
        return () -> newTor(node);
    }

    synchronized FakeTor newTor(String node) {
        FakeTor t = new FakeTor(this, node);
        tors.add(t);
        return t;
    }

    /** Every fake tor made for {@code node}, oldest first. */
    synchronized List<FakeTor> torsOf(String node) {
        return tors.stream().filter(t -> t.node.equals(node)).toList();
    }

    /** Takes {@code node} off the network: closes its connections; dials from or to it fail until {@link #heal}. */
    void partition(String node) {
        List<Socket> doomed = new ArrayList<>();
        synchronized (this) {
            partitioned.add(node);
            connections.removeIf(c -> {
                if (c.from.node.equals(node) || c.to.node.equals(node)) {
                    doomed.add(c.socket);
                    return true;
                }
                return false;
            });
        }
        doomed.forEach(FakeOnionNetwork::closeQuietly);
    }

    synchronized void heal(String node) {
        partitioned.remove(node);
    }

    /** Whether a service with this id is published by a running fake tor now. */
    synchronized boolean isPublished(String serviceId) {
        return services.containsKey(serviceId);
    }

    /**
     * From now on {@code node}'s tors hold an outdated descriptor of every service {@code owner}
     * publishes now (as a real tor does after the owner restarted and dialled us first: the old
     * introduction points are dead), so their dials fail with INTRO_FAILED until that tor
     * refetches the descriptor ({@link Tor#refetchDescriptor}).
     */
    synchronized void staleDescriptors(String node, String owner) {
        for (Map.Entry<String, Service> e : services.entrySet()) {
            if (e.getValue().owner.node.equals(owner)) {
                staleDescriptors.add(node + " " + e.getKey());
            }
        }
    }

    /**
     * Models what real tor did on the testnet when a service died between acknowledging an
     * introduction and answering it: the client keeps the rendezvous circuit "pending join,
     * intro acked" for minutes, and every new stream to that service with the same SOCKS
     * isolation attaches to it and waits until it times out. From now on every dial by
     * {@code node} to a service of {@code owner} with an isolation that {@code node} used for
     * that service before times out; a fresh isolation gets a fresh circuit and works.
     */
    synchronized void deadRendezvous(String node, String owner) {
        for (String d : dialled.keySet()) {
            if (isDial(d, node, owner)) {
                deadRendezvous.add(d);
            }
        }
    }

    /** Whether {@code node} has dialled a service of {@code owner} at or after {@code sinceNanos} (nanoTime). */
    synchronized boolean hasDialledSince(String node, String owner, long sinceNanos) {
        for (Map.Entry<String, Long> d : dialled.entrySet()) {
            if (isDial(d.getKey(), node, owner) && d.getValue() - sinceNanos >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether the "node service-id isolation" key {@code dial} is one by {@code node} to a service of {@code owner}. Caller holds the lock. */
    private boolean isDial(String dial, String node, String owner) {
        String[] f = dial.split(" ", 3);
        Service s = services.get(f[1]);
        return f[0].equals(node) && s != null && s.owner.node.equals(owner);
    }

    private synchronized void refetched(String node, String serviceId) {
        staleDescriptors.remove(node + " " + serviceId);
    }

    /** Dials attempted so far through all fake tors. */
    long dialCount() {
        return dials.get();
    }

    private synchronized PublishedOnion publish(FakeTor owner, OnionServiceSpec spec) {
        // The same key published on another tor (a profile moved) replaces it, as the newer descriptor would.
        services.put(spec.expectedId().value(),
                new Service(owner, spec.virtualPort(), spec.target(), spec.clientAuthPublicKeys()));
        return new PublishedOnion(spec.expectedId(), spec.pow() != null);
    }

    private synchronized void unpublish(FakeTor owner, ServiceId id) {
        Service s = services.get(id.value());
        if (s != null && s.owner == owner) {
            services.remove(id.value());
        }
    }

    /** The tor went away: its services vanish and its circuits (connections) die. */
    private void gone(FakeTor tor) {
        List<Socket> doomed = new ArrayList<>();
        synchronized (this) {
            services.values().removeIf(s -> s.owner == tor);
            connections.removeIf(c -> {
                if (c.from == tor || c.to == tor) {
                    doomed.add(c.socket);
                    return true;
                }
                return c.socket.isClosed();
            });
        }
        doomed.forEach(FakeOnionNetwork::closeQuietly);
    }

    private Socket dial(FakeTor from, ServiceId id, int port, StreamIsolation isolation, Duration timeout,
            byte[] credential) throws SocksException {
        dials.incrementAndGet();
        Service s;
        synchronized (this) {
            String key = from.node + " " + id.value() + " " + isolation.username() + ":" + isolation.password();
            dialled.put(key, System.nanoTime());
            if (deadRendezvous.contains(key)) {
                throw new SocksException(SocksFailure.TIMEOUT, "fake network: the stream waits on a dead rendezvous");
            }
            connections.removeIf(c -> c.socket.isClosed());
            s = services.get(id.value());
            if (partitioned.contains(from.node)) {
                throw new SocksException(SocksFailure.DESCRIPTOR_NOT_FOUND, "fake network: the dialling node is offline");
            }
            if (s == null || partitioned.contains(s.owner.node)) {
                throw new SocksException(SocksFailure.DESCRIPTOR_NOT_FOUND, "fake network");
            }
            if (staleDescriptors.contains(from.node + " " + id.value())) {
                throw new SocksException(SocksFailure.INTRO_FAILED, "fake network: an outdated descriptor");
            }
        }
        if (!s.clientAuth.isEmpty()) {
            if (credential == null) {
                throw new SocksException(SocksFailure.MISSING_CLIENT_AUTH, "fake network");
            }
            byte[] pub = ClientAuthKeyPair.fromPrivateKey(credential).publicKey();
            if (s.clientAuth.stream().noneMatch(k -> Arrays.equals(k, pub))) {
                throw new SocksException(SocksFailure.WRONG_CLIENT_AUTH, "fake network");
            }
        }
        if (port != s.virtualPort) {
            throw new SocksException(SocksFailure.CONNECTION_REFUSED, "fake network: no such virtual port");
        }
        Socket socket;
        try {
            socket = s.target.connect(timeout);
        } catch (IOException e) {
            throw new SocksException(SocksFailure.CONNECTION_REFUSED, "fake network: target not listening", e);
        }
        synchronized (this) {
            // A partition or stop that came while connecting must not leave this connection alive.
            if (partitioned.contains(from.node) || partitioned.contains(s.owner.node)
                    || services.get(id.value()) != s || !from.isRunning()) {
                closeQuietly(socket);
                throw new SocksException(SocksFailure.DESCRIPTOR_NOT_FOUND, "fake network: went away while dialling");
            }
            connections.add(new Connection(from, s.owner, socket));
        }
        return socket;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do for a test socket
        }
    }

    /** Stops every fake tor (closing their connections) and the observer thread. */
    @Override
    public void close() {
        List<FakeTor> all;
        synchronized (this) {
            all = new ArrayList<>(tors);
        }
        for (FakeTor t : all) {
            t.close();
        }
        observerThread.shutdown();
    }

    /**
     * One node's tor on the fake network. Life cycle as {@link Tor} says: start →
     * enableNetwork → awaitBootstrapped (at once: 100 %, READY) → publish/dial → stop;
     * startable again after STOPPED or {@link #kill() EXITED}. Observers hear state
     * changes and bootstrap progress on the network's observer thread.
     */
    static final class FakeTor implements Tor {
        final String node;
        private final FakeOnionNetwork net;
        private final List<TorObserver> observers = new CopyOnWriteArrayList<>();
        // Guarded by this.
        private TorState state = TorState.NOT_STARTED;
        private BootstrapStatus bootstrap = BootstrapStatus.NONE;
        private final Map<String, byte[]> credentials = new HashMap<>();

        private FakeTor(FakeOnionNetwork net, String node) {
            this.net = net;
            this.node = node;
        }

        private synchronized boolean isRunning() {
            return state.isRunning();
        }

        private void setState(TorState s) {
            synchronized (this) {
                state = s;
            }
            notifyObservers(o -> o.onStateChanged(s));
        }

        private void notifyObservers(java.util.function.Consumer<TorObserver> call) {
            try {
                net.observerThread.execute(() -> observers.forEach(call));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the network is closed: nobody listens any more
            }
        }

        private synchronized void requireRunning() throws TorException {
            if (!state.isRunning()) {
                throw new TorException("fake tor is not running (" + state + ")");
            }
        }

        @Override
        public void start() throws TorException {
            synchronized (this) {
                if (state != TorState.NOT_STARTED && state != TorState.STOPPED && state != TorState.EXITED) {
                    throw new TorException("fake tor already started (" + state + ")");
                }
                bootstrap = BootstrapStatus.NONE;
            }
            setState(TorState.STARTING);
            setState(TorState.STARTED);
        }

        @Override
        public void enableNetwork() throws TorException {
            requireRunning();
            BootstrapStatus b = new BootstrapStatus(5, "conn", "Connecting to a relay");
            synchronized (this) {
                bootstrap = b;
            }
            setState(TorState.BOOTSTRAPPING);
            notifyObservers(o -> o.onBootstrap(b));
        }

        @Override
        public void awaitBootstrapped(Duration timeout) throws TorException {
            requireRunning();
            BootstrapStatus done = new BootstrapStatus(100, "done", "Done");
            synchronized (this) {
                if (state == TorState.READY) {
                    return;
                }
                bootstrap = done;
            }
            notifyObservers(o -> o.onBootstrap(done));
            setState(TorState.READY);
        }

        @Override
        public void stop() {
            synchronized (this) {
                if (!state.isRunning() && state != TorState.STARTING) {
                    return;
                }
            }
            setState(TorState.STOPPING);
            goAway();
            setState(TorState.STOPPED);
        }

        /** Simulates tor dying (kill -9): services and connections vanish, observers hear {@code onTorExited}. */
        void kill() {
            synchronized (this) {
                if (!state.isRunning()) {
                    return;
                }
            }
            goAway();
            setState(TorState.EXITED);
            notifyObservers(o -> o.onTorExited(137, List.of()));
        }

        private void goAway() {
            synchronized (this) {
                credentials.clear();
            }
            net.gone(this);
        }

        @Override
        public void close() {
            stop();
        }

        @Override
        public synchronized TorState state() {
            return state;
        }

        @Override
        public synchronized BootstrapStatus bootstrapStatus() {
            return bootstrap;
        }

        @Override
        public HostPort socksAddress() throws TorException {
            throw new TorException("a fake tor has no SOCKS port");
        }

        @Override
        public OptionalLong processId() {
            return OptionalLong.empty();
        }

        @Override
        public PublishedOnion publish(OnionServiceSpec spec) throws TorException {
            requireRunning();
            return net.publish(this, spec);
        }

        @Override
        public void unpublish(ServiceId service) throws TorException {
            requireRunning();
            net.unpublish(this, service);
        }

        @Override
        public void addClientAuth(ServiceId service, byte[] x25519PrivateKey) throws TorException {
            if (x25519PrivateKey == null || x25519PrivateKey.length != 32) {
                throw new TorException("fake tor: a client-auth key has 32 bytes");
            }
            synchronized (this) {
                requireRunning();
                credentials.put(service.value(), x25519PrivateKey.clone());
            }
        }

        @Override
        public void removeClientAuth(ServiceId service) throws TorException {
            synchronized (this) {
                requireRunning();
                credentials.remove(service.value());
            }
        }

        /**
         * The fake has no descriptor cache (every dial sees the service as it is now) except
         * for what {@link FakeOnionNetwork#staleDescriptors} made outdated: that is fetched anew.
         */
        @Override
        public void refetchDescriptor(ServiceId service) throws TorException {
            synchronized (this) {
                requireRunning();
            }
            net.refetched(node, service.value());
        }

        @Override
        public Socket dial(ServiceId service, int port, StreamIsolation isolation, Duration timeout)
                throws TorException, InterruptedException {
            byte[] credential;
            synchronized (this) {
                if (state != TorState.READY) {
                    throw new SocksException(SocksFailure.PROXY_UNREACHABLE, "fake tor is " + state);
                }
                credential = credentials.get(service.value());
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return net.dial(this, service, port, isolation, timeout, credential);
        }

        @Override
        public void addObserver(TorObserver observer) {
            observers.add(observer);
            TorState now = state();
            try {
                net.observerThread.execute(() -> observer.onStateChanged(now));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the network is closed
            }
        }

        @Override
        public void removeObserver(TorObserver observer) {
            observers.remove(observer);
        }

        @Override
        public String version() throws TorException {
            requireRunning();
            return "0.4.9.11 (fake)";
        }

        @Override
        public String toString() {
            return "FakeTor[" + node + ", " + state() + "]";
        }
    }
}
