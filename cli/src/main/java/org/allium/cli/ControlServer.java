package org.allium.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The daemon's control channel: a Unix domain socket only its owner can use (directory
 * 0700, socket 0600, and the peer's uid checked with SO_PEERCRED), speaking line-delimited
 * JSON. One request per line; one response line per request, in order. At most
 * {@link #MAX_CONNECTIONS} connections at once; each request line is capped at
 * {@link LineIo#MAX_LINE_BYTES}. Lifecycle: {@link #start()} once, {@link #close()} removes
 * the socket file. Thread-safe.
 */
final class ControlServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ControlServer.class.getName());
    static final int MAX_CONNECTIONS = 16;

    /** What the daemon does with one parsed request. */
    interface Handler {
        /**
         * Handles a request; returns the result object, or throws a {@link CliException} that
         * becomes an error response. May take over the connection (subscribe).
         */
        Map<String, Object> handle(String cmd, Args args, Connection connection)
                throws CliException, InterruptedException;
    }

    /** One client connection, as seen by the handler. */
    interface Connection {
        /**
         * Keeps the connection open for events after the response (see {@code subscribe}):
         * the response is queued on {@code sink} first, then {@code activate} runs (start
         * feeding events into the sink); {@code deactivate} runs when the client goes away.
         */
        void becomeSubscriber(LineSink sink, Runnable activate, Runnable deactivate);

        OutputStream output();

        /** Runs {@code action} once the response to the current request is written (see {@code stop}). */
        void afterResponse(Runnable action);
    }

    private final Path socket;
    private final Handler handler;
    private final ThreadFactory threads;
    private final Object lock = new Object();
    private final Set<SocketChannel> open = new HashSet<>();
    private ServerSocketChannel server;
    private UserPrincipal owner;
    private boolean closed;

    ControlServer(Path socket, Handler handler, ThreadFactory threads) {
        this.socket = socket;
        this.handler = handler;
        this.threads = threads;
    }

    Path socket() {
        return socket;
    }

    /**
     * Binds the socket. A socket file left by a crashed daemon is replaced; a live one is
     * an error (the profile lock normally catches that first).
     */
    void start() throws CliException {
        try {
            Path dir = socket.getParent();
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            if (Files.exists(socket)) {
                if (ControlClient.isLive(socket)) {
                    throw new CliException(ExitCode.PROFILE_IN_USE, "profile in use: a daemon already runs on it");
                }
                Files.delete(socket);
            }
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(socket));
            // The directory is already 0700, so nobody else could connect in between.
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            owner = Files.getOwner(socket);
            synchronized (lock) {
                server = ch;
            }
        } catch (IOException e) {
            throw new CliException(ExitCode.CONTROL_FAILED, "cannot create the control socket: " + e.getMessage(), e);
        }
        threads.newThread(this::acceptLoop).start();
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                synchronized (lock) {
                    if (!closed) {
                        LOG.log(Level.WARNING, "control socket accept failed: {0}", e.toString());
                    }
                }
                return;
            }
            boolean admitted;
            synchronized (lock) {
                admitted = !closed && open.size() < MAX_CONNECTIONS;
                if (admitted) {
                    open.add(ch);
                }
            }
            if (!admitted || !samePeer(ch)) {
                refuse(ch, admitted ? "not the owner" : "too many connections");
                if (admitted) {
                    forget(ch);
                }
                continue;
            }
            threads.newThread(() -> serve(ch)).start();
        }
    }

    private boolean samePeer(SocketChannel ch) {
        try {
            UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return peer.user().equals(owner);
        } catch (IOException | UnsupportedOperationException e) {
            // The 0600 socket in a 0700 directory is the real barrier; this is a second check.
            return true;
        }
    }

    private static void refuse(SocketChannel ch, String why) {
        try (ch) {
            Map<String, Object> r = errorResponse(null, ExitCode.CONTROL_FAILED, why);
            ch.write(java.nio.ByteBuffer.wrap((Json.write(r) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException ignored) {
            // The peer is gone; nothing to tell it.
        }
    }

    private void serve(SocketChannel ch) {
        boolean subscribed = false;
        try {
            InputStream in = new BufferedInputStream(LineIo.input(ch));
            OutputStream out = LineIo.output(ch);
            LineSink[] sub = {null};
            Runnable[] hooks = {null, null};
            Runnable[] after = {null};
            Connection conn = new Connection() {
                @Override
                public void becomeSubscriber(LineSink sink, Runnable activate, Runnable deactivate) {
                    sub[0] = sink;
                    hooks[0] = activate;
                    hooks[1] = deactivate;
                }

                @Override
                public OutputStream output() {
                    return out;
                }

                @Override
                public void afterResponse(Runnable action) {
                    after[0] = action;
                }
            };
            while (true) {
                String line;
                try {
                    line = LineIo.readLine(in, LineIo.MAX_LINE_BYTES);
                } catch (LineIo.BadLineException e) {
                    write(out, errorResponse(null, ExitCode.USAGE, e.getMessage()));
                    return;
                }
                if (line == null) {
                    return;
                }
                if (line.isBlank()) {
                    // Every line gets its answer, so a client never waits for one that is not coming.
                    write(out, errorResponse(null, ExitCode.USAGE, "empty request line: send one JSON object per line"));
                    continue;
                }
                Map<String, Object> response = respond(line, conn);
                if (sub[0] != null) {
                    // The response goes through the sink too, so it precedes every event.
                    subscribed = true;
                    sub[0].offer(Json.write(response));
                    if (!Boolean.TRUE.equals(response.get("ok"))) {
                        sub[0].close();
                        return;
                    }
                    hooks[0].run();
                    try {
                        waitUntilClosed(in);
                    } finally {
                        hooks[1].run();
                        sub[0].close();
                    }
                    return;
                }
                write(out, response);
                if (after[0] != null) {
                    Runnable a = after[0];
                    after[0] = null;
                    a.run();
                }
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "control connection closed: {0}", e.toString());
        } finally {
            forget(ch);
            try {
                ch.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
            LOG.log(Level.FINE, "control connection done (subscriber: {0})", subscribed);
        }
    }

    /** A subscriber sends nothing more; reading until EOF notices when it goes away. */
    private static void waitUntilClosed(InputStream in) throws IOException {
        byte[] buf = new byte[256];
        while (in.read(buf) != -1) {
            // Ignore anything a subscriber sends.
        }
    }

    private Map<String, Object> respond(String line, Connection conn) {
        Object id = null;
        try {
            Map<String, Object> req;
            try {
                req = Json.parseObject(line, LineIo.MAX_LINE_BYTES);
            } catch (Json.JsonException e) {
                throw new CliException(ExitCode.USAGE, "bad JSON: " + e.getMessage());
            }
            id = req.get("id");
            if (id instanceof Map || id instanceof java.util.List) {
                id = null;
                throw new CliException(ExitCode.USAGE, "\"id\" must be a string or a number");
            }
            Object cmd = req.get("cmd");
            if (!(cmd instanceof String)) {
                throw new CliException(ExitCode.USAGE, "missing \"cmd\"");
            }
            Map<String, Object> result = handler.handle((String) cmd, new Args(req), conn);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("v", JsonView.SCHEMA);
            r.put("id", id);
            r.put("ok", true);
            r.put("result", result);
            return r;
        } catch (CliException e) {
            return errorResponse(id, e.exitCode(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return errorResponse(id, ExitCode.INTERRUPTED, "the daemon is stopping");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "control request failed: {0}", e.getClass().getName());
            return errorResponse(id, ExitCode.ERROR, "internal error: " + e.getClass().getSimpleName());
        }
    }

    static Map<String, Object> errorResponse(Object id, ExitCode code, String message) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("code", code.jsonName());
        err.put("exit", code.code());
        err.put("message", message);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("v", JsonView.SCHEMA);
        r.put("id", id);
        r.put("ok", false);
        r.put("error", err);
        return r;
    }

    private static void write(OutputStream out, Map<String, Object> response) throws IOException {
        out.write((Json.write(response) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.flush();
    }

    private void forget(SocketChannel ch) {
        synchronized (lock) {
            open.remove(ch);
        }
    }

    /** Stops accepting, closes every connection and deletes the socket file. Idempotent. */
    @Override
    public void close() {
        Set<SocketChannel> toClose;
        ServerSocketChannel s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new HashSet<>(open);
            s = server;
        }
        try {
            if (s != null) {
                s.close();
            }
        } catch (IOException ignored) {
            // Going away anyway.
        }
        for (SocketChannel ch : toClose) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Going away anyway.
            }
        }
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent());
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not remove the control socket: {0}", e.toString());
        }
    }
}
