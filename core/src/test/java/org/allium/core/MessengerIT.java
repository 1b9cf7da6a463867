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
            assertEquals(3, a.messenger.conversation(bAtA, 10, null).size());

            List<String> leaks = TestLogs.leaks(List.of("Alyssa P", "hi, it's me", "hello bob", "hello alice",
                    "sent before you came back", a.address(), b.address()));
            assertTrue(leaks.isEmpty(), "logs leak identifying text: " + leaks);
        }
    }
}
