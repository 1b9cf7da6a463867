package org.allium.contacts;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.allium.contacts.api.MessageId;

/**
 * The store's redo log for its two frequent writes, queueing an outgoing message and storing
 * incoming ones: an append-only file of encrypted frames, one per transaction, each synced
 * (fdatasync) before the transaction returns. H2 commits those transactions in memory only
 * and writes them to its own file in the background; whatever is not there yet after a
 * crash is re-applied from this log when the profile opens ({@link Database#recover}).
 * Every fully synced transaction of the store ({@code CHECKPOINT SYNC}) empties the log.
 *
 * <p>Why: an H2 commit that is written and synced costs a chunk of copy-on-write pages, their
 * encryption and two hand-offs to H2's writer threads (1.5 ms idle, several ms on a busy
 * machine); one appended frame and one fdatasync cost a third of that, and both commits on a
 * message's way (the sender's outbox, the receiver's inbox) are on its latency.
 *
 * <p>Frame: {@code u32 length, 12-byte random nonce, AES-256-GCM(entries)} with the frame's
 * index since the log was last emptied as associated data, under a key derived from the
 * store key (so nothing in the file is readable or reorderable without it). A crash can
 * leave only the last frame torn (each append is synced before the next starts); reading
 * stops at the first frame that is truncated or fails authentication.
 *
 * <p>Not thread-safe: used under the database's lock.
 */
final class CommitLog implements AutoCloseable {
    static final String FILE_NAME = "store.log";
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    /** Larger than any real frame (a burst of 64 messages of 16,000 characters), so a corrupt length stops reading. */
    private static final int MAX_FRAME = 8 * 1024 * 1024;
    private static final byte OUTGOING = 1;
    private static final byte INCOMING = 2;

    /** One logged change: a message row to (re)create if it is missing. */
    record Entry(boolean outgoing, long contactId, MessageId id, long seq, long composedAt, long receivedAt,
                 String body) {
    }

    private final Path file;
    private final FileChannel channel;
    private final SecretKeySpec key;
    private final SecureRandom random;
    private final Cipher cipher;
    private long frames;
    /** Nonce = 8 random bytes chosen when the log is opened or the counter wraps, then a 4-byte counter. */
    private final byte[] nonce = new byte[NONCE_LENGTH];
    private long nonceCounter = 1L << 32;

    private CommitLog(Path file, FileChannel channel, SecretKeySpec key, SecureRandom random)
            throws GeneralSecurityException {
        this.file = file;
        this.channel = channel;
        this.key = key;
        this.random = random;
        this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    }

