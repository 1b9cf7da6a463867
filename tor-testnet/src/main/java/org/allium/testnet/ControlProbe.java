package org.allium.testnet;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal tor control-port connection (cookie authentication, GETINFO) used only to watch
 * the test network come up; the real controller lives in tor-control. Not thread-safe; every
 * call blocks for at most the socket timeout.
 */
final class ControlProbe implements Closeable {
    private static final int TIMEOUT_MS = 10_000;
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_LINES = 100_000;
    private static final Pattern PROGRESS = Pattern.compile("PROGRESS=(\\d{1,3})");

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    private ControlProbe(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        this.out = socket.getOutputStream();
    }

    /** Connects to 127.0.0.1:{@code port} and authenticates with the cookie in {@code cookieFile}. */
    static ControlProbe open(int port, Path cookieFile) throws IOException {
        byte[] cookie = Files.readAllBytes(cookieFile);
        if (cookie.length != 32) {
            throw new IOException("control cookie has " + cookie.length + " bytes, expected 32");
        }
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            ControlProbe probe = new ControlProbe(s);
            probe.command("AUTHENTICATE " + HexFormat.of().formatHex(cookie));
            return probe;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Bootstrap percentage (0-100) from {@code GETINFO status/bootstrap-phase}. */
    int bootstrapProgress() throws IOException {
        for (String line : command("GETINFO status/bootstrap-phase")) {
            Matcher m = PROGRESS.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IOException("no PROGRESS in tor's bootstrap-phase reply");
    }

    /** Number of routers listed in this node's current consensus ({@code GETINFO ns/all}). */
    int consensusRouterCount() throws IOException {
        int n = 0;
        for (String line : command("GETINFO ns/all")) {
            if (line.startsWith("r ")) {
                n++;
            }
        }
        return n;
    }

    /**
     * Sends one command and returns the reply's lines without status prefixes (data lines of a
     * {@code 250+} block as they are).
     *
     * @throws IOException when tor answers with an error status or the connection fails
     */
    List<String> command(String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line.length() < 4) {
                throw new IOException("malformed control reply line");
            }
            String status = line.substring(0, 3);
            char sep = line.charAt(3);
            String rest = line.substring(4);
            if (!status.startsWith("2")) {
                throw new IOException("tor refused '" + command.split(" ", 2)[0] + "': " + line);
            }
            lines.add(rest);
            if (sep == '+') {
                for (String data = readLine(); !data.equals("."); data = readLine()) {
                    if (lines.size() > MAX_LINES) {
                        throw new IOException("control reply too long");
                    }
                    lines.add(data.startsWith(".") ? data.substring(1) : data);
                }
            } else if (sep == ' ') {
                return lines;
            }
        }
    }

    private String readLine() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("tor closed the control connection");
        }
        if (line.length() > MAX_LINE) {
            throw new IOException("control reply line too long");
        }
        return line;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
