package org.allium.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * A short human-comparable fingerprint of an identity, for out-of-band verification
 * (reading it out on a call, comparing it with a printed card). Five groups of five
 * decimal digits, e.g. {@code 50759 34193 34892 75046 56459}.
 *
 * <p>Definition (PROTOCOL.md §2.4): {@code h = SHA-256("allium/v1/fingerprint" ‖ pubkey)};
 * group {@code i} (0..4) is the big-endian unsigned integer of {@code h[5i .. 5i+5)}
 * modulo 100000, written with leading zeros. That keeps about 83 bits of the hash: to
 * fake a fingerprint an attacker needs ~2^83 key generations. It is a shorthand for
 * comparing — the full address remains the identity.
 *
 * @param text the five groups separated by single spaces
 */
public record SafetyFingerprint(String text) {
    private static final byte[] DOMAIN = "allium/v1/fingerprint".getBytes(StandardCharsets.US_ASCII);
    static final int GROUPS = 5;

    public SafetyFingerprint {
        if (text == null || !text.matches("\\d{5}( \\d{5}){" + (GROUPS - 1) + "}")) {
            throw new IllegalArgumentException("a safety fingerprint is five groups of five digits");
        }
    }

    /** The fingerprint of an identity. */
    public static SafetyFingerprint of(OnionAddress address) {
        byte[] publicKey = address.publicKey();
        SHA256Digest sha = new SHA256Digest();
        sha.update(DOMAIN, 0, DOMAIN.length);
        sha.update(publicKey, 0, publicKey.length);
        byte[] h = new byte[32];
        sha.doFinal(h, 0);
        StringBuilder out = new StringBuilder(GROUPS * 6);
        for (int g = 0; g < GROUPS; g++) {
            long v = 0;
            for (int i = 0; i < 5; i++) {
                v = (v << 8) | (h[5 * g + i] & 0xff);
            }
            if (g > 0) {
                out.append(' ');
            }
            out.append(String.format(Locale.ROOT, "%05d", v % 100_000));
        }
        return new SafetyFingerprint(out.toString());
    }

    /** The groups as separate strings, for layouts that show them in a grid. */
    public String[] groups() {
        return text.split(" ");
    }

    /** Scrubbed (first group only), so it never reaches a log whole; use {@link #text()} to show it. */
    @Override
    public String toString() {
        return "SafetyFingerprint[" + text.substring(0, 5) + " …]";
    }
}
