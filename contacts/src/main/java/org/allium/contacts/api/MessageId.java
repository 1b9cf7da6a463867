package org.allium.contacts.api;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The random 128-bit id a message carries on the wire. Ids are chosen by the sender, so
 * they are unique per (contact, direction), not globally.
 */
public record MessageId(long high, long low) {
    /** Length in bytes of the wire form. */
    public static final int LENGTH = 16;

    /** A fresh random id. */
    public static MessageId random(SecureRandom random) {
        return new MessageId(random.nextLong(), random.nextLong());
    }

    /** The id of 16 wire bytes (big-endian). */
    public static MessageId fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a message id has 16 bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new MessageId(b.getLong(), b.getLong());
    }

    /** The 16 wire bytes (big-endian), a fresh array. */
    public byte[] toBytes() {
        return ByteBuffer.allocate(LENGTH).putLong(high).putLong(low).array();
    }

    /** 32 lowercase hex digits. */
    public String toHex() {
        return HexFormat.of().formatHex(toBytes());
    }

    @Override
    public String toString() {
        return "MessageId[" + toHex() + "]";
    }
}
