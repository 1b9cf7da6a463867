package org.allium.contacts.api;

import java.io.IOException;
import java.util.Optional;

/**
 * The encrypted-at-rest data of one file transfer inside the profile: verified chunks of an
 * incoming file and the chunk hash list of either direction. Chunks are encrypted one by one
 * (AES-256-GCM under a key derived from the profile's store key and the transfer), so a chunk
 * reads back only if it was written whole. Not thread-safe: one user at a time. Blocks on disk.
 */
public interface FileData extends AutoCloseable {
    /**
     * Writes chunk {@code index} (already verified by the caller). Not durable until {@link #force()}.
     *
     * @throws DiskFullException below the free space the store keeps for itself (the same
     *         check and the same episode as the store's writes), or when the write failed
     *         for lack of space; chunks written before stay
     */
    void writeChunk(int index, byte[] data, int offset, int length) throws IOException, DiskFullException;

    /**
     * Reads chunk {@code index} into {@code out} (at least the chunk size long).
     *
     * @return its length, or -1 if it was never written whole
     */
    int readChunk(int index, byte[] out) throws IOException;

    /** Makes every chunk written so far durable (fsync). */
    void force() throws IOException;

    /** Stores the chunk hash list (count × 32 bytes), durably; refused on a full disk as {@link #writeChunk}. */
    void writeHashes(byte[] hashes) throws IOException, DiskFullException;

    /** The stored chunk hash list, if any. */
    Optional<byte[]> readHashes() throws IOException;

    @Override
    void close() throws IOException;
}
