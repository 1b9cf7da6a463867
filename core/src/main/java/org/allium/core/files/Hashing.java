package org.allium.core.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 over files and chunk lists (PROTOCOL.md §9.1). */
final class Hashing {
    private Hashing() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** What offering a file needs: every chunk's hash, the hash of that list, the file's hash. */
    record Result(long size, byte[] chunkHashes, byte[] chunkHashesSha256, byte[] fileSha256) { }

    /** Reads the file once. Heap: one chunk buffer plus 32 bytes per chunk. */
    static Result hash(Path file, int chunkSize, long maxSize) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > maxSize) {
                throw new IOException("too large");
            }
            int count = (int) ((size + chunkSize - 1) / chunkSize);
            byte[] hashes = new byte[count * 32];
            MessageDigest whole = sha256();
            MessageDigest chunk = sha256();
            ByteBuffer buf = ByteBuffer.allocate(chunkSize);
            for (int i = 0; i < count; i++) {
                int len = (int) Math.min(chunkSize, size - (long) i * chunkSize);
                readFully(ch, buf, (long) i * chunkSize, len);
                whole.update(buf.array(), 0, len);
                chunk.update(buf.array(), 0, len);
                try {
                    chunk.digest(hashes, i * 32, 32);
                } catch (java.security.DigestException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (ch.size() != size) {
                throw new IOException("the file changed while it was read");
            }
            return new Result(size, hashes, sha256().digest(hashes), whole.digest());
        }
    }

    /** Reads exactly {@code len} bytes at {@code pos} into the start of {@code buf}. */
    static void readFully(FileChannel ch, ByteBuffer buf, long pos, int len) throws IOException {
        buf.clear().limit(len);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new java.io.EOFException("the file is shorter than offered");
            }
        }
    }

    static boolean matches(MessageDigest md, byte[] data, int off, int len, byte[] hashes, int index) {
        md.update(data, off, len);
        byte[] h = md.digest();
        return java.util.Arrays.equals(h, 0, 32, hashes, index * 32, index * 32 + 32);
    }
}
