package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.Profile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code history -n} up to the documented 10,000 and {@code send --client-id}, with the real
 * engine and store (no tor needed): a contact with 1,200 messages is written straight into
 * the profile's store first.
 */
class SendAndHistoryTest {
    private static final String PASS = "send and history test passphrase";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    @TempDir
    Path tmp;

    private CliRunner cli;
    private String profile;

    @BeforeEach
    void profileWithAContact() throws Exception {
        profile = tmp.resolve("p").toString();
        cli = new CliRunner(Engine.real()).env(Passphrases.ENV, PASS);
        assertEquals(0, cli.run("--profile", profile, "init").exit());
        try (Profile p = StoreKit.open(profile, PASS)) {
            Contact c = StoreKit.acceptedContact(p, "Bob");
            // One transaction for all (a burst as it arrives), not 1200 synced ones.
            java.util.List<org.allium.contacts.api.IncomingMessage> in = new java.util.ArrayList<>();
            for (int i = 0; i < 1200; i++) {
                in.add(new org.allium.contacts.api.IncomingMessage(org.allium.contacts.api.MessageId.random(RANDOM),
                        i + 1, java.time.Instant.now(), "message " + i));
            }
            p.messages().acceptIncoming(c.id(), in);
        }
    }

    private int lines(CliRunner.Result r) {
        return r.out().isEmpty() ? 0 : r.out().split("\n").length;
    }

    @Test
    void historyReturnsUpToTenThousandAndRefusesMoreWithAUsageError() {
        CliRunner.Result r = cli.run("--profile", profile, "history", "Bob", "-n", "1001");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(1001, lines(r), "more than the store's page of 1000");
        assertTrue(r.out().trim().endsWith("< message 1199"), "newest last: " + r.out().substring(r.out().length() - 40));
        assertTrue(r.out().split("\n")[0].endsWith("< message 199"), "oldest of the 1001 first");
        r = cli.run("--profile", profile, "history", "Bob", "-n", "10000");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(1200, lines(r), "all of them");
        for (String n : new String[] {"10001", "0", "-1"}) {
            r = cli.run("--profile", profile, "history", "Bob", "-n", n);
            assertEquals(ExitCode.USAGE.code(), r.exit(), n + ": " + r);
            assertTrue(r.err().contains("from 1 to 10000"), r.toString());
        }
    }

    @Test
    void aSendRetriedWithTheSameClientIdIsTheSameMessageAcrossRestarts() {
        // Each one-shot command opens and closes the profile: a retry here is a retry after a restart.
        CliRunner.Result a = cli.run("--profile", profile, "send", "Bob", "once only", "--client-id", "job-17:a", "--wait", "0");
        assertEquals(0, a.exit(), a.toString());
        CliRunner.Result b = cli.run("--profile", profile, "send", "Bob", "once only", "--client-id", "job-17:a", "--wait", "0");
        assertEquals(0, b.exit(), b.toString());
        assertEquals(a.out().split(" ")[0], b.out().split(" ")[0], "the same message id");
        CliRunner.Result c = cli.run("--profile", profile, "send", "Bob", "once only", "--client-id", "job-17:b", "--wait", "0");
        assertNotEquals(a.out().split(" ")[0], c.out().split(" ")[0], "another id, another message");
        CliRunner.Result h = cli.run("--profile", profile, "history", "Bob", "-n", "10000");
        assertEquals(1202, lines(h), "queued twice, not three times");

        CliRunner.Result other = cli.run("--profile", profile, "send", "Bob", "another text", "--client-id", "job-17:a", "--wait", "0");
        assertEquals(ExitCode.USAGE.code(), other.exit(), other.toString());
        assertTrue(other.err().contains("different message"), other.toString());
        CliRunner.Result bad = cli.run("--profile", profile, "send", "Bob", "x", "--client-id", "no spaces", "--wait", "0");
        assertEquals(ExitCode.USAGE.code(), bad.exit(), bad.toString());
    }

    @Test
    void theDaemonsSendTakesAClientIdToo() throws Exception {
        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        CompletableFuture<Integer> daemon = CompletableFuture.supplyAsync(() -> Main.run(
                new String[] {"--profile", profile, "--tor-control", "127.0.0.1:9", "run"}, cli.context(quiet, quiet)));
        Path socket = SocketPaths.forProfile(Path.of(profile), cli.env);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ControlClient.isLive(socket) && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        try (ControlClient client = ControlClient.connectIfRunning(socket)) {
            Map<String, Object> x = client.call("send", Map.of("contact", "Bob", "text", "hi", "client_id", "k1"));
            Map<String, Object> y = client.call("send", Map.of("contact", "Bob", "text", "hi", "client_id", "k1"));
            assertEquals(x.get("message"), y.get("message"));
            CliException e = assertThrows(CliException.class,
                    () -> client.call("send", Map.of("contact", "Bob", "text", "", "client_id", "k2")));
            assertEquals(ExitCode.USAGE, e.exitCode());
            assertEquals("empty message", e.getMessage());
            Map<String, Object> h = client.call("history", Map.of("contact", "Bob", "limit", 10_000L));
            assertEquals(1201, ((java.util.List<?>) h.get("messages")).size());
            client.call("stop", Map.of());
        }
        assertEquals(0, daemon.get(60, TimeUnit.SECONDS));
    }
}
