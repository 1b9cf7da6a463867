package org.allium.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks our keys against vectors computed independently (protocol/tools/identity_vectors.py:
 * Python hashlib + the 'cryptography' package + a pure-Python RFC 8032 point multiplication).
 */
class IdentityVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    static List<String[]> vectors(String kind) throws IOException {
        List<String[]> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                IdentityVectorsTest.class.getResourceAsStream("identity-vectors.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(" ");
                if (f[0].equals(kind)) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    @Test
    void knownSeedsGiveKnownKeysAddressesFingerprintsAndSignatures() throws IOException {
        List<String[]> vs = vectors("identity");
        assertEquals(5, vs.size());
        for (String[] v : vs) {
            IdentityKeyPair id = IdentityKeyPair.fromSeed(HEX.parseHex(v[1]));
            assertEquals(v[2], HEX.formatHex(id.expandedSecretKey()));
            assertEquals(v[3], HEX.formatHex(id.publicKey()));
            assertEquals(v[4], id.address().serviceId());
            assertEquals(v[5].replace('-', ' '), id.address().fingerprint().text());
            byte[] message = "allium test vector".getBytes(StandardCharsets.US_ASCII);
            assertEquals(v[6], HEX.formatHex(id.sign(message)));
            assertTrue(id.address().verify(message, HEX.parseHex(v[6])));
            assertArrayEquals(HEX.parseHex(v[3]), OnionAddress.parse(v[4]).publicKey());
            assertEquals("ED25519-V3:" + java.util.Base64.getEncoder().encodeToString(HEX.parseHex(v[2])),
                    id.torKeyBlob());
        }
    }

    @Test
    void expandedKeyAndSeedGiveTheSamePublicKey() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 20; i++) {
            IdentityKeyPair id = IdentityKeyPair.generate(random);
            assertArrayEquals(id.publicKey(), Edwards.publicKeyOfExpanded(id.expandedSecretKey()));
        }
    }

    @Test
    void clientAuthVectors() throws IOException {
        List<String[]> vs = vectors("x25519");
        assertEquals(3, vs.size());
        for (String[] v : vs) {
            ClientAuthKeyPair k = ClientAuthKeyPair.fromPrivateKey(HEX.parseHex(v[1]));
            assertEquals(v[2], HEX.formatHex(k.publicKey()));
            assertEquals(v[3], k.publicKeyBase32());
            assertEquals(v[4], k.privateKeyBase64());
            assertEquals(k, ClientAuthKeyPair.fromPrivateKeyBase64(v[4]));
            assertEquals(k, ClientAuthKeyPair.fromPrivateKeyBase64(v[4].replace("=", "")));
            assertArrayEquals(k.publicKey(), ClientAuthKeyPair.decodePublicKeyBase32(v[3].toUpperCase()));
        }
    }

    @Test
    void rejectedAddresses() throws IOException {
        List<String[]> vs = vectors("reject");
        assertEquals(4, vs.size());
        for (String[] v : vs) {
            InvalidAddressException e = org.junit.jupiter.api.Assertions.assertThrows(
                    InvalidAddressException.class, () -> OnionAddress.parse(v[2]));
            String expected = switch (v[1]) {
                case "version" -> "version";
                case "checksum" -> "checksum";
                case "key" -> "ed25519 public key";
                default -> throw new AssertionError(v[1]);
            };
            assertTrue(e.getMessage().contains(expected), e.getMessage());
            assertFalse(e.getMessage().contains(v[2]), "message must not echo the address");
        }
    }

    /** Test-only twisted Edwards arithmetic, independent of Bouncy Castle: [a]B for a clamped scalar. */
    static final class Edwards {
        static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
        static final BigInteger D = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
        static final BigInteger BY = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
        static final BigInteger BX = recoverX(BY);

        static BigInteger recoverX(BigInteger y) {
            BigInteger xx = y.multiply(y).subtract(BigInteger.ONE)
                    .multiply(D.multiply(y).multiply(y).add(BigInteger.ONE).modInverse(P)).mod(P);
            BigInteger x = xx.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
            if (!x.multiply(x).subtract(xx).mod(P).equals(BigInteger.ZERO)) {
                x = x.multiply(BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P)).mod(P);
            }
            return x.testBit(0) ? P.subtract(x) : x;
        }

        static BigInteger[] add(BigInteger[] a, BigInteger[] b) {
            BigInteger t = D.multiply(a[0]).multiply(b[0]).multiply(a[1]).multiply(b[1]).mod(P);
            BigInteger x = a[0].multiply(b[1]).add(b[0].multiply(a[1])).multiply(BigInteger.ONE.add(t).modInverse(P)).mod(P);
            BigInteger y = a[1].multiply(b[1]).add(a[0].multiply(b[0])).multiply(BigInteger.ONE.subtract(t).mod(P).modInverse(P)).mod(P);
            return new BigInteger[] {x, y};
        }

        static byte[] publicKeyOfExpanded(byte[] expanded) {
            byte[] le = new byte[32];
            for (int i = 0; i < 32; i++) {
                le[i] = expanded[31 - i];
            }
            BigInteger s = new BigInteger(1, le);
            BigInteger[] q = {BigInteger.ZERO, BigInteger.ONE};
            BigInteger[] p = {BX, BY};
            for (int i = 0; i < s.bitLength(); i++) {
                if (s.testBit(i)) {
                    q = add(q, p);
                }
                p = add(p, p);
            }
            BigInteger enc = q[1].or(q[0].testBit(0) ? BigInteger.ONE.shiftLeft(255) : BigInteger.ZERO);
            byte[] be = enc.toByteArray();
            byte[] out = new byte[32];
            for (int i = 0; i < 32 && i < be.length; i++) {
                out[i] = be[be.length - 1 - i];
            }
            return out;
        }
    }
}
