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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.allium.core.api.ContactId;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessengerEvent;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of the receiving messenger's JVM in the middle of a burst: nothing lost, nothing twice. */
@ExtendWith(TestnetExtension.class)
class CrashIT {
    private static final Duration LONG = Node.LONG;
    private static final int BURST = 100;

    static {
        TestLogs.install();
    }

    /** A child JVM running {@link ChildMessenger}; stdout lines are queued. */
    private static final class Child {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> all = new ArrayList<>();

        Child(Path profile, Path torrc, Path stderr) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    ChildMessenger.class.getName(), profile.toString(), torrc.toString())
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile())).start();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        synchronized (all) {
                            all.add(l);
                        }
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // killed mid-line: complete lines so far count
                }
            }, "child-stdout");
            t.setDaemon(true);
            t.start();
        }

        void awaitLine(String prefix, int count) throws InterruptedException {
            long deadline = System.nanoTime() + LONG.toNanos();
            int seen = 0;
            while (seen < count) {
                String l = lines.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (l == null) {
                    throw new AssertionError("child: no " + count + " x '" + prefix + "' within " + LONG + "; saw " + all);
                }
                if (l.startsWith(prefix)) {
                    seen++;
                }
            }
        }

        List<String> received() {
            synchronized (all) {
                return all.stream().filter(l -> l.startsWith("RECEIVED ")).map(l -> l.substring(9)).toList();
            }
        }

        void killHard() throws InterruptedException {
            process.destroyForcibly();
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
    void receiverKilledMidBurstLosesNothingAndDuplicatesNothing(Testnet testnet, @TempDir Path tmp)
            throws Exception {
        Path torrc = tmp.resolve("torrc-lines");
        Files.write(torrc, testnet.clientTorrcLines());
        Path childLog = tmp.resolve("child-stderr.log");
        try (Node a = new Node("judy", tmp, testnet.clientTorrcLines(), Timings.testnet());
             Node b = new Node("karl", tmp, testnet.clientTorrcLines(), Timings.testnet())) {
            a.start();
            b.start();
            ContactId[] ids = MessengerIT.connect(a, b);
            String bAddress = b.address();
            b.stop();

            Child first = new Child(b.dir.resolve("profile"), torrc, childLog);
            first.awaitLine("READY", 1);
            a.events.await(MessengerEvent.PresenceChanged.class,
                    e -> e.online() && a.events.count(MessengerEvent.PresenceChanged.class, p -> p.online()) >= 2,
                    LONG, "karl's child online at judy");
            List<MessageId> sent = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= BURST; i++) {
                expected.add("burst " + i);
                sent.add(a.messenger.sendMessage(ids[0], "burst " + i));
            }
            first.awaitLine("RECEIVED", 5);
            first.killHard();
            int beforeCrash = first.received().size();
            assertTrue(beforeCrash < BURST, "killed mid-burst (" + beforeCrash + " received)");

            Child second = new Child(b.dir.resolve("profile"), torrc, childLog);
            second.awaitLine("READY", 1);
            for (MessageId id : sent) {
                MessengerIT.awaitDelivered(a, id);
            }
            second.stop();

            List<String> events = new ArrayList<>(first.received());
            events.addAll(second.received());
            assertEquals(events.size(), new HashSet<>(events).size(), "no message was reported twice: " + events);

            b.start();
            List<String> stored = b.messenger.conversation(ids[1], 200, null).stream()
                    .map(org.allium.core.api.Message::text).toList();
            assertEquals(expected, stored, "every message stored once, in order");

            List<String> secrets = List.of(a.nickname(), b.nickname(), "burst ", a.address(), bAddress);
            assertTrue(TestLogs.leaks(secrets).isEmpty(), "logs leak: " + TestLogs.leaks(secrets));
            for (String line : Files.readAllLines(childLog)) {
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                assertTrue(!TestLogs.ONION.matcher(line).find() && !lower.contains("burst ")
                        && !lower.contains(b.nickname().toLowerCase(java.util.Locale.ROOT)),
                        "child log leaks: " + line);
            }
        }
    }
}
