package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

class PassphrasesTest {

    private final CliRunner runner = new CliRunner(new FakeEngine());
    private final PrintStream sink = new PrintStream(java.io.OutputStream.nullOutputStream());

    private Passphrases source(Integer fd) {
        return new Passphrases(runner.context(sink, sink), fd);
    }

    private void prompts(String... answers) {
        Deque<String> q = new ArrayDeque<>(List.of(answers));
        runner.prompt = p -> q.isEmpty() ? null : q.pop().toCharArray();
    }

    @Test
    void fileDescriptorComesFirst() throws Exception {
        runner.fds.put(3, "from-fd\n");
        runner.env(Passphrases.ENV, "from-env");
        prompts("from-prompt");
        assertArrayEquals("from-fd".toCharArray(), source(3).existing());
    }

    @Test
    void thenTheEnvironment() throws Exception {
        runner.env(Passphrases.ENV, "from-env");
        prompts("from-prompt");
        assertArrayEquals("from-env".toCharArray(), source(null).existing());
    }

    @Test
    void thenThePrompt() throws Exception {
        prompts("from-prompt");
        assertArrayEquals("from-prompt".toCharArray(), source(null).existing());
    }

    @Test
    void noSourceAtAllIsAUsageErrorNamingTheAlternatives() {
        CliException e = assertThrows(CliException.class, () -> source(null).existing());
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("ALLIUM_PASSPHRASE") && e.getMessage().contains("--passphrase-fd"),
                e.getMessage());
    }

    @Test
    void aDescriptorGivesOneLinePerPassphraseAndDropsCrlf() throws Exception {
        runner.fds.put(5, "old pass\r\nnew pass\n");
        Passphrases p = source(5);
        assertArrayEquals("old pass".toCharArray(), p.existing());
        assertArrayEquals("new pass".toCharArray(), p.fresh(Passphrases.ENV_NEW));
    }

    @Test
    void aLastLineWithoutNewlineCounts() throws Exception {
        runner.fds.put(4, "no newline");
        assertArrayEquals("no newline".toCharArray(), source(4).existing());
    }

    @Test
    void emptyOrClosedDescriptorsAreUsageErrors() {
        runner.fds.put(4, "");
        assertEquals(ExitCode.USAGE, assertThrows(CliException.class, () -> source(4).existing()).exitCode());
        runner.fds.put(6, "\n");
        assertEquals(ExitCode.USAGE, assertThrows(CliException.class, () -> source(6).existing()).exitCode());
        CliException closed = assertThrows(CliException.class, () -> source(9).existing());
        assertTrue(closed.getMessage().contains("9"), closed.getMessage());
        assertEquals(ExitCode.USAGE, assertThrows(CliException.class, () -> source(-1).existing()).exitCode());
    }

    @Test
    void aHugeLineIsRefusedNotBuffered() {
        runner.fds.put(3, "x".repeat(Passphrases.MAX_LINE_BYTES + 10));
        assertEquals(ExitCode.USAGE, assertThrows(CliException.class, () -> source(3).existing()).exitCode());
    }

    @Test
    void readLineStopsAtTheNewlineSoTheRestStaysUnread() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream("one\ntwo\n".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("one".toCharArray(), Passphrases.readLine(in));
        assertEquals('t', in.read());
        assertNull(Passphrases.readLine(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void invalidUtf8IsRefused() {
        runner.fds.put(3, "");
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[] {(byte) 0xc3, (byte) 0x28, '\n'});
        assertThrows(IOException.class, () -> Passphrases.readLine(in));
    }

    @Test
    void aNewPassphraseIsPromptedTwiceAndMustMatch() throws Exception {
        prompts("secret one", "secret one");
        assertArrayEquals("secret one".toCharArray(), source(null).fresh(Passphrases.ENV));
        prompts("secret one", "secret 1");
        CliException e = assertThrows(CliException.class, () -> source(null).fresh(Passphrases.ENV));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("differ"));
    }

    @Test
    void aNewPassphraseFromTheEnvironmentUsesItsOwnVariableForPasswd() throws Exception {
        runner.env(Passphrases.ENV, "old").env(Passphrases.ENV_NEW, "new");
        Passphrases p = source(null);
        assertArrayEquals("old".toCharArray(), p.existing());
        assertArrayEquals("new".toCharArray(), p.fresh(Passphrases.ENV_NEW));
    }

    @Test
    void anEmptyPassphraseIsRefused() {
        runner.env(Passphrases.ENV, "");
        assertEquals(ExitCode.USAGE, assertThrows(CliException.class, () -> source(null).existing()).exitCode());
        runner.env.remove(Passphrases.ENV);
        prompts("");
        assertEquals(ExitCode.USAGE, assertThrows(CliException.class,
                () -> new Passphrases(runner.context(sink, sink), null).existing()).exitCode());
    }

    @Test
    void thePassphraseIsNeverAnArgument() {
        CliRunner.Result r = runner.run("--passphrase", "x", "id");
        assertEquals(ExitCode.USAGE.code(), r.exit(), r.toString());
    }
}
