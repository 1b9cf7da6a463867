package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.allium.core.api.TorSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command against the fake engine: arguments, output and the documented exit codes. */
class CommandsTest {

    @TempDir
    Path tmp;

    private FakeEngine engine;
    private CliRunner cli;
    private String profile;

    @BeforeEach
    void setUp() {
        engine = new FakeEngine();
        cli = new CliRunner(engine).env(Passphrases.ENV, "correct horse");
        profile = tmp.resolve("p").toString();
        CliRunner.Result init = cli.run("--profile", profile, "init", "--nickname", "alice");
        assertEquals(0, init.exit(), init.toString());
    }

    private static void assertExit(ExitCode code, String messagePart, CliRunner.Result r) {
        assertEquals(code.code(), r.exit(), r.toString());
        assertTrue(r.err().startsWith("allium: ") && r.err().contains(messagePart), r.toString());
    }

    @Test
    void initPrintsTheNewLinkAndFingerprint() {
        CliRunner.Result r = cli.run("--profile", tmp.resolve("q").toString(), "init");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("allium:") && r.out().contains("fingerprint: FP-"), r.out());
    }

    @Test
    void initOnAnExistingProfileIsRefused() {
        assertExit(ExitCode.PROFILE_EXISTS, "already exists", cli.run("--profile", profile, "init"));
    }

    @Test
    void idPrintsLinkAndFingerprintAndAsJson() throws Exception {
        CliRunner.Result r = cli.run("--profile", profile, "id");
        assertEquals(0, r.exit(), r.toString());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].matches("allium:[a-z2-7]{56}"), r.out());
        assertTrue(lines[1].startsWith("fingerprint: FP-"), r.out());
        CliRunner.Result j = cli.run("id", "--json", "--profile", profile);
        Map<String, Object> m = Json.parseObject(j.out().trim(), 10_000);
        assertEquals(lines[0], m.get("link"));
        assertEquals("alice", m.get("nickname"));
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand() {
        assertEquals(0, cli.run("id", "--profile", profile).exit());
        assertEquals(0, cli.run("--profile", profile, "id").exit());
    }

    @Test
    void wrongPassphrase() {
        cli.env(Passphrases.ENV, "wrong");
        assertExit(ExitCode.WRONG_PASSPHRASE, "wrong passphrase", cli.run("--profile", profile, "contacts"));
    }

    @Test
    void noProfile() {
        assertExit(ExitCode.NO_PROFILE, "allium init", cli.run("--profile", tmp.resolve("none").toString(), "id"));
    }

    @Test
    void profileInUse() throws Exception {
        try (var open = engine.profiles().open(Path.of(profile), "correct horse".toCharArray())) {
            assertExit(ExitCode.PROFILE_IN_USE, "profile in use", cli.run("--profile", profile, "contacts"));
        }
    }

    @Test
    void badAddress() {
        CliRunner.Result r = cli.run("--profile", profile, "add", "allium:tooshort", "--wait", "0");
        assertExit(ExitCode.BAD_ADDRESS, "bad address: An address has exactly 56 characters", r);
        assertExit(ExitCode.BAD_ADDRESS, "bad address", cli.run("--profile", profile, "add", "", "--wait", "0"));
    }

    @Test
    void unknownContact() {
        assertExit(ExitCode.UNKNOWN_CONTACT, "unknown contact", cli.run("--profile", profile, "send", "99", "hi",
                "--wait", "0"));
        assertExit(ExitCode.UNKNOWN_CONTACT, "unknown contact", cli.run("--profile", profile, "history", "nobody"));
    }

    @Test
    void usageErrors() {
        assertExit(ExitCode.USAGE, "Unknown option", cli.run("--profile", profile, "send", "1", "hi", "--bogus"));
        assertExit(ExitCode.USAGE, "Missing required parameter", cli.run("--profile", profile, "add"));
        assertExit(ExitCode.USAGE, "Unmatched argument", cli.run("frobnicate"));
        assertExit(ExitCode.USAGE, "HOST:PORT", cli.run("--profile", profile, "--tor-control", "nohost", "id"));
        assertExit(ExitCode.USAGE, "on\" or \"off", cli.run("--profile", profile, "accepting", "maybe"));
        assertExit(ExitCode.USAGE, "\"wait\" must be", cli.run("--profile", profile, "send", "1", "hi", "--wait", "-1"));
    }

    @Test
    void torMissingWhenASendHasToWaitForDelivery() {
        engine.torMissing = true;
        assertExit(ExitCode.TOR_MISSING, "tor missing: No tor binary found",
                cli.run("--profile", profile, "send", "bob", "hello", "--wait", "30"));
    }

    @Test
    void sendWaitsForDeliveryWhenNoDaemonRuns() throws Exception {
        CliRunner.Result r = cli.run("--profile", profile, "send", "bob", "hello");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().trim().endsWith(" delivered"), r.out());
        CliRunner.Result h = cli.run("--profile", profile, "--json", "history", "1");
        List<?> msgs = (List<?>) Json.parseObject(h.out().trim(), 100_000).get("messages");
        assertFalse(msgs.isEmpty(), h.out());
    }

    @Test
    void notDeliveredWithinTheWaitIsATimeoutAndStaysQueued() {
        engine.peerOffline = true;
        CliRunner.Result r = cli.run("--profile", profile, "send", "bob", "are you there?", "--wait", "1");
        assertExit(ExitCode.TIMEOUT, "not delivered within 1 s", r);
        assertTrue(r.out().trim().endsWith(" queued"), r.out());
        CliRunner.Result a = cli.run("--profile", profile, "add", "allium:" + FakeEngine.serviceId(77), "--wait", "1");
        assertExit(ExitCode.TIMEOUT, "request", a);
    }

    @Test
    void aRefusedOperationDoesNotStartTor() {
        assertExit(ExitCode.BAD_ADDRESS, "bad address", cli.run("--profile", profile, "add", "allium:abc"));
        assertExit(ExitCode.UNKNOWN_CONTACT, "unknown contact", cli.run("--profile", profile, "send", "9", "x"));
        assertTrue(engine.messengers.stream().noneMatch(m -> m.everStarted), "tor was never started");
    }

    @Test
    void aProfilePathTooLongForASocketOnlyStopsTheDaemon() {
        String deep = tmp.resolve("x".repeat(60)).resolve("y".repeat(60)).toString();
        CliRunner.Result init = cli.run("--profile", deep, "init");
        assertEquals(0, init.exit(), "one-shot commands need no socket: " + init);
        assertEquals(0, cli.run("--profile", deep, "contacts").exit());
        assertExit(ExitCode.CONTROL_FAILED, "too long for a control socket", cli.run("--profile", deep, "run"));
        cli.env("XDG_RUNTIME_DIR", tmp.toString());
        Path sock = assertDoesNotThrowSocket(deep);
        assertTrue(sock.startsWith(tmp.resolve("allium")), sock.toString());
    }

    private Path assertDoesNotThrowSocket(String dir) {
        try {
            return SocketPaths.forProfile(Path.of(dir), cli.env);
        } catch (CliException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void sendWithoutWaitingQueuesAndSucceeds() {
        CliRunner.Result r = cli.run("--profile", profile, "send", "1", "hello", "--wait", "0");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().trim().endsWith(" queued"), r.out());
    }

    @Test
    void sendReadsTheTextFromStandardInput() {
        cli.stdin = "from stdin\n";
        CliRunner.Result r = cli.run("--profile", profile, "--json", "send", "1", "-", "--wait", "0");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("\"status\":\"queued\""), r.out());
    }

    @Test
    void refusedOperationsHaveTheirOwnCode() {
        assertExit(ExitCode.REFUSED, "too long", cli.run("--profile", profile, "send", "1", "x".repeat(4001),
                "--wait", "0"));
        assertExit(ExitCode.REFUSED, "not an incoming request", cli.run("--profile", profile, "accept", "1"));
    }

    @Test
    void requestsAreListedWithoutTerminalEscapes() {
        CliRunner.Result r = cli.run("--profile", profile, "requests");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("from carol\ufffd[31m"), r.out());
        assertFalse(r.out().contains("\u001b"), "no raw escape reaches the terminal");
    }

    @Test
    void acceptRejectBlockRemoveVerify() {
        assertEquals(0, cli.run("--profile", profile, "accept", "2").exit());
        for (String cmd : List.of("verify", "block", "remove")) {
            CliRunner.Result r = cli.run("--profile", profile, cmd, "1");
            assertEquals(0, r.exit(), r.toString());
        }
        assertExit(ExitCode.UNKNOWN_CONTACT, "unknown contact", cli.run("--profile", profile, "reject", "7"));
    }

    @Test
    void addQueuesARequestAndReportsDelivery() {
        CliRunner.Result r = cli.run("--profile", profile, "add", "allium:" + FakeEngine.serviceId(4242), "-m", "hi");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("delivered"), r.out());
    }

    @Test
    void contactsAsTextAndJson() throws Exception {
        CliRunner.Result r = cli.run("--profile", profile, "contacts");
        assertTrue(r.out().contains("bob") && r.out().contains("accepted"), r.out());
        Map<String, Object> j = Json.parseObject(cli.run("--profile", profile, "--json", "contacts").out().trim(),
                100_000);
        Map<?, ?> bob = (Map<?, ?>) ((List<?>) j.get("contacts")).get(0);
        assertEquals(1L, bob.get("id"));
        assertEquals("allium:" + FakeEngine.BOB, bob.get("link"));
    }

    @Test
    void torOptionsAreSavedInTheProfileAndTestnetLinesAreNot() throws Exception {
        Path lines = tmp.resolve("testnet.torrc");
        Files.writeString(lines, "# from allium testnet\nTestingTorNetwork 1\nDirAuthority a orport=1 "
                + "no-v2 v3ident=AA 127.0.0.1:2 BB\n");
        CliRunner.Result r = cli.run("--profile", profile, "--tor", "/opt/tor/tor", "--bridge", "obfs4 1.2.3.4:5 X",
                "--testnet", lines.toString(), "contacts");
        assertEquals(0, r.exit(), r.toString());
        TorSettings used = engine.lastTor;
        assertEquals(Path.of("/opt/tor/tor"), used.torBinary());
        assertEquals(List.of("obfs4 1.2.3.4:5 X"), used.bridges());
        assertEquals(2, used.testnetLines().size());
        FakeEngine.Stored s = engine.stored.get(Path.of(profile));
        assertEquals(Path.of("/opt/tor/tor"), s.tor.torBinary());
        assertTrue(s.tor.testnetLines().isEmpty());
    }

    @Test
    void externalTorTakesItsPasswordFromTheEnvironment() {
        cli.env(TorConfig.CONTROL_PASSWORD_ENV, "pw");
        CliRunner.Result r = cli.run("--profile", profile, "--tor-control", "[::1]:9151", "--tor-socks", "9150",
                "contacts");
        assertEquals(0, r.exit(), r.toString());
        TorSettings used = engine.lastTor;
        assertEquals(TorSettings.Mode.EXTERNAL, used.mode());
        assertEquals("::1", used.controlHost());
        assertEquals(9151, used.controlPort());
        assertEquals(9150, used.socksPort());
        assertEquals("pw", used.controlPassword());
        assertExit(ExitCode.USAGE, "cannot be combined", cli.run("--profile", profile, "--tor-control",
                "127.0.0.1:9051", "--bridge", "x", "contacts"));
    }

    @Test
    void aTestnetFileWithoutAuthoritiesIsRefused() throws Exception {
        Path lines = tmp.resolve("bad.torrc");
        Files.writeString(lines, "SocksPort 9050\n");
        assertExit(ExitCode.USAGE, "DirAuthority", cli.run("--profile", profile, "--testnet", lines.toString(), "id"));
    }

    @Test
    void passwdChangesThePassphrase() {
        cli.env(Passphrases.ENV_NEW, "new one");
        assertEquals(0, cli.run("--profile", profile, "passwd").exit());
        assertExit(ExitCode.WRONG_PASSPHRASE, "wrong passphrase", cli.run("--profile", profile, "id"));
        cli.env(Passphrases.ENV, "new one");
        assertEquals(0, cli.run("--profile", profile, "id").exit());
    }

    @Test
    void passwdFromADescriptorReadsOldThenNew() {
        cli.env.remove(Passphrases.ENV);
        cli.fds.put(3, "correct horse\nbattery staple\n");
        assertEquals(0, cli.run("--profile", profile, "--passphrase-fd", "3", "passwd").exit());
        assertNotNull(engine.stored.get(Path.of(profile)));
        assertEquals("battery staple", new String(engine.stored.get(Path.of(profile)).passphrase));
    }

    @Test
    void wipeNeedsConfirmation() {
        assertExit(ExitCode.USAGE, "--yes", cli.run("--profile", profile, "wipe"));
        cli.prompt = p -> "no".toCharArray();
        assertExit(ExitCode.USAGE, "not wiped", cli.run("--profile", profile, "wipe"));
        cli.prompt = p -> "wipe".toCharArray();
        assertEquals(0, cli.run("--profile", profile, "wipe").exit());
        assertExit(ExitCode.NO_PROFILE, "no profile", cli.run("--profile", profile, "wipe", "--yes"));
    }

    @Test
    void helpAndVersionExitZero() {
        CliRunner.Result h = cli.run("--help");
        assertEquals(0, h.exit());
        for (String cmd : List.of("init", "id", "contacts", "requests", "add", "accept", "reject", "block", "remove",
                "send", "history", "passwd", "wipe", "run", "demo", "testnet")) {
            assertTrue(h.out().contains("  " + cmd + " "), "help lists " + cmd + ":\n" + h.out());
        }
        assertEquals(0, cli.run("--version").exit());
        assertEquals(0, cli.run().exit());
    }
}
