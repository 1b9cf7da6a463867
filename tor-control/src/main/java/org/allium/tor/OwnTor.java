package org.allium.tor;

import net.freehaven.tor.control.TorControlException;

import org.allium.tor.api.HostPort;
import org.allium.tor.api.OwnTorSettings;
import org.allium.tor.api.TorCommandException;
import org.allium.tor.api.TorException;
import org.allium.tor.api.TorExitedException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
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
    }

    @Override
    boolean networkEnabledOnAttach() {
        return false;
    }

    /** Writes torrc (and an empty defaults file) and returns the torrc path. */
    Path writeConfig(Path binary) throws TorException {
        List<String> bridges = new ArrayList<>();
        for (String b : settings.bridges()) bridges.add(Transports.normalise(b));
        Map<String, Path> plugins = transports.resolve(bridges, binary);
        Path dir = settings.directory().toAbsolutePath();
        try {
            createPrivateDirectory(dir);
            createPrivateDirectory(dir.resolve(Torrc.DATA_DIR));
            Files.deleteIfExists(dir.resolve(Torrc.CONTROL_PORT_FILE));
            Files.deleteIfExists(dir.resolve(Torrc.DATA_DIR).resolve(Torrc.COOKIE_FILE));
            Path torrc = dir.resolve("torrc");
            Files.write(torrc, Torrc.generate(dir, plugins, bridges, settings.extraTorrcLines()), StandardCharsets.UTF_8);
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
        Path torrc = writeConfig(binary);
        Path dir = torrc.getParent();
        List<String> command = List.of(binary.toString(), "-f", torrc.toString(),
                "--defaults-torrc", dir.resolve("torrc-defaults").toString(),
                OWNER, Long.toString(ProcessHandle.current().pid()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
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
            HostPort control = ControlReplies.controlPortFile(
                    waitForFile(dir.resolve(Torrc.CONTROL_PORT_FILE), 1, process, tail, outputDone, deadline));
            byte[] cookie = waitForFile(dir.resolve(Torrc.DATA_DIR).resolve(Torrc.COOKIE_FILE), 32,
                    process, tail, outputDone, deadline).getBytes(StandardCharsets.ISO_8859_1);
            socket = new Socket();
            socket.connect(control.toSocketAddress(), 10_000);
            AlliumControlConnection c = new AlliumControlConnection(socket);
            c.launchThread(true);
            try {
                c.authenticate(cookie);
                c.takeOwnership();
                // The connection now owns tor; PID polling is no longer needed (tor-launcher does the same).
                c.resetConf(List.of(OWNER));
            } catch (TorControlException e) {
                throw new TorCommandException("AUTHENTICATE/TAKEOWNERSHIP", AlliumControlConnection.torMessage(e));
            }
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
