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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.allium.contacts.api.MessageId;

/**
 * The store's redo log for its frequent writes — queueing an outgoing message, storing
 * incoming ones, storing group messages (our own and received): frames, one per transaction, each synced (fdatasync) before the transaction
 * returns. H2 commits those transactions in memory only and writes them to its own file in
 * the background; whatever is not there yet after a crash is re-applied from this log when
 * the profile opens ({@link Database#recover}). Every fully synced transaction of the store
 * ({@code CHECKPOINT SYNC}) empties the log.
 *
 * <p>Why: an H2 commit that is written and synced costs a chunk of copy-on-write pages, their
 * encryption and two hand-offs to H2's writer threads (1.5 ms idle, several ms on a busy
 * machine); one frame and one fdatasync cost a third of that, and both commits on a
 * message's way (the sender's outbox, the receiver's inbox) are on its latency.
 *
 * <p>File: a 56-byte header ({@code "ALLIUMLG"}, version, a random 16-byte <em>generation</em>,
 * the store's sync count and a SHA-256 checksum of the first 40 bytes), then frames {@code u32 length, u64 index,
 * 12-byte nonce, AES-256-GCM(entries)} with {@code generation ‖ index} as associated data,
 * under a key derived from the store key. Version 3 added the group-message entry; version 2
 * logs (chat entries only) are still read and replayed, and a group entry in one is damage.
 * A new generation starts every time a profile is
 * opened, and the store records which one is live and up to which index its frames are in
 * the synced store file ({@code store_state}): a log copied back from an earlier state (to
 * bring deleted messages back) is never replayed, a log that is missing or lost frames the
 * store expects is reported, and frames cannot be moved between logs or reordered. Every
 * synced write of the store increments its sync count, and the log's header is rewritten
 * with it when the log is emptied; the log is kept (empty) when the profile is closed. So a
 * store file that fell back to an earlier state — H2 opens the newest chunk it can read, and
 * a file cut short or damaged in its last chunks opens as it was some writes ago — is found
 * out by its count being lower than its log's.
 *
 * <p>Torn or damaged: the file is grown in {@link #UNIT} steps (sparse zeros) before frames are
 * written into it, so an interrupted write never changes its size, and at least four zero
 * bytes always follow the last frame. A crash can leave only the last frame incomplete, and
 * then some disk sector of it still holds the zeros it was given; a file whose size is not a
 * whole number of units was cut short, a frame running past the end or followed by data was
 * damaged, a last frame that fails authentication without an unwritten sector was damaged
 * after it was complete (and acknowledged). {@link #scan} tells these apart without writing.
 *
 * <p>Not thread-safe: used under the database's lock.
 */
final class CommitLog implements AutoCloseable {
    static final String FILE_NAME = "store.log";
    /** The file grows in steps of this size, so a crash never leaves it a different size. */
    static final int UNIT = 64 * 1024;
    static final int HEADER_LENGTH = 56;
    static final int GENERATION_LENGTH = 16;
    private static final byte[] MAGIC = {'A', 'L', 'L', 'I', 'U', 'M', 'L', 'G'};
    /** Written by this version; {@link #OLDEST_READ} and later are read. */
    private static final short VERSION = 3;
    /** Version 2: chat entries only (no {@link GroupEntry}). */
    private static final short OLDEST_READ = 2;
    /** Disk writes are atomic per sector at best; a torn frame has a sector still holding zeros. */
    private static final int SECTOR = 512;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final int MIN_FRAME = 8 + NONCE_LENGTH + TAG_BITS / 8;
    /** Larger than any real frame (a burst of 64 messages of 16,000 characters), so a corrupt length stops reading. */
    private static final int MAX_FRAME = 8 * 1024 * 1024;
    /** Entry kinds: a chat message out / in (since version 2), a group message (since 3). */
    private static final byte OUTGOING = 1;
    private static final byte INCOMING = 2;
    private static final byte GROUP = 3;
    /** Largest raw group message an entry holds (GroupStore.MAX_RAW_BYTES). */
    static final int MAX_GROUP_RAW = org.allium.contacts.api.GroupStore.MAX_RAW_BYTES;

