package org.allium.desktop.instance;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One desktop app per profile: the first {@code allium desktop} listens on a Unix socket named
 * after its profile folder (a hash: no path, name or address in the socket's name), in a
 * folder only this user can enter; a second one on the same profile connects, says
 * {@code show}, and the first brings its window to the front — the second then exits instead of
 * failing on the profile lock. Nothing else is read from the socket: one fixed word of at most
 * 16 bytes, anything else closes the connection. A socket left by a killed app (connection
 * refused) is removed and taken over. Both sides read with a deadline ({@link #READ_TIMEOUT}): a
 * local client that connects and sends nothing cannot hold the one acceptor thread, and a first
 * instance that never answers cannot keep a second start waiting. Thread-safe.
 */
public final class SingleInstance implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SingleInstance.class.getName());
    static final String SHOW = "show\n";
    static final String SHOWN = "ok\n";
    private static final int MAX_REQUEST = 16;
    /** How long one connection may take to say its word (or to answer it). */
    static final java.time.Duration READ_TIMEOUT = java.time.Duration.ofSeconds(2);

    private final ServerSocketChannel server;
    private final Path socket;
    private final Thread acceptor;

    private SingleInstance(ServerSocketChannel server, Path socket, Runnable onShow) {
        this.server = server;
        this.socket = socket;
        this.acceptor = new Thread(() -> serve(onShow), "allium-single-instance");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * The socket for {@code profile}: {@code $XDG_RUNTIME_DIR/allium/desktop-HASH.sock}, else
     * under {@code fallbackDir}/run. {@code HASH} is the first 16 hex digits of SHA-256 of the
     * profile folder's absolute path.
     */
    public static Path socketFor(Path profile, Map<String, String> env, Path fallbackDir) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        Path dir = runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()
                ? Path.of(runtime, "allium") : fallbackDir.resolve("run");
        return dir.resolve("desktop-" + hash(profile.toAbsolutePath().normalize().toString()) + ".sock");
    }

    /**
     * Becomes the one instance for {@code socket}, or hands over to the one already running.
     *
     * @param onShow run (on the acceptor thread) each time another start asks to be shown
     * @return this instance (close it when quitting), or null when another instance was told to
     *         show itself and this start should end
     * @throws IOException the socket can be neither reached nor made (the caller may go on
     *         without single-instance handling)
     */
    public static SingleInstance claim(Path socket, Runnable onShow) throws IOException {
        Path dir = socket.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            if (tell(socket)) {
                return null;
            }
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                s.bind(UnixDomainSocketAddress.of(socket));
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
                return new SingleInstance(s, socket, onShow);
            } catch (IOException e) {
                s.close();
                // Another start bound it between our two steps: tell that one.
            }
        }
        throw new IOException("the single-instance socket could not be made");
    }

    /** Connects and asks the running instance to show itself; false if none answers (a stale socket is removed). */
    static boolean tell(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            c.write(ByteBuffer.wrap(SHOW.getBytes(StandardCharsets.US_ASCII)));
            // A first instance that takes our word counts as there even if its answer is late.
            readLine(c, 8, READ_TIMEOUT);
            return true;
        } catch (java.net.SocketException e) {
            // Nobody listens: left by an app that was killed.
            Files.deleteIfExists(socket);
            return false;
        }
    }

    private void serve(Runnable onShow) {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                if (SHOW.equals(readLine(c, MAX_REQUEST, READ_TIMEOUT))) {
                    onShow.run();
                    c.configureBlocking(true);
                    c.write(ByteBuffer.wrap(SHOWN.getBytes(StandardCharsets.US_ASCII)));
                }
            } catch (java.nio.channels.ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "single-instance request failed ({0})", e.getClass().getSimpleName());
            }
        }
    }

    /**
     * Reads up to {@code max} bytes until a line feed, the end of the stream or {@code timeout},
     * whichever comes first (the channel is left non-blocking).
     */
    static String readLine(SocketChannel c, int max, java.time.Duration timeout) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(max);
        c.configureBlocking(false);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
            c.register(selector, java.nio.channels.SelectionKey.OP_READ);
            while (in.hasRemaining()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                int n = c.read(in);
                if (n < 0 || (in.position() > 0 && in.get(in.position() - 1) == '\n')) {
                    break;
                }
            }
        }
        return new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the single-instance socket failed ({0})", e.getClass().getSimpleName());
        }
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
