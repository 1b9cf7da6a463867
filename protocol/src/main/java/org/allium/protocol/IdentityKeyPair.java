package org.allium.protocol;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An ed25519 identity key pair, kept as its 32-byte seed (RFC 8032 private key). Its
 * public key is the onion address of the service it runs ({@link #address()}).
 * Immutable and thread-safe; accessors return copies. {@link #toString()} shows no
 * secret.
 *
 * <p>Tor's {@code ADD_ONION} does not take the seed but the 64-byte expanded secret key
 * {@code SHA-512(seed)} with the first half clamped ({@link #expandedSecretKey()}); both
 * give the same public key (tested against independent vectors).
 */
public final class IdentityKeyPair {
    /** Seed length in bytes. */
    public static final int SEED_LENGTH = Ed25519.SECRET_KEY_SIZE;
    /** Signature length in bytes. */
    public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

    private final byte[] seed;
    private final byte[] publicKey;
    private final OnionAddress address;

    private IdentityKeyPair(byte[] seed) {
        this.seed = seed;
        this.publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(seed, 0, publicKey, 0);
        this.address = OnionAddress.fromPublicKey(publicKey);
    }

    /** A fresh identity from {@code random} (which should be a {@link SecureRandom} of the platform). */
    public static IdentityKeyPair generate(SecureRandom random) {
        byte[] seed = new byte[SEED_LENGTH];
        random.nextBytes(seed);
        return new IdentityKeyPair(seed);
    }

    /** The identity of a stored 32-byte seed (copied). */
    public static IdentityKeyPair fromSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("an ed25519 seed has 32 bytes");
        }
        return new IdentityKeyPair(seed.clone());
    }

    /** The 32-byte seed, the only thing that needs storing (a copy; wipe it when done). */
    public byte[] seed() {
        return seed.clone();
    }

    /** The 32-byte ed25519 public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The onion address (service id) of this key. */
    public OnionAddress address() {
        return address;
    }

    /** An RFC 8032 ed25519 signature (64 bytes) of {@code message}. */
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[SIGNATURE_LENGTH];
        Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /**
     * The 64-byte expanded secret key tor stores and {@code ADD_ONION} takes:
     * {@code h = SHA-512(seed)}; {@code h[0] &= 248; h[31] &= 127; h[31] |= 64}.
     * A copy; wipe it when done.
     */
    public byte[] expandedSecretKey() {
        SHA512Digest sha = new SHA512Digest();
        sha.update(seed, 0, seed.length);
        byte[] h = new byte[64];
        sha.doFinal(h, 0);
        h[0] &= (byte) 248;
        h[31] &= 127;
        h[31] |= 64;
        return h;
    }

    /** The key argument of tor's {@code ADD_ONION}: {@code ED25519-V3:} + base64 of {@link #expandedSecretKey()}. */
    public String torKeyBlob() {
        byte[] expanded = expandedSecretKey();
        try {
            return "ED25519-V3:" + Base64.getEncoder().encodeToString(expanded);
        } finally {
            Arrays.fill(expanded, (byte) 0);
        }
    }

    /** Whether {@code signature} is a valid signature of {@code message} by {@code publicKey}; never throws on bad input. */
    static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != Ed25519.PUBLIC_KEY_SIZE || message == null
                || signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
    }

    /** Same seed. Constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityKeyPair other && MessageDigest.isEqual(seed, other.seed);
    }

    @Override
    public int hashCode() {
        return address.hashCode();
    }

    @Override
    public String toString() {
        return "IdentityKeyPair[" + address.scrubbed() + "]";
    }
}