    /** One logged change: a row to (re)create if it is missing ({@link Replay}). */
    sealed interface Entry permits MessageEntry, GroupEntry {
    }

    /** A chat message row. */
    record MessageEntry(boolean outgoing, long contactId, MessageId id, long seq, long composedAt, long receivedAt,
                        String body) implements Entry {
    }

    /**
     * A group message row (unique per group, author and sequence): 16-byte group id, 32-byte
     * author key, 16-byte message id, the raw signed message or null for a tombstone.
     */
    record GroupEntry(byte[] groupId, byte[] author, long seq, byte[] msgId, byte[] raw, long receivedAt)
            implements Entry {
        GroupEntry {
            if (groupId.length != 16 || author.length != 32 || msgId.length != 16 || seq < 1
                    || (raw != null && raw.length > MAX_GROUP_RAW)) {
                throw new IllegalArgumentException("not a storable group message");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof GroupEntry g && Arrays.equals(groupId, g.groupId) && Arrays.equals(author, g.author)
                    && seq == g.seq && Arrays.equals(msgId, g.msgId) && Arrays.equals(raw, g.raw)
                    && receivedAt == g.receivedAt;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(msgId) * 31 + Long.hashCode(seq);
        }

        @Override
        public String toString() {
            return "GroupEntry[seq=" + seq + ", " + (raw == null ? "tombstone" : raw.length + " bytes") + "]";
        }
    }

    /** One intact frame: its index in its generation and its entries. */
    record Frame(long index, List<Entry> entries) {
    }

    /**
     * What a read-only look at a log found. {@code generation} is null when the header is
     * unreadable ({@code headerProblem} says why); {@code damage} is null when every byte is
     * accounted for (intact frames, at most one torn last frame, zeros).
     */
    record Scan(boolean exists, long size, byte[] generation, long syncCount, String headerProblem,
                List<Frame> frames, boolean tornTail, String damage) {
        static Scan absent() {
            return new Scan(false, 0, null, 0, null, List.of(), false, null);
        }

        int entryCount() {
            return frames.stream().mapToInt(f -> f.entries().size()).sum();
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final SecretKeySpec key;
    private final SecureRandom random;
    private final Cipher cipher;
    private final byte[] generation;
    /** Where the next frame goes. */
    private long position = HEADER_LENGTH;
    /** Current file size (a multiple of UNIT). */
    private long capacity;
    private long nextIndex;
    /** Nonce = 8 random bytes chosen when the log is opened or the counter wraps, then a 4-byte counter. */
    private final byte[] nonce = new byte[NONCE_LENGTH];
    private long nonceCounter = 1L << 32;

    private CommitLog(Path file, FileChannel channel, SecretKeySpec key, SecureRandom random, byte[] generation,
            long capacity) throws GeneralSecurityException {
        this.file = file;
        this.channel = channel;
        this.key = key;
        this.random = random;
        this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        this.generation = generation;
        this.capacity = capacity;
    }

    static SecretKeySpec key(byte[] storeKey) {
        byte[] k = KeyDerivation.subKey(storeKey, KeyDerivation.Purpose.COMMIT_LOG);
        try {
            return new SecretKeySpec(k, "AES");
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /**
     * Starts a new generation: writes a fresh, empty log beside the old one, syncs it and
     * renames it over {@code store.log} (so the file is always either the old log or the new
     * one). The caller records {@link #generation()} in the store before appending.
     */
    static CommitLog create(Path dir, SecretKeySpec key, SecureRandom random, long syncCount) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        Path tmp = dir.resolve(FILE_NAME + ".new");
        byte[] generation = new byte[GENERATION_LENGTH];
        random.nextBytes(generation);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            FileSystemSupport.restrictToOwner(tmp);
            writeFully(ch, ByteBuffer.wrap(header(generation, syncCount)), 0);
            writeFully(ch, ByteBuffer.allocate(1), UNIT - 1); // the rest of the first unit: zeros (sparse)
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        FileSystemSupport.syncDirectory(dir);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new CommitLog(file, ch, key, random, generation, UNIT);
        } catch (GeneralSecurityException e) {
            ch.close();
            throw new IOException("AES-GCM is not available", e);
        }
    }

    byte[] generation() {
        return generation.clone();
    }

    /** The index the next frame gets; every frame below it has been written. */
    long nextIndex() {
        return nextIndex;
    }

    /**
     * Reads the log of {@code dir} without writing anything: header, every intact frame, and
     * whether what follows is a torn last frame, zeros, or damage.
     */
    static Scan scan(Path dir, byte[] storeKey) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Scan.absent();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return scan(ch, key(storeKey));
        }
    }

    private static Scan scan(FileChannel ch, SecretKeySpec key) throws IOException {
        long size = ch.size();
        if (size < HEADER_LENGTH) {
            return new Scan(true, size, null, 0, "it is " + size + " bytes long, shorter than its header",
                    List.of(), false, null);
        }
        byte[] head = new byte[HEADER_LENGTH];
        readFully(ch, ByteBuffer.wrap(head), 0);
        String headerProblem = null;
        if (!Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC)) {
            headerProblem = "it does not start like an Allium commit log (or was written by an older version)";
        } else if (!MessageDigest.isEqual(Arrays.copyOfRange(sha256(head, 40), 0, 16),
                Arrays.copyOfRange(head, 40, 56))) {
            headerProblem = "its header's checksum does not match";
        } else if (ByteBuffer.wrap(head, 8, 2).getShort() < OLDEST_READ
                || ByteBuffer.wrap(head, 8, 2).getShort() > VERSION) {
            headerProblem = "it was written by another version of Allium";
        }
        if (headerProblem != null) {
            return new Scan(true, size, null, 0, headerProblem, List.of(), false, null);
        }
        short version = ByteBuffer.wrap(head, 8, 2).getShort();
        byte[] generation = Arrays.copyOfRange(head, 16, 32);
        long syncCount = ByteBuffer.wrap(head, 32, 8).getLong();
        List<Frame> frames = new ArrayList<>();
        String damage = size % UNIT == 0 || size == HEADER_LENGTH ? null
                : "its size (" + size + " bytes) is not a whole number of " + (UNIT / 1024)
                + " KiB blocks: it was cut short";
        Cipher cipher;
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM is not available", e);
        }
        boolean torn = false;
        long position = HEADER_LENGTH;
        ByteBuffer lengthField = ByteBuffer.allocate(4);
        while (position + 4 <= size) {
            lengthField.clear();
            readFully(ch, lengthField, position);
            int length = lengthField.getInt(0);
            if (length == 0) {
                break;
            }
            long frameEnd = position + 4 + (long) length;
            if (length < MIN_FRAME || length > MAX_FRAME || frameEnd + 4 > size) {
                if (length >= MIN_FRAME && length <= MAX_FRAME) {
                    damage = first(damage, "frame " + frames.size() + " (at byte " + position
                            + ") reaches the end of the file: the file was cut short");
                } else {
                    damage = first(damage, "frame " + frames.size() + " (at byte " + position
                            + ") has an impossible length");
                }
                position = size; // nothing after it can be trusted or placed
                break;
            }
            byte[] frame = new byte[length];
            readFully(ch, ByteBuffer.wrap(frame), position + 4);
            long index = ByteBuffer.wrap(frame, 0, 8).getLong();
            try {
                List<Entry> entries = decode(decrypt(cipher, key, generation, frame, index), version);
                if (!frames.isEmpty() && index != frames.get(frames.size() - 1).index() + 1) {
                    damage = first(damage, "frame " + frames.size() + " (at byte " + position
                            + ") is out of order");
                }
                frames.add(new Frame(index, entries));
                position = frameEnd;
            } catch (GeneralSecurityException | IOException e) {
                boolean last = allZero(ch, frameEnd, size);
                if (last && hasUnwrittenSector(position, frame, lengthField.array())) {
                    torn = true; // a write a crash interrupted: it was never acknowledged
                    position = frameEnd;
                    break;
                }
                // Damage; the frames after it are still read, for a repair to salvage.
                damage = first(damage, "frame " + frames.size() + " (at byte " + position + ") fails"
                        + " its integrity check" + (last ? " although it was completely written" : ""));
                position = frameEnd;
                if (last) {
                    break;
                }
            }
        }
        if (damage == null && position < size && !allZero(ch, position, size)) {
            damage = "there is data after its end (at byte " + position + " or later)";
        }
        return new Scan(true, size, generation, syncCount, null, List.copyOf(frames), torn, damage);
    }

    private static String first(String existing, String next) {
        return existing != null ? existing : next;
    }

    /**
     * Whether a frame that fails authentication looks torn: some part of it that lies within
     * one disk sector is all zeros (what the file held there before the write, since sectors
     * are written whole or not at all). Ciphertext is practically never zero over a whole
     * sector's part; a flipped or overwritten byte leaves no such part.
     */
    private static boolean hasUnwrittenSector(long position, byte[] body, byte[] lengthField) {
        long start = position;
        long end = position + 4 + body.length;
        for (long s = start - Math.floorMod(start, SECTOR); s < end; s += SECTOR) {
            long from = Math.max(s, start);
            long to = Math.min(s + SECTOR, end);
            boolean zero = true;
            for (long p = from; p < to && zero; p++) {
                long off = p - position;
                byte b = off < 4 ? lengthField[(int) off] : body[(int) (off - 4)];
                zero = b == 0;
            }
            if (zero) {
                return true;
            }
        }
        return false;
    }

    private static boolean allZero(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long p = from;
        while (p < to) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), to - p));
            int n = ch.read(buf, p);
            if (n <= 0) {
                return true;
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) != 0) {
                    return false;
                }
            }
            p += n;
        }
        return true;
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
            sealed = encrypt(plain, nextIndex);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt the commit log", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        long end = position + 4 + 8 + sealed.length;
        if (end + 4 > capacity) {
            // Grow first (zeros), so that a torn write below never changes the file's size.
            long grown = (end + 4 + UNIT - 1) / UNIT * UNIT;
            writeFully(channel, ByteBuffer.allocate(1), grown - 1);
            capacity = grown;
        }
        ByteBuffer buf = ByteBuffer.allocate(4 + 8 + sealed.length);
        buf.putInt(8 + sealed.length).putLong(nextIndex).put(sealed).flip();
        writeFully(channel, buf, position);
        position = end;
        nextIndex++;
    }

    /** Syncs what was written to the disk (fdatasync). */
    void force() throws IOException {
        channel.force(false);
    }

    /** Size in bytes of what the log holds. */
    long size() {
        return position;
    }

    /**
     * Empties the log (its frames are in the synced store file now, which the store has
     * recorded together with {@code syncCount}), records the count in the header and syncs
     * that. Frame indexes go on from where they were. The file is cut to its header and grown
     * back to one unit: a crash between the two leaves a header-only file, which holds no
     * frames either. The header fits one disk sector, so it is written whole or not at all.
     */
    void reset(long syncCount) throws IOException {
        writeFully(channel, ByteBuffer.wrap(header(generation, syncCount)), 0);
        if (position != HEADER_LENGTH) {
            channel.truncate(HEADER_LENGTH);
            writeFully(channel, ByteBuffer.allocate(1), UNIT - 1);
            capacity = UNIT;
            position = HEADER_LENGTH;
        }
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Closes and deletes the log file (its frames are folded into the store). */
    void closeAndDelete() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    private static byte[] header(byte[] generation, long syncCount) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH);
        b.put(MAGIC).putShort(VERSION).put(new byte[6]).put(generation).putLong(syncCount);
        b.put(sha256(b.array(), 40), 0, 16);
        return b.array();
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(bytes, 0, length);
            return d.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            p += ch.write(buf, p);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
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
        c.updateAAD(aad(generation, index));
        byte[] out = new byte[NONCE_LENGTH + c.getOutputSize(plain.length)];
        System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
        c.doFinal(plain, 0, plain.length, out, NONCE_LENGTH);
        return out;
    }

    /** {@code frame} = index (8) ‖ nonce ‖ ciphertext. */
    private static byte[] decrypt(Cipher c, SecretKeySpec key, byte[] generation, byte[] frame, long index)
            throws GeneralSecurityException {
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, frame, 8, NONCE_LENGTH));
        c.updateAAD(aad(generation, index));
        return c.doFinal(frame, 8 + NONCE_LENGTH, frame.length - 8 - NONCE_LENGTH);
    }

    private static byte[] aad(byte[] generation, long index) {
        return ByteBuffer.allocate(GENERATION_LENGTH + 8).put(generation).putLong(index).array();
    }

    static byte[] encode(List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(entries.size());
        for (Entry entry : entries) {
            if (entry instanceof MessageEntry e) {
                out.writeByte(e.outgoing() ? OUTGOING : INCOMING);
                out.writeLong(e.contactId());
                out.write(e.id().toBytes());
                out.writeLong(e.seq());
                out.writeLong(e.composedAt());
                out.writeLong(e.receivedAt());
                byte[] body = e.body().getBytes(StandardCharsets.UTF_8);
                out.writeInt(body.length);
                out.write(body);
            } else {
                GroupEntry g = (GroupEntry) entry;
                // kind, group id (16), author (32), seq, msg id (16), received at, raw length (-1: none), raw
                out.writeByte(GROUP);
                out.write(g.groupId());
                out.write(g.author());
                out.writeLong(g.seq());
                out.write(g.msgId());
                out.writeLong(g.receivedAt());
                out.writeInt(g.raw() == null ? -1 : g.raw().length);
                if (g.raw() != null) {
                    out.write(g.raw());
                }
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    /**
     * The entries of one authenticated frame of a log of {@code version}. Anything that does
     * not read as exactly the entries it announces (an unknown kind, a group entry in a
     * version 2 log, a length out of bounds, bytes left over) is an IOException: the frame is
     * reported as damaged, never half applied.
     */
    static List<Entry> decode(byte[] plain, short version) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(plain));
        try {
            int n = in.readInt();
            if (n < 0 || n > plain.length) {
                throw corrupt();
            }
            List<Entry> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte type = in.readByte();
                if (type == OUTGOING || type == INCOMING) {
                    long contact = in.readLong();
                    byte[] id = new byte[MessageId.LENGTH];
                    in.readFully(id);
                    long seq = in.readLong();
                    long composed = in.readLong();
                    long received = in.readLong();
                    int length = in.readInt();
                    if (length < 0 || length > in.available()) {
                        throw corrupt();
                    }
                    byte[] body = new byte[length];
                    in.readFully(body);
                    out.add(new MessageEntry(type == OUTGOING, contact, MessageId.fromBytes(id), seq, composed, received,
                            new String(body, StandardCharsets.UTF_8)));
                } else if (type == GROUP && version >= 3) {
                    byte[] group = new byte[16];
                    in.readFully(group);
                    byte[] author = new byte[32];
                    in.readFully(author);
                    long seq = in.readLong();
                    byte[] msgId = new byte[16];
                    in.readFully(msgId);
                    long received = in.readLong();
                    int length = in.readInt();
                    if (length < -1 || length > MAX_GROUP_RAW || length > in.available() || seq < 1) {
                        throw corrupt();
                    }
                    byte[] raw = null;
                    if (length >= 0) {
                        raw = new byte[length];
                        in.readFully(raw);
                    }
                    out.add(new GroupEntry(group, author, seq, msgId, raw, received));
                } else {
                    throw corrupt();
                }
            }
            if (in.available() != 0) {
                throw corrupt();
            }
            return out;
        } catch (java.io.EOFException e) {
            throw corrupt();
        }
    }

    private static IOException corrupt() {
        return new IOException("commit log frame is corrupt");
    }
}
