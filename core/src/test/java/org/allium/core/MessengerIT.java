package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactState;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.MessengerEvent;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The engine end to end on the private Tor network: real tor processes and onion services. */
@ExtendWith(TestnetExtension.class)
class MessengerIT {
    private static final Duration LONG = Node.LONG;

    static {
        TestLogs.install();
    }

    @Test
    void acceptanceMadeWhileRequesterIsOfflineReachesItAndMessagesFlowBothWays(Testnet testnet, @TempDir Path tmp)
            throws Exception {
        try (Node a = new Node("alice", tmp, testnet.clientTorrcLines(), Timings.testnet());
             Node b = new Node("bob", tmp, testnet.clientTorrcLines(), Timings.testnet())) {
            a.start();
            b.start();

            ContactId bAtA = a.messenger.sendContactRequest("allium:" + b.address(), "Alyssa P", "hi, it's me");
            MessengerEvent.RequestReceived got = b.events.await(MessengerEvent.RequestReceived.class, e -> true,
                    LONG, "request at B");
            assertEquals(a.address(), got.request().serviceId());
            assertEquals("hi, it's me", got.request().message());
            a.events.await(MessengerEvent.RequestChanged.class,
                    e -> e.request().id().equals(bAtA) && e.request().delivered(), LONG, "request delivered at A");

            a.stop();
            ContactId aAtB = got.request().id();
            b.messenger.accept(aAtB);
            assertEquals(ContactState.ACCEPTED, b.messenger.contact(aAtB).state());
            MessageId early = b.messenger.sendMessage(aAtB, "sent before you came back");

            a.start();
            a.events.await(MessengerEvent.ContactAdded.class, e -> e.contact().id().equals(bAtA), LONG,
                    "A learns of the acceptance");
            a.events.await(MessengerEvent.MessageReceived.class,
                    e -> e.message().text().equals("sent before you came back"), LONG, "early message at A");
            b.events.await(MessengerEvent.MessageStatusChanged.class,
                    e -> e.message().equals(early) && e.status() == MessageStatus.DELIVERED, LONG, "early delivered");

            MessageId m1 = a.messenger.sendMessage(bAtA, "hello bob");
            b.events.await(MessengerEvent.MessageReceived.class, e -> e.message().text().equals("hello bob")
                    && e.message().contact().equals(aAtB), LONG, "message at B");
            a.events.await(MessengerEvent.MessageStatusChanged.class,
                    e -> e.message().equals(m1) && e.status() == MessageStatus.DELIVERED, LONG, "m1 delivered");

            MessageId m2 = b.messenger.sendMessage(aAtB, "hello alice");
            a.events.await(MessengerEvent.MessageReceived.class, e -> e.message().text().equals("hello alice"),
                    LONG, "message at A");
            b.events.await(MessengerEvent.MessageStatusChanged.class,
                    e -> e.message().equals(m2) && e.status() == MessageStatus.DELIVERED, LONG, "m2 delivered");

            assertTrue(a.messenger.contact(bAtA).online());
            assertEquals(ContactState.ACCEPTED, a.messenger.contact(bAtA).state());
            // The request's text (issue 13: the conversation's first item), then the three messages.
            assertEquals(4, a.messenger.conversation(bAtA, 10, null).size());
            assertEquals("hi, it's me", a.messenger.conversation(bAtA, 10, null).get(0).text());

            List<String> leaks = TestLogs.leaks(List.of("Alyssa P", "hi, it's me", "hello bob", "hello alice",
                    "sent before you came back", a.address(), b.address()));
            assertTrue(leaks.isEmpty(), "logs leak identifying text: " + leaks);
        }
    }

    /** Two accepted contacts, both online and connected. Returns {B's id at A, A's id at B}. */
    static ContactId[] connect(Node a, Node b) throws Exception {
        ContactId bAtA = a.messenger.sendContactRequest(b.address(), null, "");
        MessengerEvent.RequestReceived got = b.events.await(MessengerEvent.RequestReceived.class,
                e -> e.request().serviceId().equals(a.address()), LONG, "request at " + b.name);
        b.messenger.accept(got.request().id());
        a.events.await(MessengerEvent.ContactAdded.class, e -> e.contact().id().equals(bAtA), LONG,
                a.name + " learns of the acceptance");
        b.events.await(MessengerEvent.PresenceChanged.class, e -> e.online(), LONG, "session at " + b.name);
        a.events.await(MessengerEvent.PresenceChanged.class, e -> e.contact().equals(bAtA) && e.online(), LONG,
                b.name + " online at " + a.name);
        b.events.await(MessengerEvent.PresenceChanged.class,
                e -> e.contact().equals(got.request().id()) && e.online(), LONG, a.name + " online at " + b.name);
        return new ContactId[] {bAtA, got.request().id()};
    }

