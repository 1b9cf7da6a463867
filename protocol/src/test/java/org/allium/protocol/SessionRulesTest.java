package org.allium.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.allium.protocol.Liveness.Action;
import org.allium.protocol.proto.Purpose;
import org.junit.jupiter.api.Test;

class SessionRulesTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void keepAliveAndIdleTimeoutFire() {
        Liveness l = new Liveness(T0);
        assertEquals(Action.NONE, l.poll(T0.plusSeconds(59)));
        assertEquals(T0.plus(Limits.KEEPALIVE_INTERVAL), l.nextDeadline());
        assertEquals(Action.SEND_KEEPALIVE, l.poll(T0.plus(Limits.KEEPALIVE_INTERVAL)));
        l.onSent(T0.plusSeconds(60));
        assertEquals(Action.NONE, l.poll(T0.plusSeconds(61)));
        l.onReceived(T0.plusSeconds(100));
        l.onSent(T0.plusSeconds(120));
        l.onSent(T0.plusSeconds(180));
        l.onSent(T0.plusSeconds(240));
        assertEquals(Action.NONE, l.poll(T0.plusSeconds(279)));
        assertEquals(T0.plusSeconds(100).plus(Limits.IDLE_TIMEOUT), l.nextDeadline());
        assertEquals(Action.CLOSE_IDLE, l.poll(T0.plusSeconds(280)));
        l.onSent(T0.plusSeconds(10)); // a stale timestamp never moves time backwards
        assertEquals(Action.CLOSE_IDLE, l.poll(T0.plusSeconds(280)));
        assertThrows(IllegalArgumentException.class, () -> new Liveness(T0, Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    @Test
    void duplicateConnectionTieBreakIsTheSameOnBothSides() throws ProtocolException {
        IdentityKeyPair a = IdentityKeyPair.generate(RANDOM);
        IdentityKeyPair b = IdentityKeyPair.generate(RANDOM);
        HandshakeResult[] aDials = handshake(a, b);
        HandshakeResult[] bDials = handshake(b, a);
        // aDials[0]/bDials[1] are A's view, aDials[1]/bDials[0] are B's view.
        HandshakeResult keptByA = DuplicateConnections.keep(aDials[0], bDials[1]);
        HandshakeResult keptByB = DuplicateConnections.keep(bDials[0], aDials[1]);
        assertArrayEquals(keptByA.transcriptHash(), keptByB.transcriptHash());
        IdentityKeyPair smaller = java.util.Arrays.compareUnsigned(a.publicKey(), b.publicKey()) < 0 ? a : b;
        assertEquals(smaller.address(), keptByA.client());
        assertSame(keptByA, DuplicateConnections.keep(bDials[1], aDials[0]), "order of arguments does not matter");
        // Same direction twice: the smaller transcript hash wins, on both sides.
        HandshakeResult[] again = handshake(a, b);
        HandshakeResult x = DuplicateConnections.keep(aDials[0], again[0]);
        HandshakeResult y = DuplicateConnections.keep(again[1], aDials[1]);
        assertArrayEquals(x.transcriptHash(), y.transcriptHash());
        IdentityKeyPair c = IdentityKeyPair.generate(RANDOM);
        assertThrows(IllegalArgumentException.class, () -> DuplicateConnections.keep(aDials[0], handshake(a, c)[0]));
    }

    private static HandshakeResult[] handshake(IdentityKeyPair client, IdentityKeyPair server) throws ProtocolException {
        ClientHandshake c = new ClientHandshake(client, server.address(), server.address(), Purpose.CONTACT_SESSION, RANDOM);
        ServerHandshake s = new ServerHandshake(server, HandshakeTest.serving(server.address()), RANDOM);
        c.onMessage(s.onMessage(c.onMessage(s.onMessage(c.start()))));
        return new HandshakeResult[] {c.result(), s.result()};
    }

    @Test
    void backoffDoublesUpToTheCapWithJitter() {
        assertEquals(Duration.ofSeconds(15), Backoff.delay(1, 0));
        assertEquals(Duration.ofSeconds(30), Backoff.delay(2, 0));
        assertEquals(Duration.ofMinutes(5), Backoff.delay(100, 0));
        assertTrue(Backoff.delay(100, 0.999).compareTo(Backoff.MAX) <= 0);
        assertTrue(Backoff.delay(3, 0.5).compareTo(Backoff.delay(3, 0.0)) > 0);
        assertThrows(IllegalArgumentException.class, () -> Backoff.delay(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Backoff.delay(1, 1.0));
    }

    @Test
    void messageIdsAreRandomAndRoundTrip() {
        Set<MessageId> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(ids.add(MessageId.random(RANDOM)));
        }
        MessageId id = ids.iterator().next();
        assertEquals(id, MessageId.of(id.toByteString()));
        assertEquals(id, MessageId.fromHex(id.hex()));
        byte[] b = id.bytes();
        b[0] ^= 1;
        assertNotEquals(id, new MessageId(b), "bytes() is a copy");
        assertEquals(id, MessageId.fromHex(id.hex()));
        assertThrows(IllegalArgumentException.class, () -> new MessageId(new byte[15]));
    }
}
