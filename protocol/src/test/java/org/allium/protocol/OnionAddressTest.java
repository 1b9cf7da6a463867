package org.allium.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class OnionAddressTest {
    private static final String ID = "aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead";

    @Test
    void parsesEveryFormAndNormalisesCase() {
        OnionAddress a = new OnionAddress(ID);
        assertEquals(a, OnionAddress.parse(ID.toUpperCase()));
        assertEquals(a, OnionAddress.parse(ID + ".onion"));
        assertEquals(a, OnionAddress.parse("  " + ID.toUpperCase() + ".ONION\n"));
        assertEquals(a, OnionAddress.parse("allium:" + ID));
        assertEquals(a, OnionAddress.parse("ALLIUM:" + ID.toUpperCase()));
        assertEquals(a, OnionAddress.parseAlliumUri("allium:" + ID));
        assertEquals(ID, new OnionAddress(ID.toUpperCase()).serviceId());
        assertEquals("allium:" + ID, a.toAlliumUri());
        assertEquals(ID + ".onion", a.hostname());
        assertEquals(a, OnionAddress.fromPublicKey(a.publicKey()));
    }

    @Test
    void toStringIsScrubbed() {
        OnionAddress a = new OnionAddress(ID);
        assertFalse(a.toString().contains(ID.substring(0, 10)));
        assertTrue(a.toString().contains(ID.substring(0, 6)));
    }

    @Test
    void rejectsWithPreciseMessages() {
        assertMessage(null, "missing");
        assertMessage("", "56 characters, this has 0");
        assertMessage(ID.substring(1), "this has 55");
        assertMessage(ID + "a", "this has 57");
        assertMessage("expyuzz4wqqyqhjn", "v2 onion addresses are obsolete");
        assertMessage(ID.substring(0, 10) + "1" + ID.substring(11), "invalid character at position 11");
        assertMessage(ID.substring(0, 10) + "-" + ID.substring(11), "invalid character at position 11");
        assertMessage("http://" + ID + ".onion", "unknown link type");
        assertMessage(ID + ".onion.onion", "this has 62");
        assertThrows(InvalidAddressException.class, () -> OnionAddress.parseAlliumUri(ID));
        assertThrows(InvalidAddressException.class, () -> OnionAddress.fromPublicKey(new byte[31]));
    }

    private static void assertMessage(String input, String expected) {
        InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> OnionAddress.parse(input));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void signAndVerify() {
        SecureRandom random = new SecureRandom();
        IdentityKeyPair alice = IdentityKeyPair.generate(random);
        IdentityKeyPair bob = IdentityKeyPair.generate(random);
        byte[] m = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] sig = alice.sign(m);
        assertTrue(alice.address().verify(m, sig));
        assertFalse(bob.address().verify(m, sig));
        sig[5] ^= 1;
        assertFalse(alice.address().verify(m, sig));
        assertFalse(alice.address().verify(m, new byte[3]));
        assertFalse(alice.address().verify(m, null));
        assertEquals(alice, IdentityKeyPair.fromSeed(alice.seed()));
        assertNotEquals(alice, bob);
        assertFalse(alice.toString().contains(alice.address().serviceId()));
    }

    @Test
    void fingerprintsDifferAndHaveTheDocumentedShape() {
        SecureRandom random = new SecureRandom();
        SafetyFingerprint a = IdentityKeyPair.generate(random).address().fingerprint();
        SafetyFingerprint b = IdentityKeyPair.generate(random).address().fingerprint();
        assertNotEquals(a, b);
        assertTrue(a.text().matches("\\d{5} \\d{5} \\d{5} \\d{5} \\d{5}"));
        assertEquals(5, a.groups().length);
        assertThrows(IllegalArgumentException.class, () -> new SafetyFingerprint("1234"));
    }

    @Test
    void clientAuthKeysRoundTripAndRejectGarbage() {
        ClientAuthKeyPair k = ClientAuthKeyPair.generate(new SecureRandom());
        assertEquals(52, k.publicKeyBase32().length());
        assertEquals(44, k.privateKeyBase64().length());
        assertEquals(k, ClientAuthKeyPair.fromPrivateKeyBase64(k.privateKeyBase64()));
        assertThrows(IllegalArgumentException.class, () -> ClientAuthKeyPair.fromPrivateKeyBase64("!!"));
        assertThrows(IllegalArgumentException.class, () -> ClientAuthKeyPair.fromPrivateKeyBase64("AAAA"));
        assertThrows(IllegalArgumentException.class, () -> ClientAuthKeyPair.decodePublicKeyBase32("abc"));
        // 52 chars whose last character carries non-zero padding bits
        String nonCanonical = k.publicKeyBase32().substring(0, 51) + "7";
        assertThrows(IllegalArgumentException.class, () -> ClientAuthKeyPair.decodePublicKeyBase32(nonCanonical));
        assertFalse(k.toString().contains(k.publicKeyBase32()));
    }
}
