package org.allium.contacts;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The encrypted, authenticated backup file of a profile: its header (so the backup opens with
 * the passphrase it had when it was made) and a {@link RowDump} of its store, in chunks of
 * AES-256-GCM under a key derived from the store key and a random backup id.
 *
 * <pre>
 * "ALLIUMBK", u16 version (2), u16 header length, profile.header, 16-byte backup id,
 * chunks: u32 length, AES-GCM(≤ 64 KiB) with AAD = backup id ‖ u64 chunk index ‖ u8 last
 * </pre>
 * The plaintext is the {@link RowDump}, then (version 2 on) the profile's other files
 * ({@link ProfileFiles}: file-transfer data and the like). Version 1 backups, rows only,
 * still restore.
 * The nonce is the chunk index (the key is new for every backup). A backup cut short has no
 * chunk marked last; a changed, reordered or foreign chunk fails authentication.
 */
final class BackupFile {
    static final byte[] MAGIC = {'A', 'L', 'L', 'I', 'U', 'M', 'B', 'K'};
    /** Written now: rows, then the profile's files. */
    static final int VERSION = 2;
    /** Rows only (before the profile's files were carried); still read. */
    static final int VERSION_ROWS_ONLY = 1;
    private static final int ID_LENGTH = 16;
    private static final int CHUNK = 64 * 1024;
    private static final int TAG = 16;

    private BackupFile() {
    }

    /** Opens {@code file} (its temporary sibling, renamed over it on close) for a backup. */
    static Writer create(Path file, byte[] header, byte[] backupKey, SecureRandom random) throws IOException {
        byte[] id = new byte[ID_LENGTH];
        random.nextBytes(id);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            FileSystemSupport.restrictToOwner(tmp);
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4 + header.length + ID_LENGTH);
            head.put(MAGIC).putShort((short) VERSION).putShort((short) header.length).put(header).put(id);
            out.write(head.array());
            return new Writer(file, tmp, out, key(backupKey, id), id);
        } catch (IOException | RuntimeException e) {
            out.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** A backup's format version and the profile header it carries. */
    record Head(int version, byte[] header) {
    }

    /** The version and header bytes stored in a backup, read before the passphrase is known. */
    static Head readHeader(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        d.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("it is not an Allium backup");
        }
        int version = d.readUnsignedShort();
        if (version != VERSION && version != VERSION_ROWS_ONLY) {
            throw new IOException("it was written by another version of Allium (backup format " + version + ")");
        }
        int length = d.readUnsignedShort();
        if (length > 1024) {
            throw new IOException("its header is damaged");
        }
        byte[] header = new byte[length];
        d.readFully(header);
        return new Head(version, header);
    }

    /** The plaintext of a backup whose header {@link #readHeader} has read from {@code in}. */
    static InputStream open(InputStream in, byte[] backupKey) throws IOException {
        byte[] id = new byte[ID_LENGTH];
        new DataInputStream(in).readFully(id);
        return new Reader(in, key(backupKey, id), id);
    }

    /** {@code backupKey}: the store key's {@link KeyDerivation.Purpose#BACKUP} sub-key. */
    private static SecretKeySpec key(byte[] backupKey, byte[] id) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(backupKey, id, "allium/v1/backup".getBytes(StandardCharsets.US_ASCII)));
        byte[] k = new byte[32];
        hkdf.generateBytes(k, 0, k.length);
        try {
            return new SecretKeySpec(k, "AES");
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    private static byte[] aad(byte[] id, long index, boolean last) {
        return ByteBuffer.allocate(ID_LENGTH + 9).put(id).putLong(index).put((byte) (last ? 1 : 0)).array();
    }

    private static byte[] nonce(long index) {
        return ByteBuffer.allocate(12).putInt(0).putLong(index).array();
    }

    /** Plaintext in, sealed chunks out; {@link #close} writes the last chunk, syncs and renames. */
    static final class Writer extends OutputStream {
        private final Path file;
        private final Path tmp;
        private final OutputStream out;
        private final SecretKeySpec key;
        private final byte[] id;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(CHUNK);
        private long index;
        private boolean closed;

        private Writer(Path file, Path tmp, OutputStream out, SecretKeySpec key, byte[] id) {
            this.file = file;
            this.tmp = tmp;
            this.out = out;
            this.key = key;
            this.id = id;
        }

        @Override
        public void write(int b) throws IOException {
            buffer.write(b);
            if (buffer.size() >= CHUNK) {
                seal(false);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int o = off;
            int remaining = len;
            while (remaining > 0) {
                int n = Math.min(remaining, CHUNK - buffer.size());
                buffer.write(b, o, n);
                o += n;
                remaining -= n;
                if (buffer.size() >= CHUNK) {
                    seal(false);
                }
            }
        }

        private void seal(boolean last) throws IOException {
            byte[] plain = buffer.toByteArray();
            buffer.reset();
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce(index)));
                c.updateAAD(aad(id, index, last));
                byte[] sealed = c.doFinal(plain);
                out.write(ByteBuffer.allocate(4).putInt(sealed.length).array());
                out.write(sealed);
                index++;
            } catch (GeneralSecurityException e) {
                throw new IOException("AES-GCM is not available", e);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }

        /** Abandons the backup: the temporary file is deleted, nothing replaces {@code file}. */
        void abort() {
            closed = true;
            try {
                out.close();
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // best effort
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                seal(true);
                out.close();
                try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }
    }

    /** Sealed chunks in, plaintext out; an IOException for anything cut short, changed or appended. */
    private static final class Reader extends InputStream {
        private final DataInputStream in;
        private final SecretKeySpec key;
        private final byte[] id;
        private byte[] chunk = new byte[0];
        private int pos;
        private long index;
        private boolean last;

        Reader(InputStream in, SecretKeySpec key, byte[] id) {
            this.in = new DataInputStream(in);
            this.key = key;
            this.id = id;
        }

        private boolean fill() throws IOException {
            while (pos >= chunk.length) {
                if (last) {
                    return false;
                }
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException e) {
                    throw new IOException("it was cut short (its last part is missing)");
                }
                if (length < TAG || length > CHUNK + TAG) {
                    throw new IOException("it is damaged (part " + index + " has an impossible length)");
                }
                byte[] sealed = new byte[length];
                try {
                    in.readFully(sealed);
                } catch (EOFException e) {
                    throw new IOException("it was cut short (part " + index + " is incomplete)");
                }
                chunk = open(sealed, false);
                if (chunk == null) {
                    chunk = open(sealed, true);
                    if (chunk == null) {
                        throw new IOException("it is damaged (part " + index + " fails its integrity check)");
                    }
                    last = true;
                    if (in.read() >= 0) {
                        throw new IOException("it has data after its end");
                    }
                }
                pos = 0;
                index++;
            }
            return true;
        }

        private byte[] open(byte[] sealed, boolean isLast) throws IOException {
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce(index)));
                c.updateAAD(aad(id, index, isLast));
                return c.doFinal(sealed);
            } catch (javax.crypto.AEADBadTagException e) {
                return null;
            } catch (GeneralSecurityException e) {
                throw new IOException("AES-GCM is not available", e);
            }
        }

        @Override
        public int read() throws IOException {
            return fill() ? chunk[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
