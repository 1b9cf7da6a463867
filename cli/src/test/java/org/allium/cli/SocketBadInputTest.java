package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.allium.contacts.api.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command of the control socket, with every argument any command reads given bad
 * values (wrong types, empty, negative, huge, path-like, control characters, nested JSON),
 * alone and beside a valid contact: the answer is a clear error (or a result), never
 * "internal error", and the daemon keeps serving. The real engine and store, offline (no tor).
 * The commands and argument names are read from the operations' sources, so a new command
 * or argument is covered without touching this test.
 */
class SocketBadInputTest {
    private static final String PASS = "socket bad input test passphrase";
    private static final Path SOURCES = Path.of("src/main/java/org/allium/cli");
    /** Not asked here: they change the connection (subscribe) or end the daemon (stop). */
    private static final Set<String> NOT_ASKED = Set.of("subscribe", "stop");

    @TempDir
    Path tmp;

    @Test
    void everyCommandAnswersBadArgumentsWithAClearError() throws Exception {
        String profile = tmp.resolve("p").toString();
        CliRunner cli = new CliRunner(Engine.real()).env(Passphrases.ENV, PASS);
        assertEquals(0, cli.run("--profile", profile, "init").exit());
        try (Profile p = StoreKit.open(profile, PASS)) {
            StoreKit.acceptedContact(p, "Bob");
        }
        Set<String> commands = commands();
        Set<String> args = argumentNames();
        assertTrue(commands.containsAll(Set.of("send", "history", "backup", "group_create", "send-file",
                "drop.settings")), commands.toString());
        assertTrue(args.containsAll(Set.of("contact", "text", "limit", "file", "wait")), args.toString());

        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        CompletableFuture<Integer> daemon = CompletableFuture.supplyAsync(() -> Main.run(
                new String[] {"--profile", profile, "--tor-control", "127.0.0.1:9", "run"}, cli.context(quiet, quiet)));
        Path socket = SocketPaths.forProfile(Path.of(profile), cli.env);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ControlClient.isLive(socket) && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        List<String> internal = new ArrayList<>();
        int asked = 0;
        int known = 0;
        try (ControlClient client = ControlClient.connectIfRunning(socket)) {
            for (String cmd : commands) {
                if (NOT_ASKED.contains(cmd) || !isCommand(client, cmd)) {
                    continue; // a case label of another switch (a state, an option)
                }
                known++;
                List<Map<String, Object>> requests = new ArrayList<>();
                requests.add(Map.of());
                for (String arg : args) {
                    for (Object bad : badValues(arg)) {
                        requests.add(Map.of(arg, bad));
                        if (!arg.equals("contact")) {
                            Map<String, Object> withContact = new LinkedHashMap<>();
                            withContact.put("contact", 1L);
                            withContact.put(arg, bad);
                            requests.add(withContact);
                        }
                    }
                }
                for (Map<String, Object> req : requests) {
                    asked++;
                    try {
                        client.call(cmd, req);
                    } catch (CliException e) {
                        if (e.exitCode() == ExitCode.CONTROL_FAILED) {
                            throw new AssertionError("the daemon stopped answering at " + cmd + " " + brief(req), e);
                        }
                        if (e.getMessage() == null || e.getMessage().contains("internal error")
                                || e.getMessage().isBlank()) {
                            internal.add(cmd + " " + brief(req) + " -> " + e.getMessage());
                        }
                    }
                }
            }
            assertTrue(known >= 40, known + " commands");
            // A backup replaces its file when complete: never a directory (or a device, a pipe).
            Path dirTarget = Files.createDirectory(tmp.resolve("a-directory"));
            CliException e = org.junit.jupiter.api.Assertions.assertThrows(CliException.class,
                    () -> client.call("backup", Map.of("file", dirTarget.toString())));
            assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
            assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
            assertTrue(Files.isDirectory(dirTarget));
            assertEquals(Map.of("v", 1L), client.call("ping", Map.of()), "still serving after " + asked);
            client.call("stop", Map.of());
        }
        assertEquals(0, daemon.get(60, TimeUnit.SECONDS));
        assertEquals(List.of(), internal, internal.size() + " of " + asked + " bad requests were internal errors");
    }

    private static boolean isCommand(ControlClient client, String cmd) {
        try {
            client.call(cmd, Map.of());
            return true;
        } catch (CliException e) {
            return e.getMessage() == null || !e.getMessage().startsWith("unknown command");
        }
    }

    private static String brief(Map<String, Object> req) {
        String s = req.toString();
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    private static List<Object> badValues(String arg) {
        List<Object> v = new ArrayList<>(List.of(true, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 2.5, "", " ", "x",
                "99999999999999999999", "\u0000\u202e", "../../etc/passwd", "/", "a".repeat(20_000), List.of(1L),
                Map.of("a", 1L)));
        if (!arg.equals("wait")) {
            v.add(1L); // a wait of 1 s is valid but slow: not for every command
        }
        return v;
    }

    /** Every {@code case "…"} of the operations and the daemon, and every name in a set of command names. */
    private static Set<String> commands() throws IOException {
        Set<String> out = new TreeSet<>();
        Pattern label = Pattern.compile("case\\s+((?:\"[^\"]+\"\\s*,?\\s*)+)(?:->|:)");
        Pattern quoted = Pattern.compile("\"([^\"]+)\"");
        for (String f : List.of("Operations.java", "GroupOperations.java", "FileOperations.java",
                "DropOperations.java", "Daemon.java")) {
            String src = Files.readString(SOURCES.resolve(f));
            Matcher m = label.matcher(src);
            while (m.find()) {
                Matcher q = quoted.matcher(m.group(1));
                while (q.find()) {
                    out.add(q.group(1));
                }
            }
        }
        return out;
    }

    /** Every argument name read through {@link Args} in the command line's sources. */
    private static Set<String> argumentNames() throws IOException {
        Set<String> out = new TreeSet<>();
        Pattern read = Pattern.compile("\\.(?:string|optString|intArg|optBool|contactRef|longArg|optLong)\\(\"([a-z_]+)\"");
        try (var files = Files.list(SOURCES)) {
            for (Path f : files.toList()) {
                Matcher m = read.matcher(Files.readString(f));
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }
}
