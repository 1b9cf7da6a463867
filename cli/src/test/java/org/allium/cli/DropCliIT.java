package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code allium drop} end to end on the private Tor network: a drop-line daemon
 * ({@code allium run}), a source with no profile ({@code drop send}, {@code drop check} with
 * the codename on a file descriptor), the operator's commands through the daemon's socket. The
 * source attaches two files ({@code --file}); the operator lists and saves them ({@code drop
 * files}, {@code drop save}) and gets the same bytes; the source's check-in shows them complete.
 */
@ExtendWith(TestnetExtension.class)
class DropCliIT {
    @TempDir
    Path tmp;

    private CliRunner cli() {
        CliRunner c = new CliRunner(Engine.real());
        c.env("XDG_RUNTIME_DIR", tmp.toString());
        c.env(Passphrases.ENV, "line passphrase");
        return c;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSourceWritesTheOperatorRepliesTheSourceReadsIt(Testnet testnet) throws Exception {
        Path net = tmp.resolve("testnet.torrc");
        Files.write(net, testnet.clientTorrcLines(), StandardCharsets.UTF_8);
        Path line = tmp.resolve("line");
        String[] common = {"--profile", line.toString(), "--testnet", net.toString()};
        CliRunner.Result r = cli().run(cat(common, "init", "--nickname", "newsroom"));
        assertEquals(0, r.exit(), r.toString());
        r = cli().run(cat(common, "--json", "drop", "settings", "--on", "--acknowledgement", "Thanks, we read everything."));
        assertEquals(0, r.exit(), r.toString());
        Map<String, Object> settings = Json.parseObject(r.out().trim(), 1 << 20);
        assertEquals(true, settings.get("on"));
        String link = (String) settings.get("address");

        // The daemon; its stdout is JSON lines.
        LinkedBlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
        PipedInputStream pin = new PipedInputStream(1 << 20);
        PrintStream out = new PrintStream(new PipedOutputStream(pin), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader br = new BufferedReader(new InputStreamReader(pin, StandardCharsets.UTF_8))) {
                for (String l; (l = br.readLine()) != null; ) {
                    try {
                        events.add(Json.parseObject(l, 1 << 20));
                    } catch (Json.JsonException e) {
                        // not an event line
                    }
                }
            } catch (java.io.IOException ignored) {
                // closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        CliRunner daemonCli = cli();
        CompletableFuture<Integer> daemon = CompletableFuture.supplyAsync(() -> Main.run(cat(common, "run"),
                daemonCli.context(out, System.err)));
        try {
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            boolean ready = false;
            while (!ready && System.nanoTime() < end) {
                Map<String, Object> e = events.poll(1, TimeUnit.SECONDS);
                ready = e != null && "ready".equals(e.get("type"));
            }
            assertTrue(ready, "daemon ready");

            // The source: no profile, a throw-away tor; the codename is printed once.
            // Two attachments (several chunks, and one byte), uploaded on the submission's connection.
            byte[] minutes = new byte[200_000];
            new java.security.SecureRandom().nextBytes(minutes);
            Path pdf = Files.write(Files.createDirectories(tmp.resolve("source")).resolve("minutes.pdf"), minutes);
            Path one = Files.write(tmp.resolve("source").resolve("notes.txt"), new byte[] {'x'});
            CliRunner source = new CliRunner(Engine.real());
            r = source.run("--testnet", net.toString(), "--json", "drop", "send", link, "-m", "The minutes of Tuesday.",
                    "--file", pdf.toString(), "--file", one.toString());
            assertEquals(0, r.exit(), r.toString());
            Map<String, Object> sent = Json.parseObject(r.out().trim(), 1 << 20);
            assertEquals(true, sent.get("stored"));
            List<Map<String, Object>> sentFiles = (List<Map<String, Object>>) sent.get("files");
            assertEquals(List.of("minutes.pdf", "notes.txt"), sentFiles.stream().map(f -> f.get("name")).toList());
            assertTrue(sentFiles.stream().allMatch(f -> Boolean.TRUE.equals(f.get("complete"))), sentFiles.toString());
            assertTrue(r.err().contains("\"type\":\"drop_upload_progress\"") && r.err().contains("\"sent\":200000"),
                    "progress as JSON lines on stderr: " + r.err());
            assertEquals("Thanks, we read everything.", sent.get("acknowledgement"));
            String codename = (String) sent.get("codename");
            assertEquals(7, codename.split(" ").length);

            // The operator, through the daemon.
            r = cli().run(cat(common, "--json", "drop", "cases"));
            assertEquals(0, r.exit(), r.toString());
            List<Map<String, Object>> cases = (List<Map<String, Object>>) Json.parseObject(r.out().trim(), 1 << 20).get("cases");
            assertEquals(1, cases.size());
            String caseId = String.valueOf(cases.get(0).get("case"));
            r = cli().run(cat(common, "drop", "show", caseId));
            assertTrue(r.out().contains("The minutes of Tuesday."), r.toString());
            r = cli().run(cat(common, "--json", "drop", "files", caseId));
            assertEquals(0, r.exit(), r.toString());
            List<Map<String, Object>> files = (List<Map<String, Object>>) Json.parseObject(r.out().trim(), 1 << 20).get("files");
            assertEquals(2, files.size(), files.toString());
            assertEquals("minutes.pdf", files.get(0).get("name"));
            assertEquals(true, files.get(0).get("complete"));
            assertEquals(200_000L, ((Number) files.get(0).get("received")).longValue());
            // The daemon's event stream told of the submission and of each attachment, by number only.
            List<Map<String, Object>> seen = new java.util.ArrayList<>();
            awaitEvent(events, seen, e -> "drop_submitted".equals(e.get("type"))
                    && caseId.equals(String.valueOf(e.get("case"))), "drop_submitted");
            for (Map<String, Object> f : files) {
                awaitEvent(events, seen, e -> "drop_attachment".equals(e.get("type"))
                        && caseId.equals(String.valueOf(e.get("case"))) && f.get("id").equals(e.get("file")),
                        "drop_attachment of a file");
            }
            for (Map<String, Object> e : seen) {
                String json = Json.write(e);
                assertFalse(json.contains("minutes") || json.contains("Tuesday"), "no name or text in events: " + json);
            }
            Path saveDir = Files.createDirectories(tmp.resolve("saved"));
            r = cli().run(cat(common, "drop", "save", (String) files.get(0).get("id"), saveDir.toString()));
            assertEquals(0, r.exit(), r.toString());
            assertEquals(saveDir.resolve("minutes.pdf").toString(), r.out().trim());
            org.junit.jupiter.api.Assertions.assertArrayEquals(minutes, Files.readAllBytes(saveDir.resolve("minutes.pdf")),
                    "the operator saves the very bytes the source sent");
            r = cli().run(cat(common, "--json", "drop", "save", (String) files.get(1).get("id"), saveDir.toString()));
            assertEquals(0, r.exit(), r.toString());
            org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {'x'},
                    Files.readAllBytes(Path.of((String) Json.parseObject(r.out().trim(), 1 << 20).get("path"))));
            r = cli().run(cat(common, "drop", "reply", caseId, "-m", "Received. Who else was there?"));
            assertEquals(0, r.exit(), r.toString());
            awaitEvent(events, seen, e -> "drop_changed".equals(e.get("type"))
                    && caseId.equals(String.valueOf(e.get("case"))), "drop_changed after the reply");

            // The source checks in with the codename on a file descriptor; a wrong one sees "no replies".
            CliRunner back = new CliRunner(Engine.real());
            back.fds.put(3, codename + "\n");
            r = back.run("--testnet", net.toString(), "--json", "drop", "check", link, "--codename-fd", "3");
            assertEquals(0, r.exit(), r.toString());
            Map<String, Object> checked = Json.parseObject(r.out().trim(), 1 << 20);
            assertEquals("replied", checked.get("status"));
            List<Map<String, Object>> replies = (List<Map<String, Object>>) checked.get("replies");
            assertEquals("Received. Who else was there?", replies.get(0).get("text"));
            List<Map<String, Object>> checkedFiles = (List<Map<String, Object>>) checked.get("files");
            assertEquals(2, checkedFiles.size(), "the source sees its attachments' state");
            assertTrue(checkedFiles.stream().allMatch(f -> Boolean.TRUE.equals(f.get("complete"))), checkedFiles.toString());

            // The same text and files again with the codename (--again): a resend of the same
            // submission (how an interrupted upload resumes from another process), stored once.
            CliRunner resend = new CliRunner(Engine.real());
            resend.fds.put(3, codename + "\n");
            r = resend.run("--testnet", net.toString(), "--json", "drop", "send", link, "--again", "--codename-fd", "3",
                    "-m", "The minutes of Tuesday.", "--file", pdf.toString(), "--file", one.toString());
            assertEquals(0, r.exit(), r.toString());
            Map<String, Object> resent = Json.parseObject(r.out().trim(), 1 << 20);
            assertEquals(true, resent.get("stored"));
            assertEquals(null, resent.get("codename"), "no new codename with --again");
            assertTrue(((List<Map<String, Object>>) resent.get("files")).stream()
                    .allMatch(f -> Boolean.TRUE.equals(f.get("complete"))), resent.toString());
            r = cli().run(cat(common, "--json", "drop", "cases"));
            cases = (List<Map<String, Object>>) Json.parseObject(r.out().trim(), 1 << 20).get("cases");
            assertEquals(1, cases.size());
            assertEquals(1L, ((Number) cases.get(0).get("submissions")).longValue(), "the resend is not stored twice");
            r = cli().run(cat(common, "--json", "drop", "files", caseId));
            assertEquals(2, ((List<?>) Json.parseObject(r.out().trim(), 1 << 20).get("files")).size());

            CliRunner wrong = new CliRunner(Engine.real());
            wrong.fds.put(3, "abacus zoom t-shirt felt-tip quarters yo-yo mutable\n");
            r = wrong.run("--testnet", net.toString(), "--json", "drop", "check", link, "--codename-fd", "3");
            assertEquals(0, r.exit(), r.toString());
            Map<String, Object> none = Json.parseObject(r.out().trim(), 1 << 20);
            assertEquals("received", none.get("status"));
            assertEquals(List.of(), none.get("replies"));
            assertEquals("Thanks, we read everything.", none.get("acknowledgement"));
            assertEquals(List.of(), none.get("files"), "a wrong codename sees no attachments either");
        } finally {
            try (ControlClient c = ControlClient.connectIfRunning(SocketPaths.forProfile(line, daemonCli.env))) {
                if (c != null) {
                    c.call("stop", Map.of());
                }
            }
            daemon.get(2, TimeUnit.MINUTES);
        }
    }

    private static String[] cat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Takes the daemon's events until one matches (all taken go to {@code seen}); fails after 2 minutes. */
    private static void awaitEvent(LinkedBlockingQueue<Map<String, Object>> events, List<Map<String, Object>> seen,
                                   java.util.function.Predicate<Map<String, Object>> want, String what)
            throws InterruptedException {
        for (Map<String, Object> e : seen) {
            if (want.test(e)) {
                return;
            }
        }
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < end) {
            Map<String, Object> e = events.poll(1, TimeUnit.SECONDS);
            if (e != null) {
                seen.add(e);
                if (want.test(e)) {
                    return;
                }
            }
        }
        throw new AssertionError("no " + what + " event; saw " + seen);
    }
}
