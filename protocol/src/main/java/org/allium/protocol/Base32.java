package org.allium.protocol;

/**
 * RFC 4648 base32 without padding, as tor uses it for onion service ids and
 * client-authorization keys. Encodes lowercase; decodes either case. Stateless and
 * thread-safe.
 */
final class Base32 {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private Base32() {
    }

    static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }

    /** Value of one base32 character, or -1 if it is not in the alphabet. */
    static int value(char c) {
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= '2' && c <= '7') {
            return c - '2' + 26;
        }
        return -1;
    }

    /**
     * Decodes exactly {@code byteCount} bytes from {@code text}, which must have the
     * unpadded length for that many bytes and zero trailing bits (one canonical form).
     *
     * @throws IllegalArgumentException naming the first problem found, never echoing the input
     */
    static byte[] decode(CharSequence text, int byteCount) {
        int expectedChars = (byteCount * 8 + 4) / 5;
        if (text.length() != expectedChars) {
            throw new IllegalArgumentException(
                    "expected " + expectedChars + " base32 characters, got " + text.length());
        }
        byte[] out = new byte[byteCount];
        int buffer = 0;
        int bits = 0;
        int pos = 0;
        for (int i = 0; i < text.length(); i++) {
            int v = value(text.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("invalid character at position " + (i + 1)
                        + " (only a-z and 2-7 are allowed)");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[pos++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            throw new IllegalArgumentException("non-canonical base32: trailing bits are not zero");
        }
        return out;
    }
}