    /** Waits until {@code other} is an accepted contact of {@code at} and online there. */
    static void awaitOnline(Node at, Node other) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (true) {
            try {
                if (at.messenger.contacts().stream().anyMatch(c -> c.serviceId().equals(other.address())
                        && c.state() == ContactState.ACCEPTED && c.online())) {
                    return;
                }
            } catch (org.allium.core.api.MessengerException e) {
                throw new AssertionError(e);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(other.name + " not an online contact at " + at.name + " within " + LONG);
            }
            Thread.sleep(100);
        }
    }

    static void awaitDelivered(Node n, MessageId id) throws InterruptedException {
        n.events.await(MessengerEvent.MessageStatusChanged.class,
                e -> e.message().equals(id) && e.status() == MessageStatus.DELIVERED, LONG, "delivery at " + n.name);
    }

    @Test
    void twentyMessagesQueuedWhileReceiverIsStoppedArriveOnceInOrder(Testnet testnet, @TempDir Path tmp)
            throws Exception {
        try (Node a = new Node("carol", tmp, testnet.clientTorrcLines(), Timings.testnet());
             Node b = new Node("dave", tmp, testnet.clientTorrcLines(), Timings.testnet())) {
            a.start();
            b.start();
            ContactId[] ids = connect(a, b);
            b.stop();
            a.events.await(MessengerEvent.PresenceChanged.class, e -> e.contact().equals(ids[0]) && !e.online(),
                    LONG, "dave offline at carol");
            List<MessageId> sent = new java.util.ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                sent.add(a.messenger.sendMessage(ids[0], "queued " + i));
            }
            b.start();
            for (MessageId id : sent) {
                awaitDelivered(a, id);
            }
            List<String> texts = new java.util.ArrayList<>();
            for (MessengerEvent e : b.events.snapshot()) {
                if (e instanceof MessengerEvent.MessageReceived r) {
                    texts.add(r.message().text());
                }
            }
            List<String> expected = new java.util.ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                expected.add("queued " + i);
            }
            assertEquals(expected, texts, "every message once, in order (received events)");
            List<String> stored = b.messenger.conversation(ids[1], 100, null).stream()
                    .map(org.allium.core.api.Message::text).toList();
            assertEquals(expected, stored, "every message once, in order (store)");
        }
    }

    @Test
    void messengerRecoversWhenItsTorIsKilled(Testnet testnet, @TempDir Path tmp) throws Exception {
        try (Node a = new Node("erin", tmp, testnet.clientTorrcLines(), Timings.testnet());
             Node b = new Node("frank", tmp, testnet.clientTorrcLines(), Timings.testnet())) {
            a.start();
            b.start();
            ContactId[] ids = connect(a, b);
            long pid = a.messenger.torPid();
            assertTrue(pid > 0, "own tor has a pid");
            assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "SIGKILL sent to tor");
            a.events.await(MessengerEvent.TorProblem.class,
                    e -> e.kind() == MessengerEvent.TorProblem.Kind.TOR_EXITED, LONG, "tor exit noticed");
            MessageId queued = a.messenger.sendMessage(ids[0], "while tor was down");
            a.events.await(MessengerEvent.Ready.class, e -> a.events.count(MessengerEvent.Ready.class, r -> true) >= 2,
                    LONG, "ready again after tor restart");
            assertTrue(a.messenger.torPid() > 0 && a.messenger.torPid() != pid, "a new tor process");
            awaitDelivered(a, queued);
            b.events.await(MessengerEvent.MessageReceived.class, e -> e.message().text().equals("while tor was down"),
                    LONG, "message at frank");
            MessageId back = b.messenger.sendMessage(ids[1], "welcome back");
            awaitDelivered(b, back);
            a.events.await(MessengerEvent.MessageReceived.class, e -> e.message().text().equals("welcome back"),
                    LONG, "reply at erin");
        }
    }
}
