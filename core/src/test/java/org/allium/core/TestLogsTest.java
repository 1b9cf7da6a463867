package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.allium.protocol.IdentityKeyPair;
import org.junit.jupiter.api.Test;

/** The log scanner of the ITs must find real addresses and not flag long identifiers. */
class TestLogsTest {
    @Test
    void findsAnOnionIdButNotALongMethodName() {
        String id = IdentityKeyPair.generate(new SecureRandom()).address().serviceId();
        assertTrue(TestLogs.ONION.matcher("dialling " + id + ".onion now").find());
        assertTrue(TestLogs.ONION.matcher("id=" + id).find());
        assertFalse(TestLogs.ONION.matcher("at org.allium.core.StrangerIT.strangerCannotReachEndpointsIsDroppedWhenBlocked"
                + "AndItsFloodIsBounded(StrangerIT.java:109)").find());
        assertFalse(TestLogs.ONION.matcher("scrubbed " + id.substring(0, 4) + "[…]").find());
    }
}
