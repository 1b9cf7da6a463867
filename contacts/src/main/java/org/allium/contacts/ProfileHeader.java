package org.allium.contacts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.allium.contacts.api.DamagedProfileException;
import org.allium.contacts.api.KdfParams;
import org.allium.contacts.api.StoreException;
import org.allium.contacts.api.WrongPassphraseException;

/**
 * The small unencrypted file that makes a profile openable: Argon2id parameters, salt and
 * the random store key wrapped (AES-256-GCM) under the passphrase key. It reveals nothing
 * else — no name, no address, no count. The GCM tag doubles as the key check: a wrong
 * passphrase is detected here, before the database is touched.
 *
 * <pre>
 * offset size
 *  0      8   magic "ALLIUMPH"
 *  8      2   format version (1)
 * 10      1   KDF id (1 = Argon2id v0x13)
 * 11      4   memory in KiB
 * 15      4   iterations
 * 19      1   parallelism
 * 20     16   salt
 * 36     12   GCM nonce
 * 48     48   wrapped store key (32) + GCM tag (16)     AAD = bytes 0..35
 * 96     32   SHA-256 of bytes 0..95
 * </pre>
 *
 * <p>The checksum needs no passphrase: it tells a damaged header ("damaged, restore a
 * backup") from a wrong passphrase (a good checksum and a failing GCM tag). It is no
 * defence against someone who rewrites the file on purpose — nothing in an unkeyed file
 * could be — but such a rewrite still ends at the GCM tag. Headers written before the
 * checksum existed (96 bytes) are still read.
 */
final class ProfileHeader {
    static final String FILE_NAME = "profile.header";
    static final int LENGTH = 128;
    private static final int BODY_LENGTH = 96;
    private static final byte[] MAGIC = {'A', 'L', 'L', 'I', 'U', 'M', 'P', 'H'};
    private static final short VERSION = 1;
    private static final byte KDF_ARGON2ID = 1;
    private static final int SALT_LENGTH = 16;
    private static final int NONCE_LENGTH = 12;
    private static final int AAD_LENGTH = 36;

    private final KdfParams params;
    private final byte[] salt;
    private final byte[] nonce;
    private final byte[] wrapped;

    private ProfileHeader(KdfParams params, byte[] salt, byte[] nonce, byte[] wrapped) {
        this.params = params;
        this.salt = salt;
        this.nonce = nonce;
        this.wrapped = wrapped;
    }

    KdfParams params() {
        return params;
    }

    /** A header wrapping {@code storeKey} under {@code passphrase} with a fresh salt and nonce. */
    static ProfileHeader seal(byte[] storeKey, char[] passphrase, KdfParams params, SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] kek = KeyDerivation.passphraseKey(passphrase, salt, params);
        try {
            byte[] aad = aad(params, salt);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad);
            return new ProfileHeader(params, salt, nonce, c.doFinal(storeKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    /**
     * Unwraps the store key.
     *
     * @throws WrongPassphraseException if the passphrase (or anything in the header) is wrong
     */
    byte[] unseal(char[] passphrase) throws WrongPassphraseException {
        byte[] kek = KeyDerivation.passphraseKey(passphrase, salt, params);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(params, salt));
            return c.doFinal(wrapped);
        } catch (AEADBadTagException e) {
            throw new WrongPassphraseException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(aad(params, salt)).put(nonce).put(wrapped);
        b.put(sha256(b.array(), BODY_LENGTH));
        return b.array();
    }

    static ProfileHeader decode(byte[] bytes) throws StoreException {
        if (bytes.length != LENGTH && bytes.length != BODY_LENGTH) {
            throw damaged("its length is " + bytes.length + " bytes instead of " + LENGTH);
        }
        if (bytes.length == LENGTH && !java.security.MessageDigest.isEqual(sha256(bytes, BODY_LENGTH),
                Arrays.copyOfRange(bytes, BODY_LENGTH, LENGTH))) {
            throw damaged("its checksum does not match its content");
        }
        if (!Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw damaged("it does not start like an Allium profile header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, MAGIC.length, BODY_LENGTH - MAGIC.length);
        short version = b.getShort();
        byte kdf = b.get();
        if (version != VERSION || kdf != KDF_ARGON2ID) {
            throw new StoreException("the profile was written by a newer version of Allium (header format "
                    + version + ")");
        }
        int memory = b.getInt();
        int iterations = b.getInt();
        int parallelism = b.get() & 0xff;
        KdfParams params;
        try {
            params = new KdfParams(memory, iterations, parallelism);
        } catch (IllegalArgumentException e) {
            throw damaged("its key derivation parameters are invalid");
        }
        byte[] salt = new byte[SALT_LENGTH];
        b.get(salt);
        byte[] nonce = new byte[NONCE_LENGTH];
        b.get(nonce);
        byte[] wrapped = new byte[KeyDerivation.KEY_LENGTH + 16];
        b.get(wrapped);
        return new ProfileHeader(params, salt, nonce, wrapped);
    }

    static ProfileHeader read(Path dir) throws StoreException {
        Path file = dir.resolve(FILE_NAME);
        try {
            long size = Files.size(file);
            if (size != LENGTH && size != BODY_LENGTH) {
                throw damaged("its length is " + size + " bytes instead of " + LENGTH);
            }
            return decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new StoreException("cannot read the profile header: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Writes the header atomically: a temporary file in the same directory, synced, then
     * renamed over the old one, then the directory synced. A crash leaves either the old or
     * the new header, never a mix.
     */
    void writeAtomically(Path dir) throws StoreException {
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(encode());
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            FileSystemSupport.restrictToOwner(tmp);
            Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            FileSystemSupport.syncDirectory(dir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new StoreException("cannot write the profile header: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Whether this header was read from the older, checksum-less format (it is rewritten on the next open). */
    static boolean isLegacy(Path dir) {
        try {
            return Files.size(dir.resolve(FILE_NAME)) == BODY_LENGTH;
        } catch (IOException e) {
            return false;
        }
    }

    private static DamagedProfileException damaged(String problem) {
        return new DamagedProfileException(FILE_NAME, problem, DamagedProfileException.RESTORE);
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            d.update(bytes, 0, length);
            return d.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static byte[] aad(KdfParams params, byte[] salt) {
        return ByteBuffer.allocate(AAD_LENGTH).put(MAGIC).putShort(VERSION).put(KDF_ARGON2ID)
                .putInt(params.memoryKiB()).putInt(params.iterations()).put((byte) params.parallelism())
                .put(salt).array();
    }
}
