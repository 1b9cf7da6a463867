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

            List<String> childArgs = List.of(b.dir.resolve("profile").toString(), torrc.toString());
            ChildProcess first = ChildProcess.start(ChildMessenger.class, childArgs, childLog);
            first.awaitReady();
            a.events.await(MessengerEvent.PresenceChanged.class,
                    e -> e.online() && a.events.count(MessengerEvent.PresenceChanged.class, p -> p.online()) >= 2,
                    LONG, "karl's child online at judy");
            List<MessageId> sent = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= BURST; i++) {
                expected.add("burst " + i);
                sent.add(a.messenger.sendMessage(ids[0], "burst " + i));
            }
            first.await("5 received", () -> first.after("RECEIVED ").size() >= 5);
            first.killHard();
            int beforeCrash = first.after("RECEIVED ").size();
            assertTrue(beforeCrash < BURST, "killed mid-burst (" + beforeCrash + " received)");

            ChildProcess second = ChildProcess.start(ChildMessenger.class, childArgs, childLog);
            second.awaitReady();
            for (MessageId id : sent) {
                MessengerIT.awaitDelivered(a, id);
            }
            second.stop();

            List<String> events = new ArrayList<>(first.after("RECEIVED "));
            events.addAll(second.after("RECEIVED "));
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
