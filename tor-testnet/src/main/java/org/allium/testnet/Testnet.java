package org.allium.testnet;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A private Tor network on 127.0.0.1: {@value #AUTHORITIES} directory authorities (each also
 * a non-exit relay) and {@value #RELAYS} non-exit relays, configured as TESTNET.md describes.
 *
 * <p>{@link #start} returns once every node has bootstrapped to 100 % and the authorities'
 * consensus lists every relay. A client tor joins with {@link #clientTorrcLines()}. Every tor
 * process is owned by this JVM ({@code __OwningControllerProcess}), so it exits when the JVM
 * does, even after kill -9. {@link #close()} stops every process and deletes the working
 * directory.
 *
 * <p>Thread-safe: the getters return immutable values; {@code close} may be called from any
 * thread, more than once.
 */
public final class Testnet implements AutoCloseable {
    /** Number of directory authorities. */
    public static final int AUTHORITIES = 3;
    /** Number of non-exit relays besides the authorities. */
    public static final int RELAYS = 2;

    private static final Logger LOG = System.getLogger(Testnet.class.getName());
    private static final int START_ATTEMPTS = 3;
    private static final long STOP_GRACE_MS = 5_000;
    private static final long POLL_MS = 250;

    private final Path workDirectory;
    private final List<DirAuthority> authorities;
    private final List<TestnetNode> nodes;
    private final List<TorProcess> processes;
    private final Duration keyGenerationTime;
    private final Duration bootstrapTime;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private boolean closed;

    private Testnet(Path workDirectory, List<DirAuthority> authorities, List<TestnetNode> nodes,
                    List<TorProcess> processes, Duration keyGenerationTime, Duration bootstrapTime) {
        this.workDirectory = workDirectory;
        this.authorities = authorities;
        this.nodes = nodes;
        this.processes = processes;
        this.keyGenerationTime = keyGenerationTime;
        this.bootstrapTime = bootstrapTime;
    }

    /** Starts a network with {@link TestnetOptions#defaults()}. See {@link #start(Path, TestnetOptions)}. */
    public static Testnet start(Path workDirectory) throws TestnetException, InterruptedException {
        return start(workDirectory, TestnetOptions.defaults());
    }

    /**
     * Generates keys, launches every node and blocks until the network is usable.
     *
     * @param workDirectory absent or empty directory; owned by the network from now on and
     *                      deleted by {@link #close()}
     * @throws TestnetException when a node fails or the deadline passes; the message carries
     *                          the failing node's last log lines. Everything started is stopped
     *                          and the working directory removed before it is thrown.
     * @throws InterruptedException when interrupted; everything started is stopped first
     */
    public static Testnet start(Path workDirectory, TestnetOptions options)
            throws TestnetException, InterruptedException {
        Path dir = workDirectory.toAbsolutePath().normalize();
        try {
            if (Files.isDirectory(dir)) {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new TestnetException("work directory is not empty: " + dir);
                    }
                }
            }
        } catch (IOException e) {
            throw new TestnetException("cannot read work directory " + dir, e);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(dir, options);
            } catch (PortTakenException e) {
                if (attempt >= START_ATTEMPTS) {
                    throw new TestnetException("a port picked for the network was taken "
                            + START_ATTEMPTS + " times in a row; last: " + e.getMessage());
                }
                LOG.log(Level.INFO, "a picked port was taken; starting the network again");
            }
        }
    }

    /** Thrown by one start attempt when tor could not bind a port picked as free. */
    private static final class PortTakenException extends Exception {
        private static final long serialVersionUID = 1L;

        PortTakenException(String message) {
            super(message, null, false, false);
        }
    }

    private static Testnet startOnce(Path dir, TestnetOptions options)
            throws TestnetException, InterruptedException, PortTakenException {
        List<TorProcess> started = new ArrayList<>();
        boolean ok = false;
        try {
            Dirs.createPrivate(dir);
            int n = AUTHORITIES + RELAYS;
            List<Integer> ports = Ports.pickFree(2 * n + AUTHORITIES);
            List<Torrc.NodeSpec> specs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean auth = i < AUTHORITIES;
                String nick = auth ? "auth" + i : "relay" + (i - AUTHORITIES);
                specs.add(new Torrc.NodeSpec(nick,
                        auth ? TestnetNode.Role.AUTHORITY : TestnetNode.Role.RELAY,
                        Dirs.createPrivate(dir.resolve(nick)),
                        ports.get(i), auth ? ports.get(2 * n + i) : 0, ports.get(n + i)));
            }

            long k0 = System.nanoTime();
            List<AuthorityKeys.Request> requests = new ArrayList<>();
            for (Torrc.NodeSpec s : specs.subList(0, AUTHORITIES)) {
                requests.add(new AuthorityKeys.Request(s.nickname(), s.dataDirectory(), s.orPort(), s.dirPort()));
            }
            List<DirAuthority> authorities = AuthorityKeys.generate(options, requests);
            Duration keyGen = Duration.ofNanos(System.nanoTime() - k0);

            long l0 = System.nanoTime();
            for (Torrc.NodeSpec s : specs) {
                started.add(TorProcess.launch(options.tor(), s.nickname(), s.dataDirectory(),
                        Torrc.node(s, authorities)));
            }
            awaitUsable(specs, started, l0 + options.startTimeout().toNanos());
            Duration bootstrap = Duration.ofNanos(System.nanoTime() - l0);

            List<TestnetNode> nodes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Torrc.NodeSpec s = specs.get(i);
                nodes.add(new TestnetNode(s.nickname(), s.role(), s.orPort(), s.dirPort(),
                        s.controlPort(), s.dataDirectory(), started.get(i).pid()));
            }
            LOG.log(Level.INFO, "private Tor network up: keys {0} ms, launch to bootstrapped {1} ms",
                    keyGen.toMillis(), bootstrap.toMillis());
            ok = true;
            return new Testnet(dir, authorities, List.copyOf(nodes), List.copyOf(started), keyGen, bootstrap);
        } catch (IOException e) {
            throw new TestnetException("cannot start the private Tor network in " + dir + ": " + e.getMessage(), e);
        } finally {
            if (!ok) {
                stopAll(started);
                try {
                    Dirs.deleteTree(dir);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "could not delete " + dir + " after a failed start", e);
                }
            }
        }
    }

    /** Polls every node's control port until all report 100 % and the consensus lists every relay. */
    private static void awaitUsable(List<Torrc.NodeSpec> specs, List<TorProcess> procs, long deadline)
            throws TestnetException, InterruptedException, PortTakenException {
        Map<Integer, ControlProbe> probes = new HashMap<>();
        Map<Integer, Integer> progress = new HashMap<>();
        try {
            while (true) {
                boolean allDone = true;
                for (int i = 0; i < specs.size(); i++) {
                    TorProcess p = procs.get(i);
                    if (!p.isAlive()) {
                        String msg = p.describeFailure("tor exited during start-up");
                        if (p.failedToBind()) {
                            throw new PortTakenException(msg);
                        }
                        throw new TestnetException(msg);
                    }
                    if (progress.getOrDefault(i, 0) >= 100) {
                        continue;
                    }
                    allDone = false;
                    try {
                        ControlProbe probe = probes.get(i);
                        if (probe == null) {
                            Torrc.NodeSpec s = specs.get(i);
                            Path cookie = s.dataDirectory().resolve("control_auth_cookie");
                            if (!Files.exists(cookie)) {
                                continue;
                            }
                            probe = ControlProbe.open(s.controlPort(), cookie);
                            probes.put(i, probe);
                        }
                        progress.put(i, probe.bootstrapProgress());
                    } catch (IOException e) {
                        // not listening yet, or cookie half written: ask again next round
                        closeQuietly(probes.remove(i));
                    }
                }
                if (allDone && consensusComplete(probes, specs.size())) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new TestnetException(timeoutMessage(specs, procs, progress));
                }
                Thread.sleep(POLL_MS);
            }
        } finally {
            for (ControlProbe p : probes.values()) {
                closeQuietly(p);
            }
        }
    }

    private static boolean consensusComplete(Map<Integer, ControlProbe> probes, int routers) {
        for (int i = 0; i < AUTHORITIES; i++) {
            ControlProbe probe = probes.get(i);
            try {
                if (probe == null || probe.consensusRouterCount() < routers) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static String timeoutMessage(List<Torrc.NodeSpec> specs, List<TorProcess> procs,
                                         Map<Integer, Integer> progress) {
        StringBuilder sb = new StringBuilder("the private Tor network was not usable before the deadline");
        for (int i = 0; i < specs.size(); i++) {
            int pct = progress.getOrDefault(i, 0);
            if (pct < 100) {
                sb.append('\n').append(procs.get(i).describeFailure("stuck at " + pct + " % bootstrap"));
            }
        }
        if (sb.indexOf("\n") < 0) {
            sb.append("\nevery node bootstrapped, but the authorities' consensus never listed all ")
                    .append(specs.size()).append(" relays").append('\n')
                    .append(procs.get(0).describeFailure("authority consensus incomplete"));
        }
        return sb.toString();
    }

    private static void closeQuietly(ControlProbe p) {
        if (p != null) {
            try {
                p.close();
            } catch (IOException ignored) {
                // a probe only reads; nothing to lose
            }
        }
    }

    /** Stops in reverse start order; restores the interrupt flag if interrupted meanwhile. */
    private static void stopAll(List<TorProcess> procs) {
        boolean interrupted = Thread.interrupted();
        for (TorProcess p : procs) {
            p.destroyGently();
        }
        for (int i = procs.size() - 1; i >= 0; i--) {
            try {
                procs.get(i).stop(STOP_GRACE_MS);
            } catch (InterruptedException e) {
                interrupted = true;
                procs.get(i).destroyNow();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Torrc lines a client tor needs to join this network: {@code TestingTorNetwork 1}, the
     * client-relevant testing options and one {@code DirAuthority} line per authority. No
     * DataDirectory, ports or Log lines: the client's own launcher adds those, as on the real
     * network. Each element is one line, {@code "Key value"}.
     */
    public List<String> clientTorrcLines() {
        return Torrc.client(authorities);
    }

    /** The nodes, authorities first. */
    public List<TestnetNode> nodes() {
        return nodes;
    }

    /** Process ids of every tor process this network started. */
    public List<Long> pids() {
        return nodes.stream().map(TestnetNode::pid).toList();
    }

    /** The directory holding every node's data; deleted by {@link #close()}. */
    public Path workDirectory() {
        return workDirectory;
    }

    /** Time spent creating the authorities' keys, before any tor was launched. */
    public Duration keyGenerationTime() {
        return keyGenerationTime;
    }

    /** Time from launching the first tor until the network was usable. */
    public Duration bootstrapTime() {
        return bootstrapTime;
    }

    /**
     * Stops every process (SIGTERM, SIGKILL after a grace period), waits until each is gone and
     * deletes the working directory. Blocks; idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopAll(processes);
        try {
            Dirs.deleteTree(workDirectory);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete the testnet directory " + workDirectory, e);
        }
    }
}
