package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.allium.core.api.ContactId;
import org.allium.core.api.Direction;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.MessengerEvent;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.Tor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request channel on the fake onion network (the real engine, no tor): junk from fresh
 * identities cannot shut the list of unanswered requests or the unauthenticated slots, and an
 * unanswered request does not expose the requester for ever (issue 11 §3, §6).
 */
class RequestChannelTest {
    private static final Duration LONG = FakeNode.LONG;
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-junk-timers");
        t.setDaemon(true);
        return t;
    });

    @TempDir
    Path tmp;

    @AfterAll
    static void shutdown() {
        TIMERS.shutdownNow();
    }

    /**
     * Junk from fresh keys fills B's list (3 slots); a real stranger's request still arrives and
     * the oldest junk goes, with RequestExpired. Fails before the eviction: B answered BUSY for
     * good and A's request was retried for ever.
     */
    @Test
    void fullRequestListTakesTheNewRequestAndPushesOutTheOldest() throws Exception {
        Timings bt = FakeNode.TIMINGS.withRequestLimits(600, 600, 60, 60, 3);
        try (FakeOnionNetwork net = new FakeOnionNetwork();
             FakeNode a = new FakeNode("victor", tmp, net);
             FakeNode b = new FakeNode("wendy", tmp, net, bt);
             FakeNode junk = new FakeNode("xavier", tmp, net)) {
            a.start();
            b.start();
            junk.start();
            for (int i = 0; i < 4; i++) {
                assertTrue(sendJunk(junk.messenger.readyTor(), b.address(), "junk-" + i), "junk " + i + " acked");
            }
            await(() -> b.messenger.requests().size() == 3, "B's list holds 3 junk requests");
            // RequestExpired goes out on B's event thread after the list changed: wait for it, don't race it.
            b.events.await(MessengerEvent.RequestExpired.class,
                    e -> b.events.count(MessengerEvent.RequestExpired.class, x -> true) >= 1, LONG, "the 4th pushed one out");
            assertEquals(1, b.events.count(MessengerEvent.RequestExpired.class, e -> true), "the 4th pushed one out");

            ContactId bAtA = a.messenger.sendContactRequest(b.address(), null, "a real one");
            MessengerEvent.RequestReceived got = b.events.await(MessengerEvent.RequestReceived.class,
                    e -> e.request().serviceId().equals(a.address()), LONG, "A's request at B");
            a.events.await(MessengerEvent.RequestChanged.class,
                    e -> e.request().id().equals(bAtA) && e.request().delivered(), LONG, "delivered at A");
            assertEquals(3, b.messenger.requests().size(), "the list stays bounded");
            assertTrue(b.messenger.requests().stream().anyMatch(r -> r.id().equals(got.request().id())));
            b.events.await(MessengerEvent.RequestExpired.class, e -> b.events.count(MessengerEvent.RequestExpired.class,
                    x -> x.request().direction() == Direction.INCOMING) >= 2, LONG, "the two oldest junk requests went");
            assertEquals(2, b.events.count(MessengerEvent.RequestExpired.class,
                    e -> e.request().direction() == Direction.INCOMING), "the two oldest junk requests went");

            // B accepts the real one: it works as ever.
            b.messenger.accept(got.request().id());
            a.events.await(MessengerEvent.ContactAdded.class, e -> e.contact().id().equals(bAtA), LONG,
                    "A learns of the acceptance");
        }
    }

    /**
     * Connections that open and say nothing hold every unauthenticated slot of B's identity
     * onion (handshake deadline 5 min): a real request still gets through, because a new
     * connection closes the oldest silent one. Fails before: all slots taken, A's connection
     * was closed at once until the silent ones timed out.
     */
    @Test
    void silentConnectionsDoNotKeepTheDoorShut() throws Exception {
        Timings t = FakeNode.TIMINGS;
        Timings bt = new Timings(t.redialBase(), t.redialCap(), t.stableSession(), t.dialTimeout(),
                Duration.ofMinutes(5), t.keepalive(), t.duplicateWindow(), t.torRestartBase(), t.torRestartCap(),
                t.bootstrapTimeout(), t.requestsPerMinuteGlobal(), t.requestBurstGlobal(),
                t.requestsPerMinutePerPeer(), t.requestBurstPerPeer(), t.maxPendingRequests(), 4, t.reaskBase(),
                t.reaskCap(), t.requestExpiry(), t.requestEndpointWindow(), t.identityPow(), t.groupLimits());
        List<Socket> silent = new ArrayList<>();
        try (FakeOnionNetwork net = new FakeOnionNetwork();
             FakeNode a = new FakeNode("yara", tmp, net);
             FakeNode b = new FakeNode("zack", tmp, net, bt);
             FakeNode loris = new FakeNode("loris", tmp, net)) {
            a.start();
            b.start();
            loris.start();
            Tor lt = loris.messenger.readyTor();
            for (int i = 0; i < 4; i++) {
                silent.add(lt.dial(new ServiceId(b.address()), OnionHost.VIRTUAL_PORT, StreamIsolation.of("s" + i),
                        Duration.ofSeconds(10)));
            }
            await(() -> b.messenger.requestDesk().preAuthCount() == 4, "4 silent connections held at B");
            ContactId bAtA = a.messenger.sendContactRequest(b.address(), null, "let me through");
            b.events.await(MessengerEvent.RequestReceived.class,
                    e -> e.request().serviceId().equals(a.address()), LONG, "A's request at B");
            a.events.await(MessengerEvent.RequestChanged.class,
                    e -> e.request().id().equals(bAtA) && e.request().delivered(), LONG, "delivered at A");
            assertTrue(b.messenger.requestDesk().preAuthCount() <= 4, "slots stay bounded");
        } finally {
            for (Socket s : silent) {
                s.close();
            }
        }
    }

    /**
     * A's endpoint for B is hosted only for a window after B's identity onion took the request;
     * B accepts after it closed: A still learns of it (on its re-ask) and they chat. Fails
     * before: the endpoint stayed published from the request on, for ever.
     */
    @Test
    void requestEndpointIsHostedOnlyInItsWindowAndTheAcceptanceStillArrives() throws Exception {
        Timings at = FakeNode.TIMINGS.withRequestLifetime(Duration.ofDays(30), Duration.ofMillis(1500));
        try (FakeOnionNetwork net = new FakeOnionNetwork();
             FakeNode a = new FakeNode("abel", tmp, net, at);
             FakeNode b = new FakeNode("bea", tmp, net)) {
            a.start();
            b.start();
            ContactId bAtA = a.messenger.sendContactRequest(b.address(), null, "hello");
            MessengerEvent.RequestReceived got = b.events.await(MessengerEvent.RequestReceived.class,
                    e -> e.request().serviceId().equals(a.address()), LONG, "A's request at B");
            String endpoint = a.store().contacts().endpointKeys(Convert.id(bAtA)).ourEndpoint().address().serviceId();
            await(() -> net.isPublished(endpoint), "A's endpoint published while the window is open");
            await(() -> !net.isPublished(endpoint), "A's endpoint withdrawn after the window");
            b.messenger.accept(got.request().id());
            a.events.await(MessengerEvent.ContactAdded.class, e -> e.contact().id().equals(bAtA), LONG,
                    "A learns of the acceptance by asking again");
            assertTrue(net.isPublished(endpoint), "an accepted contact's endpoint is hosted");
            MessageId m = a.messenger.sendMessage(bAtA, "we made it");
            a.events.await(MessengerEvent.MessageStatusChanged.class,
                    e -> e.message().equals(m) && e.status() == MessageStatus.DELIVERED, LONG, "delivered");
        }
    }

    /**
     * Unanswered requests expire on both sides (RequestExpired, then gone), and the requester's
     * endpoint is no longer hosted. Fails before: requests stayed for ever.
     */
    @Test
    void unansweredRequestsExpireOnBothSides() throws Exception {
        Timings t = FakeNode.TIMINGS.withRequestLifetime(Duration.ofSeconds(3), Duration.ofSeconds(30));
        try (FakeOnionNetwork net = new FakeOnionNetwork();
             FakeNode a = new FakeNode("cleo", tmp, net, t);
             FakeNode b = new FakeNode("dino", tmp, net, t)) {
            a.start();
            b.start();
            ContactId bAtA = a.messenger.sendContactRequest(b.address(), null, "anyone there?");
            b.events.await(MessengerEvent.RequestReceived.class,
                    e -> e.request().serviceId().equals(a.address()), LONG, "A's request at B");
            String endpoint = a.store().contacts().endpointKeys(Convert.id(bAtA)).ourEndpoint().address().serviceId();
            a.events.await(MessengerEvent.RequestExpired.class,
                    e -> e.request().id().equals(bAtA) && e.request().direction() == Direction.OUTGOING, LONG,
                    "A's request expires at A");
            b.events.await(MessengerEvent.RequestExpired.class,
                    e -> e.request().serviceId().equals(a.address()) && e.request().direction() == Direction.INCOMING,
                    LONG, "A's request expires at B");
            await(() -> a.messenger.requests().isEmpty() && b.messenger.requests().isEmpty(), "both lists empty");
            assertFalse(net.isPublished(endpoint), "A's endpoint for B is gone");
            assertTrue(a.store().settings().get(RequestDesk.REQUEST + bAtA.value()).isEmpty(), "the grant is gone");
        }
    }

    /** One junk request from a fresh identity; true if B acknowledged it. */
    static boolean sendJunk(Tor via, String to, String isolation) throws Exception {
        return sendJunk(via, to, isolation, Duration.ofSeconds(10));
    }

    /** One junk request from a fresh identity (and a fresh endpoint) with these deadlines; true if acknowledged. */
    static boolean sendJunk(Tor via, String to, String isolation, Duration timeout) throws Exception {
        SecureRandom rnd = new SecureRandom();
        OnionAddress b = OnionAddress.parse(to);
        Socket s = via.dial(new ServiceId(to), OnionHost.VIRTUAL_PORT, StreamIsolation.of(isolation), timeout);
        Session ses = new ProtocolWire(TIMERS, rnd).connect(s, IdentityKeyPair.generate(rnd), b, b,
                Wire.Purpose.CONTACT_REQUEST, timeout);
        try {
            ses.send(new Frame.Request("", "junk", IdentityKeyPair.generate(rnd).address(),
                    ClientAuthKeyPair.generate(rnd).privateKey()));
            ses.setReadTimeout(timeout);
            return ses.receive() instanceof Frame.RequestAck;
        } catch (IOException e) {
            return false;
        } finally {
            ses.close();
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void await(Check condition, String what) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
