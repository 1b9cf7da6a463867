package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.allium.core.api.ContactId;
import org.allium.core.api.Direction;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessengerEvent;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.allium.tor.api.Tor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §3 at small numbers on the private Tor network: junk requests from fresh identities
 * (two attacker threads, each request on its own circuit) fill B's request list (3 slots) while
 * B's contact A writes to B; then a real stranger C asks. C's request must arrive, A's messages
 * must be delivered, and the list must stay bounded. Fails before the eviction: B answered
 * C with BUSY for as long as the junk stayed (for ever).
 */
@ExtendWith(TestnetExtension.class)
class RequestFloodIT {
    private static final Duration LONG = Node.LONG;
    private static final int MAX_PENDING = 3;

    static {
        TestLogs.install();
    }

    @Test
    void junkFromFreshKeysCannotShutTheRequestList(Testnet testnet, @TempDir Path tmp) throws Exception {
        Timings bt = Timings.testnet().withRequestLimits(600, 600, 60, 60, MAX_PENDING);
        try (Node a = new Node("olga", tmp, testnet.clientTorrcLines(), Timings.testnet());
             Node b = new Node("petra", tmp, testnet.clientTorrcLines(), bt);
             Node c = new Node("quinn", tmp, testnet.clientTorrcLines(), Timings.testnet());
             Node x = new Node("xeno", tmp, testnet.clientTorrcLines(), Timings.testnet())) {
            a.start();
            b.start();
            c.start();
            x.start();
            ContactId[] ab = MessengerIT.connect(a, b);

            // Two attacker threads through X's tor, 4 junk requests each, fresh keys and circuits.
            Tor xt = x.messenger.readyTor();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<Integer>> flood = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                flood.add(pool.submit(() -> {
                    int acked = 0;
                    for (int i = 0; i < 4; i++) {
                        try {
                            if (RequestChannelTest.sendJunk(xt, b.address(), "junk-" + thread + "-" + i,
                                    Duration.ofSeconds(60))) {
                                acked++;
                            }
                        } catch (Exception e) {
                            System.err.println("junk request failed: " + e);
                        }
                    }
                    return acked;
                }));
            }
            List<MessageId> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sent.add(a.messenger.sendMessage(ab[0], "while the junk arrives " + i));
            }
            int acked = 0;
            for (Future<Integer> f : flood) {
                acked += f.get();
            }
            pool.shutdown();
            assertTrue(acked > MAX_PENDING, "the junk filled B's list: " + acked + " acknowledged");
            assertEquals(MAX_PENDING, b.messenger.requests().size(), "B's list is full of junk");

            ContactId bAtC = c.messenger.sendContactRequest(b.address(), null, "a real one");
            b.events.await(MessengerEvent.RequestReceived.class,
                    e -> e.request().serviceId().equals(c.address()), LONG, "C's request at B");
            c.events.await(MessengerEvent.RequestChanged.class,
                    e -> e.request().id().equals(bAtC) && e.request().delivered(), LONG, "delivered at C");
            assertTrue(b.messenger.requests().size() <= MAX_PENDING, "the list stays bounded");
            assertTrue(b.messenger.requests().stream().anyMatch(r -> r.serviceId().equals(c.address())));
            assertTrue(b.events.count(MessengerEvent.RequestExpired.class,
                    e -> e.request().direction() == Direction.INCOMING) >= acked - MAX_PENDING + 1,
                    "junk was pushed out, oldest first");
            for (MessageId id : sent) {
                MessengerIT.awaitDelivered(a, id);
            }

            List<String> leaks = TestLogs.leaks(List.of(a.nickname(), b.nickname(), c.nickname(), "a real one",
                    "while the junk arrives", a.address(), b.address(), c.address(), x.address()));
            assertTrue(leaks.isEmpty(), "logs leak identifying text: " + leaks);
        }
    }
}
