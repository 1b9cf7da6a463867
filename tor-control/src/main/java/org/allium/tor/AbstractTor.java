package org.allium.tor;

import net.freehaven.tor.control.EventHandler;
import net.freehaven.tor.control.TorControlException;

import org.allium.tor.api.BootstrapStatus;
import org.allium.tor.api.ListenAddress;
import org.allium.tor.api.OnionAddressMismatchException;
import org.allium.tor.api.OnionServiceSpec;
import org.allium.tor.api.PublishedOnion;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.Tor;
import org.allium.tor.api.TorCommandException;
import org.allium.tor.api.TorException;
import org.allium.tor.api.TorExitedException;
import org.allium.tor.api.TorObserver;
import org.allium.tor.api.TorState;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What our own and an external tor share: the control connection and its events, state,
 * observers, onion services, client authorization and dialling. Subclasses only attach
 * ({@link #attach}) and detach ({@link #detach}).
 *
 * <p>Threads: jtorctl's reader thread parses events and updates {@link State} (never
 * blocking, never calling tor); observers run on the serial event executor; callers'
 * threads do the blocking control-port work. No lock is held while talking to tor.
 */
abstract class AbstractTor implements Tor {
    protected static final Logger LOG = Logger.getLogger(Tor.class.getName());
    private static final List<String> EVENTS = List.of("STATUS_CLIENT", "HS_DESC", "WARN", "ERR");

    private final Executor events;
    private final List<TorObserver> observers = new CopyOnWriteArrayList<>();
    protected final State state = new State();

    /** @param eventExecutor runs observer callbacks; wrapped so they run one at a time, in order */
    AbstractTor(Executor eventExecutor) {
        this.events = new SerialExecutor(eventExecutor);
    }

    /**
     * What {@link #attach} hands back: a live, authenticated control connection; {@code socks}
     * null when tor has not opened it yet; {@code process} null for an external tor.
     */
    record Attached(AlliumControlConnection connection, Socket socket, ListenAddress socks, Process process) {}

    /**
     * Launches or finds tor and returns an authenticated connection. On failure it must
     * clean up what it started.
     */
    abstract Attached attach(int generation) throws TorException, InterruptedException;

    /** Shuts down or lets go of tor. Called with the state STOPPING; must not throw. */
    abstract void detach(Attached attached) throws InterruptedException;

    /** Whether this tor's network is already enabled once attached (an external tor's is). */
    abstract boolean networkEnabledOnAttach();

    @Override
    public void start() throws TorException, InterruptedException {
        int generation = state.beginStart();
        Attached attached = null;
        try {
            attached = attach(generation);
            AlliumControlConnection c = attached.connection();
            c.setEventHandler(new Events(generation));
            try {
                c.setEvents(EVENTS);
            } catch (TorControlException e) {
                throw new TorCommandException("SETEVENTS", AlliumControlConnection.torMessage(e));
            } catch (IOException e) {
                throw new TorException("control connection to tor failed during SETEVENTS", e);
            }
            BootstrapStatus b = ControlReplies.bootstrap(c.info("status/bootstrap-phase"));
            state.started(generation, attached, b == null ? BootstrapStatus.NONE : b, networkEnabledOnAttach());
        } catch (TorException | InterruptedException | RuntimeException e) {
            if (attached != null) detach(attached);
            state.startFailed(generation);
            throw e;
        }
    }

    @Override
    public void enableNetwork() throws TorException {
        if (networkEnabledOnAttach()) return;
        AlliumControlConnection c = state.connection();
        c.conf(java.util.Map.of("DisableNetwork", "0"));
        state.networkEnabled();
        socksAddress(); // tor has just opened its SOCKS listener: learn the port now
    }

    @Override
    public void awaitBootstrapped(Duration timeout) throws TorException, InterruptedException {
        state.awaitReady(System.nanoTime() + timeout.toNanos(), timeout);
    }

    @Override
    public void stop() throws InterruptedException {
        Attached a = state.beginStop();
        // Dials still waiting for tor end now: an external tor keeps running after we let go of
        // it, and a dial to an offline onion would hold its thread (and whoever waits for that
        // thread, such as a messenger stopping) until tor gives up or its deadline passes.
        for (Socket s : state.endDials()) {
            closeQuietly(s);
        }
        if (a == null) return;
        try {
            detach(a);
        } finally {
            state.stopped();
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public TorState state() {
        return state.torState();
    }

    @Override
    public BootstrapStatus bootstrapStatus() {
        return state.bootstrap();
    }

    @Override
    public ListenAddress socksAddress() throws TorException {
        ListenAddress known = state.socks();
        if (known != null) return known;
        List<ListenAddress> listeners = ControlReplies.listeners(state.connection().info("net/listeners/socks"));
        if (listeners.isEmpty()) {
            throw new TorException("tor has no SOCKS listener yet (its network is still disabled)");
        }
        state.setSocks(listeners.get(0));
        return listeners.get(0);
    }

    @Override
    public OptionalLong processId() {
        Process p = state.process();
        return p != null && p.isAlive() ? OptionalLong.of(p.pid()) : OptionalLong.empty();
    }

    @Override
    public String version() throws TorException {
        return state.connection().info("version");
    }

    @Override
    public PublishedOnion publish(OnionServiceSpec spec) throws TorException {
        AlliumControlConnection c = state.connection();
        ServiceId expected = spec.expectedId();
        boolean pow = false;
        if (spec.pow() != null) {
            pow = ControlReplies.versionAtLeast(c.info("version"), AlliumControlConnection.POW_MIN_VERSION);
            if (!pow) LOG.info("this tor is older than 0.4.9.2; publishing without the proof-of-work defence");
        }
        state.expectService(expected);
        boolean ok = false;
        try {
            String returned;
            try {
                returned = c.addOnion(spec, pow);
            } catch (TorCommandException e) {
                if (!pow || !AlliumControlConnection.isPowRefusal(e)) throw e;
                LOG.info("tor refused the proof-of-work options (" + e.torMessage() + "); publishing without them");
                pow = false;
                returned = c.addOnion(spec, false);
            }
            ServiceId got;
            try {
                got = new ServiceId(returned);
            } catch (IllegalArgumentException e) {
                throw new TorException("tor returned a malformed service id");
            }
            if (!got.equals(expected)) {
                try {
                    c.delOnion(got);
                } catch (TorException e) {
                    LOG.log(Level.WARNING, "could not remove the mismatching onion service", e);
                }
                throw new OnionAddressMismatchException("tor derived a different onion address from the key "
                        + "than the expected one: the key and the expected address do not belong together");
            }
            ok = true;
            // Not even a prefix of the address: logs get shared when asking for help.
            LOG.info("published an onion service" + (pow ? " with proof-of-work defence" : ""));
            return new PublishedOnion(got, pow);
        } finally {
            if (!ok) state.forgetService(expected);
        }
    }

    @Override
    public void unpublish(ServiceId service) throws TorException {
        state.connection().delOnion(service);
        state.forgetService(service);
    }

    @Override
    public void addClientAuth(ServiceId service, byte[] x25519PrivateKey) throws TorException {
        state.connection().onionClientAuthAdd(service, x25519PrivateKey);
        state.clientAuthAdded(service);
    }

    @Override
    public void removeClientAuth(ServiceId service) throws TorException {
        state.connection().onionClientAuthRemove(service);
        state.clientAuthRemoved(service);
    }

    @Override
    public void refetchDescriptor(ServiceId service) throws TorException {
        state.connection().hsFetch(service);
    }

    @Override
    public Socket dial(ServiceId service, int port, StreamIsolation isolation, Duration timeout)
            throws TorException, InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        ListenAddress socks = socksAddress();
        return Socks5.connect(socks, service.hostname(), port, isolation, timeout, state);
    }

    @Override
    public void addObserver(TorObserver observer) {
        state.addObserver(observer);
    }

    @Override
    public void removeObserver(TorObserver observer) {
        observers.remove(observer);
    }

    /** Runs {@code call} for every observer on the event executor. Called under the state lock to keep order. */
    private void dispatch(Consumer<TorObserver> call) {
        events.execute(() -> {
            for (TorObserver o : observers) {
                try {
                    call.accept(o);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "tor observer threw", e);
                }
            }
        });
    }

    /**
     * Called by a subclass when its tor went away (process exit, closed control connection).
     * Ignored for an old generation or when we are stopping it ourselves.
     */
    final void torExited(int generation, int exitCode, List<String> lastLines) {
        Attached gone = state.exited(generation, exitCode, lastLines);
        if (gone != null) {
            LOG.warning("tor exited unexpectedly (exit code " + exitCode + ")");
            closeQuietly(gone.socket());
        }
    }

    static void closeQuietly(Socket s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing control socket", e);
        }
    }

    /** All mutable state of this tor, guarded by its own monitor. Never talks to tor. */
    final class State implements Socks5.Dials {
        private TorState torState = TorState.NOT_STARTED;
        private BootstrapStatus bootstrap = BootstrapStatus.NONE;
        private Attached attached;
        private ListenAddress socks;
        private int generation;
        private final Set<String> services = new HashSet<>();
        private final Set<String> clientAuth = new HashSet<>();
        private int lastExitCode = -1;
        private List<String> lastExitLines = List.of();
        /** Sockets of dials waiting for tor's SOCKS reply ({@link Socks5.Dials}). */
        private final Set<Socket> dialling = new HashSet<>();
        /** Set by {@link #endDials}: no dial begins until the next start. */
        private boolean dialsEnded;

        @Override
        public synchronized boolean begin(Socket s) {
            if (dialsEnded) return false;
            dialling.add(s);
            return true;
        }

        @Override
        public synchronized void end(Socket s) {
            dialling.remove(s);
        }

        /** Stopping: the sockets of dials under way, for the caller to close; later dials fail at once. */
        synchronized List<Socket> endDials() {
            dialsEnded = true;
            List<Socket> all = List.copyOf(dialling);
            dialling.clear();
            return all;
        }

        private void set(TorState s) {
            if (torState == s) return;
            torState = s;
            dispatch(o -> o.onStateChanged(s));
            notifyAll();
        }

        synchronized TorState torState() { return torState; }

        synchronized BootstrapStatus bootstrap() { return bootstrap; }

        synchronized Process process() { return attached == null ? null : attached.process(); }

        synchronized void addObserver(TorObserver o) {
            TorState now = torState;
            events.execute(() -> o.onStateChanged(now));
            observers.add(o);
        }

        synchronized int beginStart() {
            if (torState != TorState.NOT_STARTED && torState != TorState.STOPPED && torState != TorState.EXITED) {
                throw new IllegalStateException("tor is already " + torState);
            }
            generation++;
            attached = null;
            socks = null;
            dialsEnded = false;
            services.clear();
            clientAuth.clear();
            bootstrap = BootstrapStatus.NONE;
            lastExitCode = -1;
            lastExitLines = List.of();
            set(TorState.STARTING);
            return generation;
        }

        synchronized boolean isCurrentGeneration(int gen) {
            return gen == generation;
        }

        synchronized void started(int gen, Attached a, BootstrapStatus b, boolean networkOn) throws TorException {
            if (gen != generation || torState != TorState.STARTING
                    || (a.process() != null && !a.process().isAlive())) {
                throw new TorExitedException("tor exited during start-up", lastExitCode, lastExitLines);
            }
            attached = a;
            socks = a.socks();
            set(TorState.STARTED);
            onBootstrap(b);
            if (networkOn) set(b.isDone() ? TorState.READY : TorState.BOOTSTRAPPING);
        }

        synchronized void startFailed(int gen) {
            if (gen == generation && torState == TorState.STARTING) {
                attached = null;
                set(TorState.STOPPED);
            }
        }

        synchronized AlliumControlConnection connection() throws TorException {
            if (!torState.isRunning() || attached == null) throw notRunning();
            return attached.connection();
        }

        /** The SOCKS listener if known yet, else null. */
        synchronized ListenAddress socks() throws TorException {
            if (!torState.isRunning() || attached == null) throw notRunning();
            return socks;
        }

        synchronized void setSocks(ListenAddress s) {
            if (torState.isRunning()) socks = s;
        }

        private TorException notRunning() {
            if (torState == TorState.EXITED) {
                return new TorExitedException("tor has exited", lastExitCode, lastExitLines);
            }
            return new TorException("tor is not running (" + torState + ")");
        }

        synchronized void networkEnabled() {
            if (torState == TorState.STARTED) set(bootstrap.isDone() ? TorState.READY : TorState.BOOTSTRAPPING);
        }

        synchronized void onBootstrap(BootstrapStatus b) {
            if (b.equals(bootstrap) || b.equals(BootstrapStatus.NONE)) return;
            bootstrap = b;
            dispatch(o -> o.onBootstrap(b));
            if (b.isDone() && torState == TorState.BOOTSTRAPPING) set(TorState.READY);
            notifyAll();
        }

        synchronized void awaitReady(long deadline, Duration timeout) throws TorException, InterruptedException {
            int gen = generation;
            while (true) {
                if (gen != generation) throw new TorException("tor was restarted while waiting for it");
                switch (torState) {
                    case READY:
                        return;
                    case EXITED:
                        throw new TorExitedException("tor exited while bootstrapping", lastExitCode, lastExitLines);
                    case STARTED:
                        throw new TorException("tor's network is disabled: call enableNetwork() first");
                    case BOOTSTRAPPING:
                        break;
                    default:
                        throw new TorException("tor is not running (" + torState + ")");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TorException("tor did not bootstrap within " + timeout.toSeconds() + " s; last status: "
                            + bootstrap.percent() + "% " + bootstrap.tag() + " (" + bootstrap.summary() + ")");
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }

        synchronized void expectService(ServiceId id) { services.add(id.value()); }

        synchronized void forgetService(ServiceId id) { services.remove(id.value()); }

        synchronized boolean isOurService(int gen, String id) { return gen == generation && services.contains(id); }

        synchronized void clientAuthAdded(ServiceId id) { clientAuth.add(id.value()); }

        synchronized void clientAuthRemoved(ServiceId id) { clientAuth.remove(id.value()); }

        synchronized Set<String> clientAuthIds() { return new HashSet<>(clientAuth); }

        /** @return what to detach, or null if there is nothing running */
        synchronized Attached beginStop() {
            if (torState == TorState.EXITED) {
                set(TorState.STOPPED);
                return null;
            }
            if (!torState.isRunning()) return null;
            set(TorState.STOPPING);
            return attached;
        }

        synchronized void stopped() {
            attached = null;
            services.clear();
            clientAuth.clear();
            set(TorState.STOPPED);
        }

        /** @return the attachment to clean up if this exit was news, else null */
        synchronized Attached exited(int gen, int exitCode, List<String> lines) {
            if (gen != generation) return null;
            lastExitCode = exitCode;
            lastExitLines = List.copyOf(lines);
            notifyAll();
            if (!torState.isRunning()) return null; // stopping on purpose, or start() will report it
            Attached gone = attached;
            attached = null;
            services.clear();
            set(TorState.EXITED);
            dispatch(o -> o.onTorExited(exitCode, lines));
            return gone;
        }

        synchronized void warning(int gen, String message) {
            if (gen == generation) dispatch(o -> o.onWarning(message));
        }

        synchronized void descriptor(int gen, ServiceId id, boolean uploaded, String reason) {
            if (gen != generation || !services.contains(id.value())) return;
            if (uploaded) dispatch(o -> o.onDescriptorUploaded(id));
            else dispatch(o -> o.onDescriptorUploadFailed(id, reason == null ? "" : reason));
        }
    }

    /** jtorctl's callbacks, on its reader thread: parse, update state, never block. */
    private final class Events implements EventHandler {
        private final int generation;

        Events(int generation) {
            this.generation = generation;
        }

        @Override
        public void unrecognized(String type, String msg) {
            try {
                if (type.equals("STATUS_CLIENT")) {
                    BootstrapStatus b = ControlReplies.bootstrap(msg);
                    if (b != null && state.isCurrentGeneration(generation)) state.onBootstrap(b);
                } else if (type.equals("HS_DESC")) {
                    ControlReplies.HsDescEvent e = ControlReplies.hsDesc(msg);
                    if (e == null || !(e.action().equals("UPLOADED") || e.action().equals("FAILED"))) return;
                    if (!state.isOurService(generation, e.serviceId())) return;
                    state.descriptor(generation, new ServiceId(e.serviceId()), e.action().equals("UPLOADED"), e.reason());
                }
            } catch (RuntimeException e) {
                // Tor sent something we cannot parse: note it, keep the reader thread alive.
                LOG.log(Level.FINE, "unparseable " + type + " event", e);
            }
        }

        @Override
        public void message(String severity, String msg) {
            String scrubbed = Scrub.onions(msg);
            LOG.fine(() -> "tor " + severity + ": " + scrubbed);
            if (severity.equals("WARN") || severity.equals("ERR")) state.warning(generation, scrubbed);
        }

        @Override
        public void controlConnectionClosed() {
            onControlConnectionClosed(generation);
        }

        @Override public void circuitStatus(String status, String id, String path) {}
        @Override public void streamStatus(String status, String id, String target) {}
        @Override public void orConnStatus(String status, String orName) {}
        @Override public void bandwidthUsed(long read, long written) {}
        @Override public void newDescriptors(List<String> orList) {}
    }

    /** The control connection closed under us; our own tor reports its exit from the process instead. */
    abstract void onControlConnectionClosed(int generation);
}
