package org.allium.contacts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.ContactState;
import org.allium.contacts.api.ContactStateException;
import org.allium.contacts.api.Direction;
import org.allium.contacts.api.DiskFullException;
import org.allium.contacts.api.FileData;
import org.allium.contacts.api.FileOfferSpec;
import org.allium.contacts.api.FileRecord;
import org.allium.contacts.api.FileState;
import org.allium.contacts.api.FileStore;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.MessageStatus;
import org.allium.contacts.api.StoreEvent;
import org.allium.contacts.api.StoreException;

/**
 * {@link FileStore}: rows in the profile's database, data in {@code files/} of the profile
 * directory. A transfer's files are named by an HMAC of (contact, direction, id) under a key
 * derived from the store key, so the names say nothing; their content is AES-256-GCM:
 * chunk i at offset i × (chunk size + 16) with nonce 0⁴ ‖ u64(i) and associated data
 * u32(i), under a per-transfer key (HMAC of the transfer under the files key). A chunk is
 * written only after its hash verified, so a nonce never covers two different plaintexts.
 */
final class FileStoreImpl implements FileStore {
    static final String DIR = "files";
    private static final int TAG = 16;

    private final Database db;
    private final Path dir;
    private final Clock clock;
    private final SecureRandom random;
    private final byte[] filesKey;

    FileStoreImpl(Database db, Path profileDir, Clock clock, SecureRandom random, byte[] filesKey) {
        this.db = db;
        this.dir = profileDir.resolve(DIR);
        this.clock = clock;
        this.random = random;
        this.filesKey = filesKey.clone();
    }

    private static final String COLUMNS = "contact_id, outgoing, file_id, name, size, chunk_size, file_sha,"
            + " chunks_sha, state, reason, source_path, source_modified, created_at";

    @Override
    public Message offerOutgoing(ContactId contact, MessageId id, FileOfferSpec offer, String sourcePath,
            long sourceModified, byte[] chunkHashes) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(sourcePath, "sourcePath");
        if (chunkHashes.length != offer.chunkCount() * 32) {
            throw new IllegalArgumentException("the hash list does not match the chunk count");
        }
        Objects.requireNonNull(id, "id");
        FileRecord draft = new FileRecord(contact, Direction.OUTGOING, id, offer, FileState.OFFERED, null, sourcePath,
                sourceModified, Instant.ofEpochMilli(clock.millis()));
        // The hash list first: a crash before the commit leaves an orphan that sweep() removes.
        try (FileData d = open(draft)) {
            d.writeHashes(chunkHashes);
        } catch (IOException e) {
            throw new StoreException("cannot store the file's hash list: " + e.getClass().getSimpleName(), e);
        }
        return db.transaction("queueing a file offer", tx -> {
            Contact c = Rows.requireContact(tx, contact);
            if (c.state() != ContactState.ACCEPTED) {
                throw new ContactStateException(c.state(), "send a file to");
            }
            PreparedStatement next = tx.prepare(
                    "SELECT next_out_seq FROM conversations WHERE contact_id = ? FOR UPDATE");
            next.setLong(1, contact.value());
            long seq;
            try (ResultSet rs = next.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
            PreparedStatement bump = tx.prepare("UPDATE conversations SET next_out_seq = ? WHERE contact_id = ?");
            bump.setLong(1, seq + 1);
            bump.setLong(2, contact.value());
            bump.executeUpdate();
            Instant now = draft.created();
            long pos = MessageStoreImpl.insert(tx, contact, true, id, seq, now, null, MessageStatus.QUEUED,
                    offer.name());
            insertRow(tx, draft);
            Message m = new Message(contact, pos, Direction.OUTGOING, id, seq, now, null, MessageStatus.QUEUED,
                    offer.name(), true);
            tx.attach(new StoreEvent.MessageQueued(m));
            return m;
        });
    }

    @Override
    public boolean acceptIncomingOffer(ContactId contact, MessageId id, long seq, Instant composed,
            FileOfferSpec offer, FileState initial, String reason) throws StoreException {
        Objects.requireNonNull(contact, "contact");
        return db.transaction("storing a file offer", tx -> {
            Contact c = Rows.requireContact(tx, contact);
            if (c.state() != ContactState.ACCEPTED) {
                throw new ContactStateException(c.state(), "receive from");
            }
            if (MessageStoreImpl.stored(tx, contact, false, id)) {
                return false;
            }
            Instant now = Instant.ofEpochMilli(clock.millis());
            long pos = MessageStoreImpl.insert(tx, contact, false, id, seq, composed, now, MessageStatus.DELIVERED,
                    offer.name());
            insertRow(tx, new FileRecord(contact, Direction.INCOMING, id, offer, initial, reason, null, 0, now));
            tx.attach(new StoreEvent.MessageReceived(new Message(contact, pos, Direction.INCOMING, id, seq, composed,
                    now, MessageStatus.DELIVERED, offer.name(), false)));
            return true;
        });
    }

