package org.allium.protocol;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * An x25519 key pair for onion-service client authorization ("restricted discovery").
 * The service side publishes its descriptor with {@code ClientAuthV3=}{@link #publicKeyBase32()};
 * the client gives its tor {@code ONION_CLIENT_AUTH_ADD <id> x25519:}{@link #privateKeyBase64()}.
 * Immutable and thread-safe; accessors return copies; {@link #toString()} shows no key.
 *
 * <p>The private key is stored clamped (RFC 7748), as tor generates it.
 */
public final class ClientAuthKeyPair {
    /** Key length in bytes (both halves). */
    public static final int KEY_LENGTH = 32;

    private final byte[] privateKey;
    private final byte[] publicKey;

    private ClientAuthKeyPair(byte[] privateKey) {
        X25519.clampPrivateKey(privateKey);
        this.privateKey = privateKey;
        this.publicKey = new byte[KEY_LENGTH];
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
    }

    /** A fresh key pair. */
    public static ClientAuthKeyPair generate(SecureRandom random) {
        byte[] k = new byte[KEY_LENGTH];
        random.nextBytes(k);
        return new ClientAuthKeyPair(k);
    }

    /** The key pair of a 32-byte private key (copied, then clamped). */
    public static ClientAuthKeyPair fromPrivateKey(byte[] privateKey) {
        if (privateKey == null || privateKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an x25519 private key has 32 bytes");
        }
        return new ClientAuthKeyPair(privateKey.clone());
    }

    /**
     * Parses the base64 form of {@link #privateKeyBase64()} (padding optional).
     *
     * @throws IllegalArgumentException saying what is wrong (never echoing the key)
     */
    public static ClientAuthKeyPair fromPrivateKeyBase64(String base64) {
        byte[] k;
        try {
            k = Base64.getDecoder().decode(pad(base64 == null ? "" : base64.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("client-auth private key is not valid base64");
        }
        if (k.length != KEY_LENGTH) {
            throw new IllegalArgumentException("client-auth private key must be 32 bytes, got " + k.length);
        }
        return new ClientAuthKeyPair(k);
    }

    /**
     * Decodes a public key in tor's {@code ClientAuthV3} form: 52 base32 characters, either case.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static byte[] decodePublicKeyBase32(String base32) {
        try {
            return Base32.decode(base32 == null ? "" : base32.strip(), KEY_LENGTH);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("client-auth public key: " + e.getMessage());
        }
    }

    /** Encodes a 32-byte x25519 public key in tor's {@code ClientAuthV3} form (52 lowercase base32 characters). */
    public static String encodePublicKeyBase32(byte[] publicKey) {
        if (publicKey == null || publicKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an x25519 public key has 32 bytes");
        }
        return Base32.encode(publicKey);
    }

    /** The 32-byte private key (a copy). */
    public byte[] privateKey() {
        return privateKey.clone();
    }

    /** The 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public key for {@code ADD_ONION ... ClientAuthV3=}: 52 base32 characters, no padding. */
    public String publicKeyBase32() {
        return Base32.encode(publicKey);
    }

    /** The private key for {@code ONION_CLIENT_AUTH_ADD ... x25519:}: 44 characters of padded base64. */
    public String privateKeyBase64() {
        return Base64.getEncoder().encodeToString(privateKey);
    }

    private static String pad(String s) {
        return s.length() % 4 == 0 ? s : s + "====".substring(s.length() % 4);
    }

    /** Same private key. Constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ClientAuthKeyPair other && MessageDigest.isEqual(privateKey, other.privateKey);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "ClientAuthKeyPair[…]";
    }
}
