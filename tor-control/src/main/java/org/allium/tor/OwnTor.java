package org.allium.tor;

import net.freehaven.tor.control.TorControlException;

import org.allium.tor.api.ListenAddress;
import org.allium.tor.api.SocketDirectory;
import org.allium.tor.api.OwnTorSettings;
import org.allium.tor.api.TorCommandException;
import org.allium.tor.api.TorException;
import org.allium.tor.api.TorExitedException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

/**
 * A tor process we launch and own: private directory, generated torrc, ports read back
 * from tor, cookie authentication, and {@code __OwningControllerProcess} +
 * {@code TAKEOWNERSHIP} so tor exits when this JVM dies, even on kill -9 (the kernel closes
 * the control socket and tor exits with it).
 */
final class OwnTor extends AbstractTor {
    private static final String OWNER = "__OwningControllerProcess";
    private static final long POLL_MILLIS = 25;

    private final OwnTorSettings settings;
    private final TorBinaryLocator locator;
    private final Transports transports;
    private final Executor ioExecutor;
    private final HostEnvironment host;

    /**
     * @param ioExecutor runs one blocking task per tor process (reading its output until it
     *                   exits); must not be bounded below the number of live tors
     */
    OwnTor(OwnTorSettings settings, HostEnvironment host, Executor eventExecutor, Executor ioExecutor) {
        super(eventExecutor);
        this.settings = settings;
        this.locator = new TorBinaryLocator(host);
        this.transports = new Transports(host);
        this.ioExecutor = ioExecutor;
        this.host = host;
    }

    @Override
    boolean networkEnabledOnAttach() {
        return false;
    }

    /** The bridges and the transport binaries they need, checked before any process starts. */
    record Bridges(List<String> lines, Map<String, Path> plugins) {}

    Bridges bridges(Path binary) throws TorException {
        List<String> lines = new ArrayList<>();
        for (String b : settings.bridges()) lines.add(Transports.normalise(b));
        return new Bridges(lines, transports.resolve(lines, binary, settings.transportBinary()));
    }

    /** Whether tor's control and SOCKS listeners are Unix sockets (not on Windows, not when TCP is asked for). */
    boolean unixSockets() {
        return !settings.tcpPorts() && !host.isWindows();
    }

    /** Creates (0700) and returns the directory of tor's Unix sockets, or null for TCP. */
    Path socketDirectory() throws TorException {
        if (!unixSockets()) return null;
        Path dir = settings.directory().toAbsolutePath();
        try {
            if (settings.socketDirectory() != null) {
                Path given = settings.socketDirectory().toAbsolutePath();
                if (!SocketDirectory.suitable(given)) {
                    throw new TorException("the socket directory " + given + " is too long or unusual for Unix sockets");
                }
                return SocketDirectory.create(given, host.env());
            }
            return SocketDirectory.create(dir.resolve("sockets"), host.env());
        } catch (IOException e) {
            throw new TorException("cannot prepare the directory for tor's sockets: " + e.getMessage(), e);
        }
    }

