package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
                ChildProcess c = ChildProcess.start(GroupChild.class, args, childLog);
                int at = killAt[run];
                c.awaitReady();
                c.await(at + " entries stored", () -> posted(c).size() >= at);
                c.killHard();
                List<String> got = posted(c);
                assertTrue(reported.size() + got.size() < POSTS,
                        "run " + run + " was not killed mid-sync: it had everything (" + got.size() + " new)");
                reported.addAll(got);
            }
            ChildProcess last = ChildProcess.start(GroupChild.class, args, childLog);
            // Posts are taken in order: the last one stored means all are. (An entry stored just before a
            // kill may never be reported — events follow the commit — so completeness is checked in the store.)
            String lastPost = posts.get(POSTS - 1);
            last.await("the last post stored", () -> posted(last).contains(lastPost));
            reported.addAll(posted(last));
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

    /** The ids of the entries the child reported stored. */
    private static List<String> posted(ChildProcess c) {
        return c.after("POSTED ").stream().map(l -> l.split(" ")[0]).toList();
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
