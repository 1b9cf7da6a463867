package org.allium.contacts.api;

import java.util.Objects;

/**
 * The wire fields of a file offer (PROTOCOL.md §9.1) besides its id and sequence number.
 * {@link #toString()} shows no name or hash.
 *
 * @param name            a plain file name as sent (untrusted when incoming)
 * @param size            bytes
 * @param chunkSize       bytes per chunk (the last may be shorter)
 * @param fileSha256      SHA-256 of the whole file, 32 bytes
 * @param chunkHashesSha256 SHA-256 of the concatenated chunk hashes, 32 bytes
 */
public record FileOfferSpec(String name, long size, int chunkSize, byte[] fileSha256, byte[] chunkHashesSha256) {
    public FileOfferSpec {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 1024) {
            throw new IllegalArgumentException("a file name is 1..1024 characters");
        }
        if (size < 0 || chunkSize < 1) {
            throw new IllegalArgumentException("negative size or empty chunks");
        }
        if (fileSha256 == null || fileSha256.length != 32 || chunkHashesSha256 == null
                || chunkHashesSha256.length != 32) {
            throw new IllegalArgumentException("hashes are 32 bytes");
        }
        fileSha256 = fileSha256.clone();
        chunkHashesSha256 = chunkHashesSha256.clone();
    }

    /** Number of chunks: ceil(size / chunkSize), 0 for an empty file. */
    public int chunkCount() {
        return (int) ((size + chunkSize - 1) / chunkSize);
    }

    /** Length of chunk {@code index}. */
    public int chunkLength(int index) {
        long start = (long) index * chunkSize;
        return (int) Math.min(chunkSize, size - start);
    }

    @Override
    public byte[] fileSha256() {
        return fileSha256.clone();
    }

    @Override
    public byte[] chunkHashesSha256() {
        return chunkHashesSha256.clone();
    }

    @Override
    public String toString() {
        return "FileOfferSpec[" + size + " bytes, chunk " + chunkSize + "]";
    }
}
