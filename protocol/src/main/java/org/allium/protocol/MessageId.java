package org.allium.protocol;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 128-bit random id of a delivered item (chat message, file offer, contact request,
 * drop submission). Random rather than counted so that a sender that lost its state
 * never reuses one; 128 bits make a collision negligible. Immutable.
 *
 * @param bytes 16 bytes (copied in and out)
 */
public record MessageId(byte[] bytes) implements Comparable<MessageId> {
    public MessageId {
        if (bytes == null || bytes.length != Limits.ID_LENGTH) {
            throw new IllegalArgumentException("a message id has " + Limits.ID_LENGTH + " bytes");
        }
        bytes = bytes.clone();
    }

    public static MessageId random(SecureRandom random) {
        byte[] b = new byte[Limits.ID_LENGTH];
        random.nextBytes(b);
        return new MessageId(b);
    }

    /** From a validated wire field. */
    public static MessageId of(ByteString wire) {
        return new MessageId(wire.toByteArray());
    }

    /** 32 lowercase hex digits. */
    public static MessageId fromHex(String hex) {
        return new MessageId(HexFormat.of().parseHex(hex));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public ByteString toByteString() {
        return ByteString.copyFrom(bytes);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(MessageId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