    private static void insertRow(Database.Tx tx, FileRecord r) throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO file_transfers (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setLong(1, r.contact().value());
        ps.setBoolean(2, r.direction() == Direction.OUTGOING);
        ps.setBytes(3, r.id().toBytes());
        ps.setString(4, r.offer().name());
        ps.setLong(5, r.offer().size());
        ps.setInt(6, r.offer().chunkSize());
        ps.setBytes(7, r.offer().fileSha256());
        ps.setBytes(8, r.offer().chunkHashesSha256());
        ps.setString(9, r.state().name());
        ps.setString(10, r.reason());
        ps.setString(11, r.sourcePath());
        ps.setLong(12, r.sourceModified());
        ps.setLong(13, r.created().toEpochMilli());
        ps.executeUpdate();
    }

    private static FileRecord row(ResultSet rs) throws SQLException {
        FileOfferSpec offer = new FileOfferSpec(rs.getString(4), rs.getLong(5), rs.getInt(6), rs.getBytes(7),
                rs.getBytes(8));
        return new FileRecord(new ContactId(rs.getLong(1)), rs.getBoolean(2) ? Direction.OUTGOING : Direction.INCOMING,
                MessageId.fromBytes(rs.getBytes(3)), offer, FileState.valueOf(rs.getString(9)), rs.getString(10),
                rs.getString(11), rs.getLong(12), Instant.ofEpochMilli(rs.getLong(13)));
    }

