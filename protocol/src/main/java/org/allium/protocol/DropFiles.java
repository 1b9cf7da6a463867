package org.allium.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * The ids a source derives for a submission with attachments (PROTOCOL.md §13.5), so that
 * sending the same text and files again from the same codename — after a crash, on another
 * machine — names the same submission and files, and the drop line resumes the upload
 * where it stopped: the source keeps nothing on disk. Pure and thread-safe.
 */
public final class DropFiles {
    static final byte[] SUBMISSION_LABEL = "allium/v1/drop/submission".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FILE_LABEL = "allium/v1/drop/file".getBytes(StandardCharsets.US_ASCII);

    /** One attachment as the ids see it: its whole-file SHA-256 and its size. */
    public record Content(byte[] fileSha256, long size) {
        public Content {
            if (fileSha256 == null || fileSha256.length != 32 || size < 0) {
                throw new IllegalArgumentException("a file hash has 32 bytes and a size is not negative");
            }
            fileSha256 = fileSha256.clone();
        }

        @Override
        public byte[] fileSha256() {
            return fileSha256.clone();
        }
    }

    private DropFiles() {
    }

    /**
     * {@code SHA-256("allium/v1/drop/submission" ‖ source public key[32] ‖ SHA-256(UTF-8 text)
     * ‖ u8(n) ‖ (file_sha256[32] ‖ u64(size)) for each of the n files)[0..16)}.
     */
    public static byte[] submissionId(byte[] sourcePublicKey, String text, List<Content> files) {
        if (sourcePublicKey.length != 32 || files.size() > Limits.MAX_DROP_FILES) {
            throw new IllegalArgumentException("a 32-byte key and at most " + Limits.MAX_DROP_FILES + " files");
        }
        MessageDigest d = sha256();
        d.update(SUBMISSION_LABEL);
        d.update(sourcePublicKey);
        d.update(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
        d.update((byte) files.size());
        for (Content f : files) {
            d.update(f.fileSha256());
            d.update(ByteBuffer.allocate(8).putLong(f.size()).array());
        }
        return Arrays.copyOf(d.digest(), 16);
    }

    /** {@code SHA-256("allium/v1/drop/file" ‖ submission id[16] ‖ u8(ordinal) ‖ file_sha256[32])[0..16)}. */
    public static byte[] fileId(byte[] submissionId, int ordinal, byte[] fileSha256) {
        if (submissionId.length != 16 || ordinal < 0 || ordinal >= Limits.MAX_DROP_FILES || fileSha256.length != 32) {
            throw new IllegalArgumentException("a 16-byte id, an ordinal below " + Limits.MAX_DROP_FILES + ", a 32-byte hash");
        }
        MessageDigest d = sha256();
        d.update(FILE_LABEL);
        d.update(submissionId);
        d.update((byte) ordinal);
        d.update(fileSha256);
        return Arrays.copyOf(d.digest(), 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
