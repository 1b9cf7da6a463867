package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessengerEvent;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.SocksException;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.Tor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * B switches "accepting contacts" off and on at run time: a stranger's (C's) request cannot reach
 * B meanwhile, B's existing contact A is unaffected, and once B accepts again C's request arrives.
 */
@ExtendWith(TestnetExtension.class)
class AcceptingContactsIT {
    private static final Duration LONG = Node.LONG;

    static {
        TestLogs.install();
    }

    @Test
    void notAcceptingKeepsStrangersOutButContactsInAndAcceptingAgainLetsTheRequestThrough(Testnet testnet,
            @TempDir Path tmp) throws Exception {
        try (Node a = new Node("judy", tmp, testnet.clientTorrcLines(), Timings.testnet());
             Node b = new Node("kevin", tmp, testnet.clientTorrcLines(), Timings.testnet());
             Node c = new Node("laura", tmp, testnet.clientTorrcLines(), Timings.testnet())) {
            a.start();
            b.start();
            c.start();
            ContactId[] ab = MessengerIT.connect(a, b);

            // 1. B stops accepting: its identity onion goes away (the listener closes before the call returns).
            b.messenger.setAcceptingContacts(false);
            assertFalse(b.messenger.isAcceptingContacts());
            b.events.await(MessengerEvent.AcceptingContactsChanged.class, e -> !e.accepting(), LONG,
                    "accepting off at B");

            // 2. C asks B; C's messenger retries in the background (testnet backoff cap 5 s).
            ContactId bAtC = c.messenger.sendContactRequest(b.address(), null, "knock knock");
            // Meanwhile C's own tor cannot open a stream to B's identity onion, twice, on fresh circuits.
            Tor ct = c.messenger.readyTor();
            for (int i = 0; i < 2; i++) {
                String isolation = "probe-" + i;
                SocksException offline = assertThrows(SocksException.class, () -> ct.dial(
                        new ServiceId(b.address()), OnionHost.VIRTUAL_PORT, StreamIsolation.of(isolation),
                        Duration.ofSeconds(60)).close(), "B's identity onion must be unreachable");
                System.err.println("probe " + i + " of the identity onion failed: " + offline.reason());
            }

            // 3. A and B, existing contacts, still talk both ways over their endpoint onions.
            MessageId toB = a.messenger.sendMessage(ab[0], "still here for you");
            MessengerIT.awaitDelivered(a, toB);
            b.events.await(MessengerEvent.MessageReceived.class,
                    e -> e.message().text().equals("still here for you"), LONG, "A's message at B");
            MessageId toA = b.messenger.sendMessage(ab[1], "glad to hear it");
            MessengerIT.awaitDelivered(b, toA);
            a.events.await(MessengerEvent.MessageReceived.class,
                    e -> e.message().text().equals("glad to hear it"), LONG, "B's message at A");

            // After the probes and the exchange (many of C's retries), C's request has still not reached B.
            assertEquals(0, b.events.count(MessengerEvent.RequestReceived.class,
                    e -> e.request().serviceId().equals(c.address())), "C's request did not reach B while not accepting");
            assertTrue(b.messenger.requests().isEmpty(), "B has no pending request");
            ContactRequest pending = c.messenger.requests().stream()
                    .filter(r -> r.id().equals(bAtC)).findFirst().orElseThrow();
            assertFalse(pending.delivered(), "C's request is not delivered while B is not accepting");
            assertEquals(0, c.events.count(MessengerEvent.RequestChanged.class,
                    e -> e.request().id().equals(bAtC) && e.request().delivered()));

            // 4. B accepts again: C's retries get through as soon as B's new descriptor is out. Before
            // issue 12's fix C's tor kept the stale descriptor (dead introduction points) for ~2 min of
            // C's dials timing out and this step was allowed 6 min; now each failed attempt has the
            // descriptor refetched (HSFETCH) on a fresh circuit (ArrivalFigures: seconds after B is reachable).
            b.messenger.setAcceptingContacts(true);
            assertTrue(b.messenger.isAcceptingContacts());
            b.events.await(MessengerEvent.AcceptingContactsChanged.class, e -> e.accepting(), LONG,
                    "accepting on at B");
            MessengerEvent.RequestReceived got = b.events.await(MessengerEvent.RequestReceived.class,
                    e -> e.request().serviceId().equals(c.address()), LONG, "C's request at B");
            assertEquals("knock knock", got.request().message());
            c.events.await(MessengerEvent.RequestChanged.class,
                    e -> e.request().id().equals(bAtC) && e.request().delivered(), LONG, "request delivered at C");
            assertEquals(1, b.events.count(MessengerEvent.RequestReceived.class,
                    e -> e.request().serviceId().equals(c.address())), "C's request reached B once");

            List<String> leaks = TestLogs.leaks(List.of(a.nickname(), b.nickname(), c.nickname(), "knock knock",
                    "still here for you", "glad to hear it", a.address(), b.address(), c.address()));
            assertTrue(leaks.isEmpty(), "logs leak identifying text: " + leaks);
        }
    }
}
