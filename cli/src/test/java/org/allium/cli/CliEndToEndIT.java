package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.allium.core.api.Profile;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line end to end with the real engine on the private Tor network: two
 * daemons ({@code allium run}, in this JVM) driven only through their control sockets add
 * each other and exchange messages both ways; one-shot commands go through a running
 * daemon; and every documented error path gives its documented exit code and message.
 */
@ExtendWith(TestnetExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliEndToEndIT {

    /** Generous: a loaded 2-core machine, onion descriptors that take a retry to be found. */
    private static final Duration DEADLINE = Duration.ofMinutes(5);

    @TempDir
    static Path tmp;

    private Path testnetFile;
    private RunningDaemon alice;
    private RunningDaemon bob;
    private long bobAtAlice;

    @BeforeAll
    void network(Testnet testnet) throws Exception {
        testnetFile = tmp.resolve("testnet.torrc");
        Files.write(testnetFile, testnet.clientTorrcLines(), StandardCharsets.UTF_8);
    }

    @AfterAll
    void stopDaemons() throws Exception {
        for (RunningDaemon d : new RunningDaemon[] {alice, bob}) {
            if (d != null) {
                d.stop();
            }
        }
    }

    private CliRunner cli(String passphrase) {
        CliRunner c = new CliRunner(Engine.real());
        c.env("XDG_RUNTIME_DIR", tmp.toString());
        if (passphrase != null) {
            c.env(Passphrases.ENV, passphrase);
        }
        return c;
    }

    private String[] withProfile(Path profile, String... args) {
        List<String> all = new ArrayList<>(List.of("--profile", profile.toString(), "--testnet",
                testnetFile.toString()));
        all.addAll(List.of(args));
        return all.toArray(new String[0]);
    }

    private static void assertExit(ExitCode code, String messageStart, CliRunner.Result r) {
        assertEquals(code.code(), r.exit(), r.toString());
        assertTrue(r.err().startsWith("allium: " + messageStart), r.toString());
    }

    /** {@code allium run} on one profile, in this JVM, with its stdout lines collected. */
    final class RunningDaemon {
        final Path profile;
        final Path socket;
        final LinkedBlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
        final List<String> badLines = new ArrayList<>();
        final CompletableFuture<Integer> exit;
        volatile boolean stopping;

        RunningDaemon(String name) throws Exception {
            profile = tmp.resolve(name);
            CliRunner init = cli(name + " passphrase");
            CliRunner.Result r = init.run(withProfile(profile, "init", "--nickname", name));
            assertEquals(0, r.exit(), r.toString());
            socket = SocketPaths.forProfile(profile, init.env);
            PipedInputStream pin = new PipedInputStream(1 << 20);
            PrintStream out = new PrintStream(new PipedOutputStream(pin), true, StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader br = new BufferedReader(new InputStreamReader(pin, StandardCharsets.UTF_8))) {
                    for (String l; (l = br.readLine()) != null; ) {
                        try {
                            events.add(Json.parseObject(l, 1 << 20));
                        } catch (Json.JsonException e) {
                            synchronized (badLines) {
                                badLines.add(l);
                            }
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // The daemon closed stdout.
                }
            }, "it-" + name + "-stdout");
            reader.setDaemon(true);
            reader.start();
            CliRunner runner = cli(name + " passphrase");
            exit = CompletableFuture.supplyAsync(() -> Main.run(withProfile(profile, "run"),
                    runner.context(out, System.err)));
        }

        /** Waits for a stdout event line of {@code type} matching {@code cond}. */
        Map<String, Object> await(String type, Predicate<Map<String, Object>> cond) throws Exception {
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (System.nanoTime() < end) {
                Map<String, Object> e = events.poll(1, TimeUnit.SECONDS);
                if (e == null) {
                    if (!stopping) {
                        assertFalse(exit.isDone(), () -> "daemon exited early: " + exit.join());
                    }
                    continue;
                }
                assertEquals(1L, e.get("v"));
                if (type.equals(e.get("type")) && cond.test(e)) {
                    return e;
                }
            }
            throw new AssertionError("no " + type + " event from " + profile.getFileName() + " within " + DEADLINE);
        }

        Map<String, Object> call(String cmd, Object... kv) throws Exception {
            Map<String, Object> args = new LinkedHashMap<>();
            for (int i = 0; i < kv.length; i += 2) {
                args.put((String) kv[i], kv[i + 1]);
            }
            try (ControlClient c = ControlClient.connectIfRunning(socket)) {
                assertNotNull(c, "daemon socket " + socket);
                return c.call(cmd, args);
            }
        }

        void stop() throws Exception {
            stopping = true;
            if (!exit.isDone()) {
                try (ControlClient c = ControlClient.connectIfRunning(socket)) {
                    if (c != null) {
                        c.call("stop", Map.of());
                    }
                }
            }
            assertEquals(0, exit.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            synchronized (badLines) {
                assertTrue(badLines.isEmpty(), "every stdout line is JSON: " + badLines);
            }
        }
    }

    @Test
    @Order(1)
    void twoDaemonsAddEachOtherAndExchangeMessagesThroughTheirSockets() throws Exception {
        alice = new RunningDaemon("alice");
        bob = new RunningDaemon("bob");
        alice.await("daemon_started", e -> true);
        bob.await("daemon_started", e -> true);
        alice.await("ready", e -> true);
        bob.await("ready", e -> true);

        String bobLink = (String) bob.call("id").get("link");
        assertTrue(bobLink.matches("allium:[a-z2-7]{56}"), bobLink);

        Map<String, Object> added = alice.call("add", "address", bobLink, "message", "hi bob, alice here",
                "wait", 300L);
        bobAtAlice = (Long) added.get("contact");
        assertEquals(true, added.get("delivered"), "request delivered: " + added);

        Map<String, Object> req = bob.await("request_received", e -> true);
        Map<?, ?> request = (Map<?, ?>) req.get("request");
        assertEquals("hi bob, alice here", request.get("message"));
        assertEquals("alice", request.get("nickname"));
        long aliceAtBob = (Long) request.get("id");
        List<?> pending = (List<?>) bob.call("requests").get("requests");
        assertEquals(1, pending.size());

        bob.call("accept", "contact", aliceAtBob);
        alice.await("contact_added", e -> ((Map<?, ?>) e.get("contact")).get("id").equals(bobAtAlice));

        Map<String, Object> sent = alice.call("send", "contact", bobAtAlice, "text", "first message, ünïcødé ✓",
                "wait", 300L);
        assertEquals("delivered", sent.get("status"), sent.toString());
        Map<String, Object> got = bob.await("message_received", e -> true);
        assertEquals("first message, ünïcødé ✓", ((Map<?, ?>) got.get("message")).get("text"));
        alice.await("message_status_changed", e -> e.get("message_id").equals(sent.get("message"))
                && "delivered".equals(e.get("status")));

        Map<String, Object> reply = bob.call("send", "contact", "alice", "text", "reply from bob", "wait", 300L);
        assertEquals("delivered", reply.get("status"), reply.toString());
        Map<String, Object> back = alice.await("message_received", e -> true);
        assertEquals("reply from bob", ((Map<?, ?>) back.get("message")).get("text"));

        // The request's text opens the conversation (issue 13), then the two messages.
        List<?> history = (List<?>) alice.call("history", "contact", bobAtAlice).get("messages");
        assertEquals(3, history.size(), history.toString());
        Map<?, ?> first = (Map<?, ?>) history.get(0);
        assertEquals("hi bob, alice here", first.get("text"), history.toString());
        assertEquals("outgoing", first.get("direction"), history.toString());
        assertEquals("delivered", first.get("status"), history.toString());
    }

    @Test
    @Order(2)
    void oneShotCommandsUseTheRunningDaemonWithoutAPassphrase() throws Exception {
        CliRunner noPass = cli(null);
        CliRunner.Result r = noPass.run(withProfile(alice.profile, "send", Long.toString(bobAtAlice), "sent by a one-shot command",
                "--wait", "300"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().trim().endsWith("delivered"), r.out());
        bob.await("message_received", e -> "sent by a one-shot command".equals(
                ((Map<?, ?>) e.get("message")).get("text")));

        CliRunner.Result contacts = noPass.run(withProfile(bob.profile, "contacts"));
        assertEquals(0, contacts.exit(), contacts.toString());
        assertTrue(contacts.out().contains("alice"), contacts.out());
    }

    /** Issue 16: a private group driven through the socket and one-shot commands, its JSON events on stdout. */
    @Test
    @Order(2)
    void aGroupIsCreatedJoinedWrittenAndRenamedThroughSocketsAndOneShotCommands() throws Exception {
        String group = (String) alice.call("group_create", "name", "Book club").get("group");
        alice.call("group_invite", "group", group, "contact", bobAtAlice);
        Map<String, Object> invited = bob.await("group_invited", e -> group.equals(((Map<?, ?>) e.get("group")).get("id")));
        assertEquals("Book club", ((Map<?, ?>) invited.get("group")).get("name"));
        assertEquals("invited", ((Map<?, ?>) invited.get("group")).get("status"));
        CliRunner.Result accepted = cli(null).run(withProfile(bob.profile, "group", "accept", group));
        assertEquals(0, accepted.exit(), accepted.toString());
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (((List<?>) alice.call("group_members", "group", group).get("members")).stream()
                .filter(m -> Boolean.TRUE.equals(((Map<?, ?>) m).get("joined"))).count() < 2) {
            assertTrue(System.nanoTime() < deadline, "bob's join reached alice");
            Thread.sleep(100);
        }

        CliRunner.Result sent = cli(null).run(withProfile(alice.profile, "group", "send", group, "hello book club"));
        assertEquals(0, sent.exit(), sent.toString());
        String post = sent.out().trim();
        Map<String, Object> got = bob.await("group_posted", e -> post.equals(((Map<?, ?>) e.get("post")).get("id")));
        assertEquals("hello book club", ((Map<?, ?>) got.get("post")).get("text"));
        CliRunner.Result history = cli(null).run(withProfile(bob.profile, "group", "history", group));
        assertEquals(0, history.exit(), history.toString());
        assertTrue(history.out().contains("alice: hello book club"), history.out());

        String reply = (String) bob.call("group_send", "group", group, "text", "hi alice").get("post");
        alice.await("group_posted", e -> reply.equals(((Map<?, ?>) e.get("post")).get("id")));
        while (((List<?>) alice.call("group_history", "group", group).get("posts")).stream()
                .noneMatch(p -> post.equals(((Map<?, ?>) p).get("id")) && Long.valueOf(1).equals(((Map<?, ?>) p).get("delivered_to")))) {
            assertTrue(System.nanoTime() < deadline, "alice's post delivered to 1 of 1");
            Thread.sleep(100);
        }

        assertEquals(0, cli(null).run(withProfile(alice.profile, "group", "rename", group, "Reading club")).exit());
        bob.await("group_changed", e -> "Reading club".equals(((Map<?, ?>) e.get("group")).get("name")));
        CliRunner.Result members = cli(null).run(withProfile(bob.profile, "group", "members", group));
        assertTrue(members.out().contains("creator") && members.out().contains("(you)"), members.out());
        assertExit(ExitCode.ERROR, "only an admin can rename",
                cli(null).run(withProfile(bob.profile, "group", "rename", group, "Mine now")));
    }

    @Test
    @Order(2)
    void aFileOfferedByAOneShotCommandIsAcceptedOnTheSocketAndSavedIdentical() throws Exception {
        byte[] content = new byte[1024 * 1024 + 3];
        new java.util.Random(5).nextBytes(content);
        Path src = Files.write(tmp.resolve("report for bob.bin"), content);
        CliRunner.Result sent = cli(null).run(withProfile(alice.profile, "send-file", Long.toString(bobAtAlice),
                src.toString()));
        assertEquals(0, sent.exit(), sent.toString());
        Map<String, Object> offered = bob.await("file_offered", e -> true);
        Map<?, ?> file = (Map<?, ?>) offered.get("file");
        assertEquals("report for bob.bin", file.get("name"));
        assertEquals((long) content.length, file.get("size"));
        String id = (String) file.get("id");
        assertTrue(sent.out().startsWith(id), sent.out());
        Path out = Files.createDirectories(tmp.resolve("bob-downloads"));
        bob.call("accept-file", "file", id, "to", out.toString());
        bob.await("file_completed", e -> id.equals(((Map<?, ?>) e.get("file")).get("id")));
        alice.await("file_completed", e -> id.equals(((Map<?, ?>) e.get("file")).get("id")));
        Path saved = out.resolve("report for bob.bin");
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!Files.exists(saved) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(content, Files.readAllBytes(saved));
        CliRunner.Result list = cli(null).run(withProfile(bob.profile, "files"));
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.out().contains(id) && list.out().contains("complete"), list.out());
        Path again = tmp.resolve("saved-again.bin");
        CliRunner.Result save = cli(null).run(withProfile(bob.profile, "save-file", id, again.toString()));
        assertEquals(0, save.exit(), save.toString());
        org.junit.jupiter.api.Assertions.assertArrayEquals(content, Files.readAllBytes(again));
        assertExit(ExitCode.USAGE, "", cli(null).run(withProfile(bob.profile, "accept-file", "nothex")));
    }

    @Test
    @Order(3)
    void errorPathsWhileADaemonRuns() throws Exception {
        CliRunner c = cli("alice passphrase");
        assertExit(ExitCode.PROFILE_IN_USE, "profile in use", c.run(withProfile(alice.profile, "run")));
        assertExit(ExitCode.PROFILE_IN_USE, "profile in use", c.run(withProfile(alice.profile, "passwd")));
        assertExit(ExitCode.BAD_ADDRESS, "bad address", c.run(withProfile(alice.profile, "add",
                "allium:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")));
        assertExit(ExitCode.UNKNOWN_CONTACT, "unknown contact", c.run(withProfile(alice.profile, "send", "999", "x")));
    }

    @Test
    @Order(4)
    void errorPathsOfAProfileOpenedByTheCommandItself() throws Exception {
        Path carol = tmp.resolve("carol");
        CliRunner c = cli("carol passphrase");
        assertEquals(0, c.run(withProfile(carol, "init")).exit());

        assertExit(ExitCode.WRONG_PASSPHRASE, "wrong passphrase", cli("not it").run(withProfile(carol, "id")));
        assertExit(ExitCode.NO_PROFILE, "no profile", c.run(withProfile(tmp.resolve("nobody"), "id")));
        assertExit(ExitCode.PROFILE_EXISTS, "a profile already exists", c.run(withProfile(carol, "init")));
        assertExit(ExitCode.BAD_ADDRESS, "bad address", c.run(withProfile(carol, "add", "allium:nonsense",
                "--wait", "0")));
        assertExit(ExitCode.USAGE, "", cli(null).run(withProfile(carol, "id")));
        try (Profile open = Engine.real().profiles().open(carol, "carol passphrase".toCharArray())) {
            assertExit(ExitCode.PROFILE_IN_USE, "profile in use", c.run(withProfile(carol, "id")));
        }

        Path dave = tmp.resolve("dave");
        CliRunner d = cli("dave passphrase");
        assertEquals(0, d.run(withProfile(dave, "init")).exit());
        Path noTor = tmp.resolve("no-such-dir").resolve("tor");
        assertExit(ExitCode.TOR_MISSING, "tor missing", d.run(withProfile(dave, "--tor", noTor.toString(), "run")));
        assertExit(ExitCode.TOR_MISSING, "tor missing", d.run(withProfile(dave, "add",
                (String) alice.call("id").get("link"), "--wait", "120")));
    }

    @Test
    @Order(5)
    void daemonsStopCleanlyOnRequest() throws Exception {
        alice.stop();
        bob.stop();
        assertFalse(Files.exists(alice.socket));
        alice.await("daemon_stopped", e -> true);
    }

    @Test
    @Order(6)
    void withoutADaemonAMessageToAnOfflineContactTimesOutAndStaysQueued() throws Exception {
        CliRunner c = cli("alice passphrase");
        CliRunner.Result r = c.run(withProfile(alice.profile, "--json", "send", Long.toString(bobAtAlice),
                "while you were away", "--wait", "20"));
        assertEquals(ExitCode.TIMEOUT.code(), r.exit(), r.toString());
        Map<String, Object> res = Json.parseObject(r.out().trim(), 1 << 20);
        List<?> history = (List<?>) Json.parseObject(c.run(withProfile(alice.profile, "--json", "history",
                Long.toString(bobAtAlice))).out().trim(), 1 << 20).get("messages");
        Map<?, ?> last = (Map<?, ?>) history.get(history.size() - 1);
        assertEquals(res.get("message"), last.get("id"));
        assertTrue(List.of("queued", "sent").contains(last.get("status")), last.toString());
        alice = null;
        bob = null;
    }
}
