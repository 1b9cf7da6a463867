package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.allium.contacts.api.ContactState;
import org.allium.core.api.ContactId;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessengerEvent;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.SocksException;
import org.allium.tor.api.SocksFailure;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.Tor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A stranger (C) against B, who has a contact A: endpoints are closed to C, blocks hold, floods are limited. */
@ExtendWith(TestnetExtension.class)
class StrangerIT {
    private static final Duration LONG = Node.LONG;
    private static final int MAX_PENDING = 10;

    static {
        TestLogs.install();
    }

    @Test
    void strangerCannotReachEndpointsIsDroppedWhenBlockedAndItsFloodIsBounded(Testnet testnet, @TempDir Path tmp)
            throws Exception {
        Timings bTimings = Timings.testnet().withRequestLimits(20, 20, 3, 3, MAX_PENDING);
        try (Node a = new Node("grace", tmp, testnet.clientTorrcLines(), Timings.testnet());
             Node b = new Node("heidi", tmp, testnet.clientTorrcLines(), bTimings);
             Node c = new Node("ivan", tmp, testnet.clientTorrcLines(), Timings.testnet())) {
            a.start();
            b.start();
            c.start();
            ContactId[] ab = MessengerIT.connect(a, b);

            // 1. B's endpoint for A, dialled by C who holds no credential: tor refuses (0xF4).
            OnionAddress endpoint = ((ProfileImpl) b.profile).store().contacts()
                    .endpointKeys(Convert.id(ab[1])).ourEndpoint().address();
            Tor ct = c.messenger.readyTor();
            SocksException refused;
            long probeDeadline = System.nanoTime() + LONG.toNanos();
            do {
                // The descriptor may not have reached the HSDirs C asks yet: that is "offline", not the point.
                refused = assertThrows(SocksException.class, () -> ct.dial(
                        new ServiceId(endpoint.serviceId()), OnionHost.VIRTUAL_PORT, StreamIsolation.of("probe"),
                        Duration.ofSeconds(60)).close());
                if (refused.reason() == SocksFailure.DESCRIPTOR_NOT_FOUND) {
                    Thread.sleep(1000);
                }
            } while (refused.reason() == SocksFailure.DESCRIPTOR_NOT_FOUND && System.nanoTime() < probeDeadline);
            assertEquals(SocksFailure.MISSING_CLIENT_AUTH, refused.reason());

            // 2. C asks, B blocks C, C asks again: dropped.
            ContactId bAtC = c.messenger.sendContactRequest(b.address(), null, "let me in");
            MessengerEvent.RequestReceived fromC = b.events.await(MessengerEvent.RequestReceived.class,
                    e -> e.request().serviceId().equals(c.address()), LONG, "C's request at B");
            b.messenger.block(fromC.request().id());
            long droppedBefore = b.messenger.droppedRequests();
            c.messenger.remove(bAtC);
            c.messenger.sendContactRequest(b.address(), null, "let me in again");
            await(() -> b.messenger.droppedRequests() > droppedBefore, "B drops the blocked requester");
            assertFalse(b.messenger.requests().stream().anyMatch(r -> r.serviceId().equals(c.address())),
                    "no request from the blocked stranger is pending");

            // 3. A flood of requests from fresh identities through C's tor, while A writes to B.
            long droppedBeforeFlood = b.messenger.droppedRequests();
            int floodThreads = 4;
            int perThread = 15;
            AtomicInteger acked = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
            ExecutorService pool = Executors.newFixedThreadPool(floodThreads);
            ProtocolWire wire = new ProtocolWire(timers, new SecureRandom());
            OnionAddress bAddress = OnionAddress.parse(b.address());
            List<Future<?>> flood = new ArrayList<>();
            for (int t = 0; t < floodThreads; t++) {
                String isolation = "flood-" + t;
                flood.add(pool.submit(() -> {
                    SecureRandom rnd = new SecureRandom();
                    for (int i = 0; i < perThread; i++) {
                        try {
                            Socket s = ct.dial(new ServiceId(b.address()), OnionHost.VIRTUAL_PORT,
                                    StreamIsolation.of(isolation), Duration.ofSeconds(60));
                            Session ses = wire.connect(s, IdentityKeyPair.generate(rnd), bAddress, bAddress,
                                    Wire.Purpose.CONTACT_REQUEST, Duration.ofSeconds(30));
                            try {
                                ses.send(new Frame.Request("", "flood",
                                        IdentityKeyPair.generate(rnd).address(),
                                        ClientAuthKeyPair.generate(rnd).privateKey()));
                                ses.setReadTimeout(Duration.ofSeconds(30));
                                if (ses.receive() instanceof Frame.RequestAck) {
                                    acked.incrementAndGet();
                                } else {
                                    failed.incrementAndGet();
                                }
                            } finally {
                                ses.close();
                            }
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }
            List<MessageId> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sent.add(a.messenger.sendMessage(ab[0], "during the flood " + i));
            }
            for (MessageId id : sent) {
                MessengerIT.awaitDelivered(a, id);
            }
            for (Future<?> f : flood) {
                f.get();
            }
            pool.shutdown();
            timers.shutdown();

            int stored = 0;
            for (org.allium.contacts.api.Contact x : ((ProfileImpl) b.profile).store().contacts().list()) {
                if (x.state() == ContactState.INCOMING_REQUEST) {
                    stored++;
                }
            }
            assertTrue(stored <= MAX_PENDING, "pending requests bounded: " + stored);
            assertTrue(b.messenger.droppedRequests() > droppedBeforeFlood, "the flood was limited");
            assertTrue(acked.get() < floodThreads * perThread, "not every flood request was taken: " + acked);
            assertEquals(floodThreads * perThread, acked.get() + failed.get());

            List<String> leaks = TestLogs.leaks(List.of(a.nickname(), b.nickname(), c.nickname(), "let me in",
                    "during the flood", a.address(), b.address(), c.address(), endpoint.serviceId()));
            assertTrue(leaks.isEmpty(), "logs leak identifying text: " + leaks);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100); // polling a counter; there is no event for a silent drop
        }
    }
}
