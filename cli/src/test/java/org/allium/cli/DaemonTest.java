package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code allium run} against the fake engine: the JSON event stream, the control socket and
 * its protection, and one-shot commands going through the daemon.
 */
class DaemonTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private FakeEngine engine;
    private CliRunner cli;
    private String profile;
    private Path socket;
    private CompletableFuture<Integer> daemon;
    private final LinkedBlockingQueue<String> stdout = new LinkedBlockingQueue<>();

    @BeforeEach
    void startDaemon() throws Exception {
        engine = new FakeEngine();
        cli = new CliRunner(engine).env(Passphrases.ENV, "pw");
        profile = tmp.resolve("p").toString();
        assertEquals(0, cli.run("--profile", profile, "init").exit());
        socket = SocketPaths.forProfile(Path.of(profile), cli.env);

        PipedInputStream pin = new PipedInputStream(1 << 16);
        PrintStream out = new PrintStream(new PipedOutputStream(pin), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(pin, StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    stdout.add(l);
                }
            } catch (java.io.IOException ignored) {
                // The daemon closed its output.
            }
        }, "test-stdout-reader");
        reader.setDaemon(true);
        reader.start();
        daemon = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"--profile", profile, "run"},
                cli.context(out, System.err)));
        Map<String, Object> started = nextEvent("daemon_started");
        assertEquals(socket.toString(), started.get("socket"));
        nextEvent("ready");
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (!daemon.isDone()) {
            try (ControlClient c = ControlClient.connectIfRunning(socket)) {
                if (c != null) {
                    c.call("stop", Map.of());
                }
            }
        }
        assertEquals(0, daemon.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertFalse(Files.exists(socket), "socket removed on exit");
    }

    private Map<String, Object> nextEvent(String type) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            String line = stdout.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            Map<String, Object> e = Json.parseObject(line, 1 << 20);
            assertEquals(1L, e.get("v"), line);
            assertNotNull(e.get("time"), line);
            if (type.equals(e.get("type"))) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " event within " + DEADLINE);
    }

    @Test
    void theSocketIsPrivateToTheOwner() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
    }

    @Test
    void oneShotCommandsGoThroughTheDaemonWithoutAPassphrase() throws Exception {
        cli.env.remove(Passphrases.ENV);
        CliRunner.Result r = cli.run("--profile", profile, "--json", "send", "bob", "via the daemon");
        assertEquals(0, r.exit(), r.toString());
        Map<String, Object> res = Json.parseObject(r.out().trim(), 1 << 20);
        assertTrue(List.of("queued", "sent", "delivered").contains(res.get("status")), r.out());
        Map<String, Object> status = nextEvent("message_status_changed");
        assertEquals(res.get("message"), status.get("message_id"));

        CliRunner.Result waited = cli.run("--profile", profile, "send", "1", "and wait", "--wait", "30");
        assertEquals(0, waited.exit(), waited.toString());
        assertTrue(waited.out().trim().endsWith("delivered"), waited.out());

        assertEquals(0, cli.run("--profile", profile, "contacts").exit());
        assertEquals(ExitCode.UNKNOWN_CONTACT.code(), cli.run("--profile", profile, "send", "42", "x").exit());
        CliRunner.Result bad = cli.run("--profile", profile, "add", "allium:nope");
        assertEquals(ExitCode.BAD_ADDRESS.code(), bad.exit(), bad.toString());
        assertTrue(bad.err().contains("bad address"), bad.err());
    }

    @Test
    void theProfileCommandsRefuseWhileTheDaemonRuns() {
        for (String cmd : List.of("passwd", "wipe", "run")) {
            CliRunner.Result r = cli.run("--profile", profile, cmd, "--yes".equals(cmd) ? "" : cmd.equals("wipe")
                    ? "--yes" : "--json");
            assertEquals(ExitCode.PROFILE_IN_USE.code(), r.exit(), cmd + ": " + r);
            assertTrue(r.err().contains("profile in use"), r.err());
        }
    }

    @Test
    void subscribersGetEveryEventAfterTheirResponse() throws Exception {
        try (ControlClient sub = ControlClient.connectIfRunning(socket)) {
            assertTrue(sub.call("subscribe", Map.of()).isEmpty());
            try (ControlClient c = ControlClient.connectIfRunning(socket)) {
                c.call("accepting", Map.of("on", false));
            }
            Map<String, Object> e = sub.readObject();
            assertEquals("accepting_contacts_changed", e.get("type"));
            assertEquals(false, e.get("accepting"));
        }
    }

    @Test
    void requestsAreAnsweredInOrderWithTheirIds() throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            write(ch, "{\"id\":\"a\",\"cmd\":\"ping\"}\n{\"id\":7,\"cmd\":\"id\"}\n \t\n{\"cmd\":\"nope\"}\nnot json\n"
                    + "{\"id\":[1],\"cmd\":\"ping\"}\n{\"id\":\"e\",\"cmd\":\"send\",\"contact\":\"bob\",\"text\":\"\"}\n");
            BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                    StandardCharsets.UTF_8));
            Map<String, Object> ping = Json.parseObject(r.readLine(), 1 << 20);
            assertEquals("a", ping.get("id"));
            assertEquals(true, ping.get("ok"));
            Map<String, Object> id = Json.parseObject(r.readLine(), 1 << 20);
            assertEquals(7L, id.get("id"));
            assertTrue(((String) ((Map<?, ?>) id.get("result")).get("link")).startsWith("allium:"));
            // A blank line gets an answer too: a client waiting for one is never left hanging.
            Map<String, Object> blank = Json.parseObject(r.readLine(), 1 << 20);
            assertEquals(false, blank.get("ok"));
            assertEquals("usage", ((Map<?, ?>) blank.get("error")).get("code"));
            assertTrue(((String) ((Map<?, ?>) blank.get("error")).get("message")).startsWith("empty request line"));
            Map<String, Object> nope = Json.parseObject(r.readLine(), 1 << 20);
            assertEquals(false, nope.get("ok"));
            assertEquals("usage", ((Map<?, ?>) nope.get("error")).get("code"));
            assertEquals(2L, ((Map<?, ?>) nope.get("error")).get("exit"));
            Map<String, Object> bad = Json.parseObject(r.readLine(), 1 << 20);
            assertTrue(((String) ((Map<?, ?>) bad.get("error")).get("message")).startsWith("bad JSON"));
            Map<String, Object> badId = Json.parseObject(r.readLine(), 1 << 20);
            assertNull(badId.get("id"));
            assertEquals(false, badId.get("ok"));
            // An empty text is the CLI's "empty message", not an internal error.
            Map<String, Object> empty = Json.parseObject(r.readLine(), 1 << 20);
            assertEquals("e", empty.get("id"));
            assertEquals("usage", ((Map<?, ?>) empty.get("error")).get("code"));
            assertEquals("empty message", ((Map<?, ?>) empty.get("error")).get("message"));
        }
    }

    @Test
    void anOversizedRequestGetsAnErrorAndTheConnectionIsClosed() throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            byte[] big = new byte[LineIo.MAX_LINE_BYTES + 1];
            java.util.Arrays.fill(big, (byte) 'x');
            CompletableFuture<Void> w = CompletableFuture.runAsync(() -> {
                try {
                    ch.write(ByteBuffer.wrap(big));
                } catch (java.io.IOException closed) {
                    // The daemon may close before reading it all.
                }
            });
            BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                    StandardCharsets.UTF_8));
            Map<String, Object> err = Json.parseObject(r.readLine(), 1 << 20);
            assertEquals(false, err.get("ok"));
            assertTrue(((String) ((Map<?, ?>) err.get("error")).get("message")).contains("longer than"));
            assertNull(r.readLine(), "closed after the error");
            w.get(30, TimeUnit.SECONDS);
        }
        try (ControlClient c = ControlClient.connectIfRunning(socket)) {
            assertEquals(1L, c.call("ping", Map.of()).get("v"), "the daemon is still fine");
        }
    }

    @Test
    void stopOnTheSocketEndsTheDaemonWithExitZero() throws Exception {
        try (ControlClient c = ControlClient.connectIfRunning(socket)) {
            c.call("stop", Map.of());
        }
        assertEquals(0, daemon.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        nextEvent("stopped");
        Map<String, Object> last = nextEvent("daemon_stopped");
        assertTrue(((String) last.get("reason")).contains("stop"));
        assertFalse(ControlClient.isLive(socket));
    }

    @Test
    void aStaleSocketFileIsNotMistakenForADaemon() throws Exception {
        try (ControlClient c = ControlClient.connectIfRunning(socket)) {
            c.call("stop", Map.of());
        }
        assertEquals(0, daemon.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        Files.createDirectories(socket.getParent());
        Files.createFile(socket);
        CliRunner.Result r = cli.run("--profile", profile, "contacts");
        assertEquals(0, r.exit(), "opened the profile itself: " + r);
        Files.delete(socket);
    }

    private static void write(SocketChannel ch, String s) throws java.io.IOException {
        ch.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void controlClientThrowsTheDaemonsErrorWithItsExitCode() throws Exception {
        try (ControlClient c = ControlClient.connectIfRunning(socket)) {
            CliException e = assertThrows(CliException.class, () -> c.call("send", Map.of("contact", 99L,
                    "text", "x")));
            assertEquals(ExitCode.UNKNOWN_CONTACT, e.exitCode());
        }
    }
}
