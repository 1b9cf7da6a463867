package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.allium.core.api.ContactId;
import org.allium.core.groups.GroupEvent;
import org.allium.core.groups.GroupId;
import org.allium.core.groups.GroupMember;
import org.allium.core.groups.GroupPost;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a group member's JVM while it catches up (PROTOCOL.md §12.4), twice: after the
 * restart every post is stored once, in its author's order, none reported twice, none lost.
 */
@ExtendWith(TestnetExtension.class)
class GroupCrashIT {
    private static final Duration LONG = Node.LONG;
    private static final int POSTS = 600;

    static {
        TestLogs.install();
    }

    /** A {@link GroupChild} JVM; its stdout lines are kept. */
    private static final class Child {
        final Process process;
        final List<String> lines = new ArrayList<>();

        Child(List<String> args, Path stderr) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    GroupChild.class.getName()));
            cmd.addAll(args);
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile())).start();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(l);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // killed mid-line: complete lines so far count
                }
            }, "group-child-stdout");
            t.setDaemon(true);
            t.start();
        }

        List<String> posted() {
            synchronized (lines) {
                return lines.stream().filter(l -> l.startsWith("POSTED ")).map(l -> l.split(" ")[1]).toList();
            }
        }

        void await(String what, java.util.function.BooleanSupplier ok) throws InterruptedException {
            long deadline = System.nanoTime() + LONG.toNanos();
            synchronized (lines) {
                while (!ok.getAsBoolean()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !process.isAlive()) {
                        throw new AssertionError("child: " + what + " not reached; last lines "
                                + lines.subList(Math.max(0, lines.size() - 5), lines.size()));
                    }
                    lines.wait(Math.min(200, Math.max(1, left / 1_000_000)));
                }
            }
        }

        boolean ready() {
            synchronized (lines) {
                return lines.contains("READY");
            }
        }

        void killHard() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child died");
        }

        void stop() throws Exception {
            try (Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                w.write("stop\n");
            }
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child stopped");
        }
    }

    @Test
    void aMemberKilledTwiceWhileCatchingUpEndsWithEveryPostOnceInOrder(Testnet testnet, @TempDir Path tmp)
            throws Exception {
        Path torrc = tmp.resolve("torrc-lines");
        Files.write(torrc, testnet.clientTorrcLines());
        Path childLog = tmp.resolve("child-stderr.log");
        try (SharedTor tor = new SharedTor(tmp.resolve("tor"), testnet.clientTorrcLines());
             Node a = new Node("liz", tmp, tor, Timings.testnet());
             Node b = new Node("max", tmp, tor, Timings.testnet())) {
            a.start();
            b.start();
            List<GroupEvent.Invited> invited = new java.util.concurrent.CopyOnWriteArrayList<>();
            b.messenger.groups().subscribe(e -> {
                if (e instanceof GroupEvent.Invited i) {
                    invited.add(i);
                }
            });
            ContactId[] ids = MessengerIT.connect(a, b);
            GroupId id = a.messenger.groups().create("Crash club");
            a.messenger.groups().invite(id, ids[0]);
            await(() -> !invited.isEmpty(), "invitation at max");
            b.messenger.groups().accept(id);
            await(() -> a.messenger.groups().members(id).stream().allMatch(GroupMember::joined),
                    () -> "max joined at liz (dropped at liz " + a.messenger.groups().dropped() + ", at max "
                            + b.messenger.groups().dropped() + ")");
            String bAddress = b.address();
            b.stop();

            // Written while B is away: B catches up all at once when it returns.
            List<String> posts = new ArrayList<>();
            for (int i = 0; i < POSTS; i++) {
                posts.add(a.messenger.groups().send(id, "crash post " + i).id());
            }

            List<String> reported = new ArrayList<>();
            List<String> args = GroupChild.args(b.dir.resolve("profile"), tor, torrc);
            int[] killAt = {20, 150};
            for (int run = 0; run < killAt.length; run++) {
                Child c = new Child(args, childLog);
                int at = killAt[run];
                c.await("ready", c::ready);
                c.await(at + " entries stored", () -> c.posted().size() >= at);
                c.killHard();
                List<String> got = c.posted();
                assertTrue(reported.size() + got.size() < POSTS,
                        "run " + run + " was not killed mid-sync: it had everything (" + got.size() + " new)");
                reported.addAll(got);
            }
            Child last = new Child(args, childLog);
            // Posts are taken in order: the last one stored means all are. (An entry stored just before a
            // kill may never be reported — events follow the commit — so completeness is checked in the store.)
            String lastPost = posts.get(POSTS - 1);
            last.await("the last post stored", () -> last.posted().contains(lastPost));
            reported.addAll(last.posted());
            last.stop();
            assertEquals(reported.size(), new HashSet<>(reported).size(), "an entry was reported twice");

            // The store: every post once, in A's order.
            b.start();
            List<String> stored = b.messenger.groups().history(id, 5000).stream()
                    .filter(p -> p.kind() == GroupPost.Kind.POST).map(GroupPost::id).toList();
            assertEquals(posts, stored, "every post stored once, in order");

            List<String> secrets = List.of("Crash club", "crash post", a.address(), bAddress);
            assertTrue(TestLogs.leaks(secrets).isEmpty(), "logs leak: " + TestLogs.leaks(secrets));
            for (String line : Files.readAllLines(childLog)) {
                assertTrue(!TestLogs.ONION.matcher(line).find() && !line.contains("crash post")
                        && !line.contains("Crash club"), "child log leaks: " + line);
            }
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check condition, String what) throws Exception {
        await(condition, () -> what);
    }

    private static void await(Check condition, java.util.function.Supplier<String> what) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!condition.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what.get());
            }
            Thread.sleep(50);
        }
    }
}