    @Override
    public Optional<FileRecord> get(ContactId contact, Direction direction, MessageId id) throws StoreException {
        return db.transaction("reading a file transfer", tx -> {
            PreparedStatement ps = tx.prepare("SELECT " + COLUMNS
                    + " FROM file_transfers WHERE contact_id = ? AND outgoing = ? AND file_id = ?");
            ps.setLong(1, contact.value());
            ps.setBoolean(2, direction == Direction.OUTGOING);
            ps.setBytes(3, id.toBytes());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.<FileRecord>empty();
            }
        });
    }

    @Override
    public List<FileRecord> list() throws StoreException {
        return db.transaction("listing file transfers", tx -> {
            PreparedStatement ps = tx.prepare("SELECT " + COLUMNS + " FROM file_transfers ORDER BY created_at");
            List<FileRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        });
    }

    @Override
    public int countIncoming(ContactId contact, FileState state) throws StoreException {
        return db.transaction("counting file offers", tx -> {
            PreparedStatement ps = tx.prepare("SELECT COUNT(*) FROM file_transfers"
                    + " WHERE contact_id = ? AND outgoing = FALSE AND state = ?");
            ps.setLong(1, contact.value());
            ps.setString(2, state.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Override
    public boolean setState(ContactId contact, Direction direction, MessageId id, FileState state, String reason)
            throws StoreException {
        return db.transaction("updating a file transfer", tx -> {
            PreparedStatement ps = tx.prepare("UPDATE file_transfers SET state = ?, reason = ?"
                    + " WHERE contact_id = ? AND outgoing = ? AND file_id = ?");
            ps.setString(1, state.name());
            ps.setString(2, reason);
            ps.setLong(3, contact.value());
            ps.setBoolean(4, direction == Direction.OUTGOING);
            ps.setBytes(5, id.toBytes());
            return ps.executeUpdate() == 1;
        });
    }

    // ---- data files ----

    /** 32 hex digits naming the transfer's files; derived, so nothing needs storing. */
    private String localName(ContactId contact, Direction direction, MessageId id) {
        byte[] mac = hmac(filesKey, ByteBuffer.allocate(25).putLong(contact.value())
                .put((byte) (direction == Direction.OUTGOING ? 1 : 0)).put(id.toBytes()).array());
        return HexFormat.of().formatHex(mac, 0, 16);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public FileData open(FileRecord t) throws IOException {
        FileSystemSupport.createPrivateDirectory(dir);
        String name = localName(t.contact(), t.direction(), t.id());
        byte[] key = hmac(filesKey, ("allium/v1/file/" + name).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return new Data(db, dir.resolve(name + ".data"), dir.resolve(name + ".hashes"), key, t.offer().chunkSize(),
                t.offer().size(), random);
    }

    @Override
    public void deleteData(FileRecord t) throws IOException {
        String name = localName(t.contact(), t.direction(), t.id());
        Files.deleteIfExists(dir.resolve(name + ".data"));
        Files.deleteIfExists(dir.resolve(name + ".hashes"));
    }

    @Override
    public int sweep() throws StoreException, IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Set<String> known = new HashSet<>();
        for (FileRecord r : list()) {
            known.add(localName(r.contact(), r.direction(), r.id()));
        }
        int n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String f = p.getFileName().toString();
                int dot = f.indexOf('.');
                if (!known.contains(dot < 0 ? f : f.substring(0, dot))) {
                    Files.deleteIfExists(p);
                    n++;
                }
            }
        }
        return n;
    }

    /** One transfer's encrypted data: positional chunk slots plus a sealed hash list. */
    /** Also the data of drop-line attachments ({@link DropStoreImpl}), in a directory of their own. */
    static final class Data implements FileData {
        private final Database db;
        private final Path dataFile;
        private final Path hashFile;
        private final SecretKeySpec key;
        private final int chunkSize;
        private final int count;
        private final long size;
        private final SecureRandom random;
        private final Cipher cipher;
        private FileChannel channel;
        private byte[] buffer;

        Data(Database db, Path dataFile, Path hashFile, byte[] key, int chunkSize, long size, SecureRandom random)
                throws IOException {
            this.db = db;
            this.dataFile = dataFile;
            this.hashFile = hashFile;
            this.key = new SecretKeySpec(key, "AES");
            Arrays.fill(key, (byte) 0);
            this.chunkSize = chunkSize;
            this.size = size;
            this.count = (int) ((size + chunkSize - 1) / chunkSize);
            this.random = random;
            try {
                this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IOException("AES-GCM unavailable", e);
            }
        }

        private FileChannel channel() throws IOException {
            if (channel == null) {
                channel = FileChannel.open(dataFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileSystemSupport.restrictToOwner(dataFile);
                buffer = new byte[chunkSize + TAG];
            }
            return channel;
        }

        private static byte[] nonce(long index) {
            return ByteBuffer.allocate(12).putInt(0).putLong(index).array();
        }

        private void check(int index) {
            if (index < 0 || index >= count) {
                throw new IndexOutOfBoundsException("chunk " + index + " of " + count);
            }
        }

        @Override
        public void writeChunk(int index, byte[] data, int offset, int length) throws IOException, DiskFullException {
            check(index);
            db.requireRoom(false);
            FileChannel ch = channel();
            int n;
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce(index)));
                cipher.updateAAD(ByteBuffer.allocate(4).putInt(index).array());
                n = cipher.doFinal(data, offset, length, buffer, 0);
            } catch (GeneralSecurityException e) {
                throw new IOException("encrypting a chunk failed", e);
            }
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
            long pos = (long) index * (chunkSize + TAG);
            try {
                while (b.hasRemaining()) {
                    pos += ch.write(b, pos);
                }
            } catch (IOException e) {
                if (noSpaceLeft(e)) {
                    db.requireRoom(true); // another program filled the disk after the check
                }
                throw e;
            }
        }

        /** Whether the OS said "No space left on device" (its message, never data). */
        private static boolean noSpaceLeft(IOException e) {
            return e.getMessage() != null && e.getMessage().contains("No space left on device");
        }

        @Override
        public int readChunk(int index, byte[] out) throws IOException {
            check(index);
            if (!Files.exists(dataFile)) {
                return -1;
            }
            FileChannel ch = channel();
            long pos = (long) index * (chunkSize + TAG);
            ByteBuffer b = ByteBuffer.wrap(buffer);
            while (b.hasRemaining()) {
                int r = ch.read(b, pos + b.position());
                if (r < 0) {
                    break;
                }
            }
            int len = (int) Math.min(chunkSize, size - (long) index * chunkSize) + TAG;
            if (b.position() < len) {
                return -1;
            }
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce(index)));
                cipher.updateAAD(ByteBuffer.allocate(4).putInt(index).array());
                return cipher.doFinal(buffer, 0, len, out, 0);
            } catch (AEADBadTagException e) {
                return -1; // never written whole (a hole of the sparse file, or torn by a crash)
            } catch (GeneralSecurityException e) {
                throw new IOException("decrypting a chunk failed", e);
            }
        }

        @Override
        public void force() throws IOException {
            if (channel != null) {
                channel.force(false);
            }
        }

        @Override
        public void writeHashes(byte[] hashes) throws IOException, DiskFullException {
            db.requireRoom(false);
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            byte[] sealed;
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                cipher.updateAAD("hashes".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                sealed = cipher.doFinal(hashes);
            } catch (GeneralSecurityException e) {
                throw new IOException("encrypting the hash list failed", e);
            }
            Path tmp = hashFile.resolveSibling(hashFile.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                FileSystemSupport.restrictToOwner(tmp);
                ByteBuffer b = ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).flip();
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            } catch (IOException e) {
                if (noSpaceLeft(e)) {
                    Files.deleteIfExists(tmp);
                    db.requireRoom(true);
                }
                throw e;
            }
            Files.move(tmp, hashFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            FileSystemSupport.syncDirectory(hashFile.getParent());
        }

        @Override
        public Optional<byte[]> readHashes() throws IOException {
            if (!Files.isRegularFile(hashFile)) {
                return Optional.empty();
            }
            byte[] all = Files.readAllBytes(hashFile);
            if (all.length < 12 + TAG) {
                return Optional.empty();
            }
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
                cipher.updateAAD("hashes".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                byte[] h = cipher.doFinal(all, 12, all.length - 12);
                return h.length == count * 32 ? Optional.of(h) : Optional.empty();
            } catch (AEADBadTagException e) {
                return Optional.empty();
            } catch (GeneralSecurityException e) {
                throw new IOException("decrypting the hash list failed", e);
            }
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        }
    }
}
