package org.allium.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A tor v3 onion service id: the identity of an Allium user (or one of their endpoint
 * services). Immutable, thread-safe, validated on construction: 56 base32 characters
 * decoding to {@code pubkey[32] ‖ checksum[2] ‖ version[1]} with version 3, checksum
 * {@code SHA3-256(".onion checksum" ‖ pubkey ‖ 0x03)[0..2]} (rend-spec-v3) and a
 * public key that is a valid ed25519 point of prime order (as tor checks). The stored
 * form is lowercase.
 *
 * <p>{@link #toString()} is scrubbed (first six characters only) so an address never
 * reaches a log by accident; use {@link #serviceId()}, {@link #hostname()} or
 * {@link #toAlliumUri()} for the full text.
 */
public record OnionAddress(String serviceId) {
    /** Length of a v3 service id in characters. */
    public static final int SERVICE_ID_LENGTH = 56;
    /** The scheme of links shown to users: {@code allium:<service id>}. */
    public static final String URI_SCHEME = "allium";
    private static final String URI_PREFIX = URI_SCHEME + ":";
    private static final String ONION_SUFFIX = ".onion";
    private static final byte VERSION = 3;
    private static final byte[] CHECKSUM_PREFIX = ".onion checksum".getBytes(StandardCharsets.US_ASCII);

    /**
     * Validates a bare service id (either case, no {@code .onion}, no scheme).
     *
     * @throws InvalidAddressException saying what is wrong
     */
    public OnionAddress {
        if (serviceId == null) {
            throw new InvalidAddressException("onion address is missing");
        }
        serviceId = serviceId.toLowerCase(Locale.ROOT);
        decodeAndCheck(serviceId);
    }

    /**
     * Parses what a user might paste: a service id, {@code <id>.onion} or
     * {@code allium:<id>}, in any case, with surrounding whitespace ignored.
     *
     * @throws InvalidAddressException saying what is wrong
     */
    public static OnionAddress parse(String text) {
        if (text == null) {
            throw new InvalidAddressException("onion address is missing");
        }
        String s = text.strip();
        if (s.regionMatches(true, 0, URI_PREFIX, 0, URI_PREFIX.length())) {
            s = s.substring(URI_PREFIX.length());
        } else if (s.indexOf(':') >= 0) {
            throw new InvalidAddressException("unknown link type (expected " + URI_PREFIX + "<address>)");
        }
        if (s.regionMatches(true, s.length() - ONION_SUFFIX.length(), ONION_SUFFIX, 0, ONION_SUFFIX.length())) {
            s = s.substring(0, s.length() - ONION_SUFFIX.length());
        }
        return new OnionAddress(s);
    }

    /**
     * Parses exactly the {@code allium:<id>} form (scheme in any case).
     *
     * @throws InvalidAddressException saying what is wrong
     */
    public static OnionAddress parseAlliumUri(String uri) {
        if (uri == null || !uri.strip().regionMatches(true, 0, URI_PREFIX, 0, URI_PREFIX.length())) {
            throw new InvalidAddressException("not an " + URI_PREFIX + " link");
        }
        return parse(uri);
    }

    /**
     * The address of an ed25519 public key.
     *
     * @throws InvalidAddressException if the key is not 32 bytes or not a valid point
     */
    public static OnionAddress fromPublicKey(byte[] publicKey) {
        if (publicKey == null || publicKey.length != Ed25519.PUBLIC_KEY_SIZE) {
            throw new InvalidAddressException("an ed25519 public key has 32 bytes");
        }
        byte[] raw = new byte[35];
        System.arraycopy(publicKey, 0, raw, 0, 32);
        byte[] checksum = checksum(publicKey, VERSION);
        raw[32] = checksum[0];
        raw[33] = checksum[1];
        raw[34] = VERSION;
        return new OnionAddress(Base32.encode(raw));
    }

    /** The 32-byte ed25519 public key (a fresh copy). */
    public byte[] publicKey() {
        return Arrays.copyOf(Base32.decode(serviceId, 35), 32);
    }

    /** {@code <service id>.onion}, what tor's SOCKS port is given. */
    public String hostname() {
        return serviceId + ONION_SUFFIX;
    }

    /** {@code allium:<service id>}, the form shown to users and encoded in QR codes. */
    public String toAlliumUri() {
        return URI_PREFIX + serviceId;
    }

    /** Whether {@code signature} is a valid ed25519 signature of {@code message} by this identity. */
    public boolean verify(byte[] message, byte[] signature) {
        return IdentityKeyPair.verify(publicKey(), message, signature);
    }

    /** The short safety fingerprint users compare out of band. */
    public SafetyFingerprint fingerprint() {
        return SafetyFingerprint.of(this);
    }

    /** The first six characters and an ellipsis: enough to tell addresses apart in logs, no more. */
    public String scrubbed() {
        return serviceId.substring(0, 6) + "…";
    }

    @Override
    public String toString() {
        return "OnionAddress[" + scrubbed() + "]";
    }

    private static void decodeAndCheck(String id) {
        if (id.length() != SERVICE_ID_LENGTH) {
            throw new InvalidAddressException("an onion address has " + SERVICE_ID_LENGTH
                    + " characters, this has " + id.length()
                    + (id.length() == 16 ? " (v2 onion addresses are obsolete)" : ""));
        }
        byte[] raw;
        try {
            raw = Base32.decode(id, 35);
        } catch (IllegalArgumentException e) {
            throw new InvalidAddressException("onion address: " + e.getMessage());
        }
        if (raw[34] != VERSION) {
            throw new InvalidAddressException("unsupported onion address version " + (raw[34] & 0xff)
                    + " (only version 3 exists)");
        }
        byte[] publicKey = Arrays.copyOf(raw, 32);
        byte[] checksum = checksum(publicKey, raw[34]);
        if (checksum[0] != raw[32] || checksum[1] != raw[33]) {
            throw new InvalidAddressException("onion address checksum does not match (mistyped or altered)");
        }
        if (!Ed25519.validatePublicKeyFull(publicKey, 0)) {
            throw new InvalidAddressException("onion address does not contain a valid ed25519 public key");
        }
    }

    private static byte[] checksum(byte[] publicKey, byte version) {
        SHA3Digest sha3 = new SHA3Digest(256);
        sha3.update(CHECKSUM_PREFIX, 0, CHECKSUM_PREFIX.length);
        sha3.update(publicKey, 0, 32);
        sha3.update(version);
        byte[] out = new byte[32];
        sha3.doFinal(out, 0);
        return out;
    }
}