    /** Opens (creating if missing, owner-only) the log of the store in {@code dir}. */
    static CommitLog open(Path dir, byte[] storeKey, SecureRandom random) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileSystemSupport.restrictToOwner(file);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        byte[] k = KeyDerivation.subKey(storeKey, KeyDerivation.Purpose.COMMIT_LOG);
        try {
            return new CommitLog(file, ch, new SecretKeySpec(k, "AES"), random);
        } catch (GeneralSecurityException e) {
            ch.close();
            throw new IOException("AES-GCM is not available", e);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /**
     * Every entry of every intact frame, in order, from the start of the file; positions the
     * log after the last intact frame, so a torn tail is overwritten by the next append.
     */
    List<Entry> readAll() throws IOException {
        List<Entry> out = new ArrayList<>();
        long position = 0;
        long size = channel.size();
        frames = 0;
        ByteBuffer header = ByteBuffer.allocate(4);
        while (position + 4 <= size) {
            header.clear();
            readFully(header, position);
            int length = header.getInt(0);
            if (length < NONCE_LENGTH + TAG_BITS / 8 || length > MAX_FRAME || position + 4 + length > size) {
                break; // torn or never written
            }
            ByteBuffer frame = ByteBuffer.allocate(length);
            readFully(frame, position + 4);
            List<Entry> entries;
            try {
                entries = decode(decrypt(frame.array(), frames));
            } catch (AEADBadTagException e) {
                if (position + 4 + length < size) {
                    // Only the last frame can be torn; a bad one before others is damage.
                    throw new IOException("the commit log is damaged", e);
                }
                break; // torn: the tail of an interrupted write
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot decrypt the commit log", e);
            }
            out.addAll(entries);
            frames++;
            position += 4 + length;
        }
        channel.position(position);
        return out;
    }

    /** Appends one frame holding {@code entries} and syncs it to disk before returning. */
    void append(List<Entry> entries) throws IOException {
        write(entries);
        force();
    }

    /**
     * Appends one frame holding {@code entries} to the file (the operating system's cache):
     * from here on it survives the end of this process, not yet a power cut ({@link #force}).
     */
    void write(List<Entry> entries) throws IOException {
        byte[] plain = encode(entries);
        byte[] sealed;
        try {
            sealed = encrypt(plain, frames);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt the commit log", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        ByteBuffer buf = ByteBuffer.allocate(4 + sealed.length);
        buf.putInt(sealed.length).put(sealed).flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        frames++;
    }

    /** Syncs what was written to the disk (fdatasync). */
    void force() throws IOException {
        channel.force(false);
    }

    /** Size in bytes of what the log holds. */
    long size() throws IOException {
        return channel.position();
    }

    /** Empties the log (its changes are in the synced store file now) and syncs that. */
    void reset() throws IOException {
        if (channel.size() == 0 && frames == 0) {
            return;
        }
        channel.truncate(0);
        channel.position(0);
        channel.force(true);
        frames = 0;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Closes and deletes the (empty) log file. */
    void closeAndDelete() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    private void readFully(ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                throw new IOException("commit log ended early");
            }
        }
    }

    private byte[] encrypt(byte[] plain, long index) throws GeneralSecurityException {
        // Unique per key with overwhelming probability: a fresh random 64-bit prefix per 2^32 frames.
        if (nonceCounter >= 1L << 32) {
            random.nextBytes(nonce);
            nonceCounter = 0;
        }
        ByteBuffer.wrap(nonce, 8, 4).putInt((int) nonceCounter++);
        Cipher c = cipher;
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(aad(index));
        byte[] out = new byte[NONCE_LENGTH + c.getOutputSize(plain.length)];
        System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
        c.doFinal(plain, 0, plain.length, out, NONCE_LENGTH);
        return out;
    }

    private byte[] decrypt(byte[] frame, long index) throws GeneralSecurityException {
        Cipher c = cipher;
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, frame, 0, NONCE_LENGTH));
        c.updateAAD(aad(index));
        return c.doFinal(frame, NONCE_LENGTH, frame.length - NONCE_LENGTH);
    }

    private static byte[] aad(long index) {
        return ByteBuffer.allocate(8).putLong(index).array();
    }

    static byte[] encode(List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(entries.size());
        for (Entry e : entries) {
            out.writeByte(e.outgoing() ? OUTGOING : INCOMING);
            out.writeLong(e.contactId());
            out.write(e.id().toBytes());
            out.writeLong(e.seq());
            out.writeLong(e.composedAt());
            out.writeLong(e.receivedAt());
            byte[] body = e.body().getBytes(StandardCharsets.UTF_8);
            out.writeInt(body.length);
            out.write(body);
        }
        out.flush();
        return bytes.toByteArray();
    }

    static List<Entry> decode(byte[] plain) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(plain));
        int n = in.readInt();
        if (n < 0 || n > plain.length) {
            throw new IOException("commit log frame is corrupt");
        }
        List<Entry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte type = in.readByte();
            if (type != OUTGOING && type != INCOMING) {
                throw new IOException("commit log frame is corrupt");
            }
            long contact = in.readLong();
            byte[] id = new byte[MessageId.LENGTH];
            in.readFully(id);
            long seq = in.readLong();
            long composed = in.readLong();
            long received = in.readLong();
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new IOException("commit log frame is corrupt");
            }
            byte[] body = new byte[length];
            in.readFully(body);
            out.add(new Entry(type == OUTGOING, contact, MessageId.fromBytes(id), seq, composed, received,
                    new String(body, StandardCharsets.UTF_8)));
        }
        return out;
    }
}
