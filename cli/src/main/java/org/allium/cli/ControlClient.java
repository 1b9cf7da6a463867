package org.allium.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connection to a running daemon's control socket. Requests are sent one at a time;
 * {@link #call} returns the result object or throws the daemon's error as a
 * {@link CliException} with the same exit code. Not thread-safe.
 */
final class ControlClient implements AutoCloseable {

    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private long nextId = 1;

    private ControlClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedInputStream(LineIo.input(channel));
        this.out = LineIo.output(channel);
    }

    /** Connects, or returns null when no daemon listens there (no socket, or a stale one). */
    static ControlClient connectIfRunning(Path socket) {
        if (!Files.exists(socket)) {
            return null;
        }
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                return new ControlClient(ch);
            } catch (IOException e) {
                ch.close();
                return null;
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether a daemon answers on {@code socket}. */
    static boolean isLive(Path socket) {
        ControlClient c = connectIfRunning(socket);
        if (c == null) {
            return false;
        }
        c.close();
        return true;
    }

    /** Sends one request and returns its result. */
    Map<String, Object> call(String cmd, Map<String, Object> args) throws CliException {
        send(cmd, args);
        return readResponse();
    }

    /** Sends one request without reading the response (see {@link #readResponse}). */
    void send(String cmd, Map<String, Object> args) throws CliException {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("id", nextId++);
        req.put("cmd", cmd);
        req.putAll(args);
        try {
            out.write((Json.write(req) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new CliException(ExitCode.CONTROL_FAILED, "lost the daemon's control socket: " + e.getMessage(), e);
        }
    }

    /** Reads the next response line and unwraps it. */
    @SuppressWarnings("unchecked")
    Map<String, Object> readResponse() throws CliException {
        Map<String, Object> resp = readObject();
        if (resp == null) {
            throw new CliException(ExitCode.CONTROL_FAILED, "the daemon closed the control socket");
        }
        if (Boolean.TRUE.equals(resp.get("ok")) && resp.get("result") instanceof Map) {
            return (Map<String, Object>) resp.get("result");
        }
        if (Boolean.FALSE.equals(resp.get("ok")) && resp.get("error") instanceof Map) {
            Map<String, Object> err = (Map<String, Object>) resp.get("error");
            Object code = err.get("code");
            Object message = err.get("message");
            throw new CliException(ExitCode.fromJsonName(code instanceof String ? (String) code : "error"),
                    message instanceof String ? (String) message : "the daemon refused the request");
        }
        throw new CliException(ExitCode.CONTROL_FAILED, "the daemon answered something unexpected");
    }

    /** Reads one JSON object line (a response or an event); null at end of stream. */
    Map<String, Object> readObject() throws CliException {
        try {
            String line = LineIo.readLine(in, LineIo.MAX_LINE_BYTES);
            if (line == null) {
                return null;
            }
            return Json.parseObject(line, LineIo.MAX_LINE_BYTES);
        } catch (IOException | Json.JsonException e) {
            throw new CliException(ExitCode.CONTROL_FAILED, "bad answer on the control socket: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to do.
        }
    }
}