    /**
     * Writes torrc (and an empty defaults file) and returns the torrc path. Bridges are not
     * in it: they are set over the control connection ({@link Torrc#bridgeConf}).
     *
     * @param sockets tor's socket directory, or null for loopback TCP ports
     */
    Path writeConfig(Path sockets) throws TorException {
        Path dir = settings.directory().toAbsolutePath();
        try {
            createPrivateDirectory(dir);
            createPrivateDirectory(dir.resolve(Torrc.DATA_DIR));
            Files.deleteIfExists(dir.resolve(Torrc.CONTROL_PORT_FILE));
            Files.deleteIfExists(dir.resolve(Torrc.DATA_DIR).resolve(Torrc.COOKIE_FILE));
            scrubBridgeTraces(dir.resolve(Torrc.DATA_DIR)); // a crash may have left them
            if (sockets != null) {
                Files.deleteIfExists(sockets.resolve(Torrc.CONTROL_SOCKET));
                Files.deleteIfExists(sockets.resolve(Torrc.SOCKS_SOCKET));
            }
            Path torrc = dir.resolve("torrc");
            Files.write(torrc, Torrc.generate(dir, sockets, settings.extraTorrcLines()), StandardCharsets.UTF_8);
            Files.write(dir.resolve("torrc-defaults"), List.of("# Empty: a system-wide torrc-defaults must not change our tor."));
            return torrc;
        } catch (IOException e) {
            throw new TorException("cannot prepare tor's directory " + dir, e);
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // Keep it; tor itself refuses a data directory that others can read.
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }

    @Override
    Attached attach(int generation) throws TorException, InterruptedException {
        Path binary = locator.locate(settings.torBinary());
        Bridges bridges = bridges(binary);
        Path torrc = writeConfig(socketDirectory());
        Path dir = torrc.getParent();
        List<String> command = List.of(binary.toString(), "-f", torrc.toString(),
                "--defaults-torrc", dir.resolve("torrc-defaults").toString(),
                OWNER, Long.toString(ProcessHandle.current().pid()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        scrubEnvironment(pb.environment());
        Path binDir = binary.toAbsolutePath().getParent();
        if (binDir != null && binary.toString().contains("TorBrowser")) {
            // Tor Browser's tor finds its bundled libraries only through this.
            pb.environment().put("LD_LIBRARY_PATH", binDir.toString());
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new TorException("cannot run tor at " + binary + ": " + e.getMessage(), e);
        }
        LOG.info("started tor (pid " + process.pid() + ")");
        LogTail tail = new LogTail();
        CountDownLatch outputDone = new CountDownLatch(1);
        ioExecutor.execute(() -> watch(generation, process, tail, outputDone));
        Socket socket = null;
        try {
            long deadline = System.nanoTime() + settings.startTimeout().toNanos();
            ListenAddress control = ControlReplies.controlPortFile(
                    waitForFile(dir.resolve(Torrc.CONTROL_PORT_FILE), 1, process, tail, outputDone, deadline));
            byte[] cookie = waitForFile(dir.resolve(Torrc.DATA_DIR).resolve(Torrc.COOKIE_FILE), 32,
                    process, tail, outputDone, deadline).getBytes(StandardCharsets.ISO_8859_1);
            socket = control.connect(Duration.ofSeconds(10));
            AlliumControlConnection c = new AlliumControlConnection(socket);
            c.launchThread(true);
            c.authenticateSafeCookie(cookie);
            try {
                c.takeOwnership();
                // The connection now owns tor; PID polling is no longer needed (tor-launcher does the same).
                c.resetConf(List.of(OWNER));
            } catch (TorControlException e) {
                throw new TorCommandException("TAKEOWNERSHIP", AlliumControlConnection.torMessage(e));
            }
            // From the encrypted store to tor's memory: never in torrc, while the network is still off.
            if (!bridges.lines().isEmpty()) c.conf(Torrc.bridgeConf(bridges.plugins(), bridges.lines()));
            // Tor opens its SOCKS listener only once the network is enabled; it is read then.
            return new Attached(c, socket, null, process);
        } catch (TorException | InterruptedException | RuntimeException e) {
            closeQuietly(socket);
            kill(process);
            throw e;
        } catch (IOException e) {
            closeQuietly(socket);
            kill(process);
            if (!process.isAlive()) throw exitedDuringStart(process, tail, outputDone);
            throw new TorException("cannot connect to tor's control port: " + e.getMessage(), e);
        }
    }

    /**
     * Removes our secrets from the environment tor (and every transport plugin it starts)
     * inherits: every {@code ALLIUM_*} variable ({@code ALLIUM_PASSPHRASE} among them; tor
     * needs none of them).
     */
    static void scrubEnvironment(Map<String, String> env) {
        env.keySet().removeIf(k -> k.toUpperCase(java.util.Locale.ROOT).startsWith("ALLIUM_"));
    }

    /**
     * Waits for tor to write {@code file} (at least {@code minBytes}), failing fast with tor's
     * last log lines if tor exits first.
     */
    private String waitForFile(Path file, int minBytes, Process process, LogTail tail, CountDownLatch outputDone,
                               long deadline) throws TorException, InterruptedException {
        while (true) {
            try {
                if (Files.isRegularFile(file) && Files.size(file) >= minBytes) {
                    byte[] b = Files.readAllBytes(file);
                    if (b.length >= minBytes) return new String(b, StandardCharsets.ISO_8859_1);
                }
            } catch (IOException e) {
                // Not there yet, or being replaced: look again.
            }
            if (!process.isAlive()) throw exitedDuringStart(process, tail, outputDone);
            if (System.nanoTime() - deadline > 0) {
                throw new TorExitedException("tor did not start within " + settings.startTimeout().toSeconds()
                        + " s (no " + file.getFileName() + ")", -1, tail.lines());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static TorExitedException exitedDuringStart(Process process, LogTail tail, CountDownLatch outputDone)
            throws InterruptedException {
        outputDone.await(5, TimeUnit.SECONDS); // let the reader drain tor's last words
        int code = process.isAlive() ? -1 : process.exitValue();
        return new TorExitedException("tor exited during start-up (exit code " + code + ")", code, tail.lines());
    }

    /** Reads tor's output until it exits, then reports the exit. Runs on the io executor. */
    private void watch(int generation, Process process, LogTail tail, CountDownLatch outputDone) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                tail.add(line);
                if (LOG.isLoggable(Level.FINE)) LOG.fine("tor: " + Scrub.onions(line));
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "reading tor's output", e);
        } finally {
            outputDone.countDown();
        }
        try {
            int code = process.waitFor();
            LOG.info("tor (pid " + process.pid() + ") exited with code " + code);
            torExited(generation, code, tail.lines());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    void onControlConnectionClosed(int generation) {
        // The process watcher reports the exit with tor's exit code and last log lines.
    }

    @Override
    void detach(Attached a) throws InterruptedException {
        try {
            a.connection().shutdownTor("TERM");
        } catch (IOException e) {
            LOG.log(Level.FINE, "asking tor to exit", e);
        }
        Process p = a.process();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            LOG.warning("tor did not exit within 10 s; killing it");
        }
        closeQuietly(a.socket());
        kill(p);
        scrubBridgeTraces(settings.directory().toAbsolutePath().resolve(Torrc.DATA_DIR));
    }

    /**
     * Removes what a session with bridges leaves in tor's data directory: the bridges' own
     * descriptors ({@code cached-descriptors*}, {@code cached-extrainfo*}: their addresses
     * and fingerprints) and a {@code state} file that names bridge guards ({@code in=bridges},
     * {@code bridge_addr=}). A state file without bridges is kept (tor's guards persist, as
     * they should). Run before every launch (after a crash) and after every stop.
     */
    static void scrubBridgeTraces(Path data) {
        try {
            for (String name : List.of("cached-descriptors", "cached-descriptors.new", "cached-extrainfo",
                    "cached-extrainfo.new")) {
                Files.deleteIfExists(data.resolve(name));
            }
            Path state = data.resolve("state");
            if (Files.isRegularFile(state)) {
                String text = new String(Files.readAllBytes(state), StandardCharsets.ISO_8859_1);
                if (text.contains("in=bridges") || text.contains("bridge_addr=")) Files.delete(state);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not remove bridge traces from tor's data directory", e);
        }
    }

    private static void kill(Process p) throws InterruptedException {
        if (!p.isAlive()) return;
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
