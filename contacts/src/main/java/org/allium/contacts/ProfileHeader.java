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
 * </pre>
 */
final class ProfileHeader {
    static final String FILE_NAME = "profile.header";
    static final int LENGTH = 96;
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
        return b.array();
    }

    static ProfileHeader decode(byte[] bytes) throws StoreException {
        if (bytes.length != LENGTH || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new StoreException("the profile header is damaged or this is not an Allium profile");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, MAGIC.length, LENGTH - MAGIC.length);
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
            throw new StoreException("the profile header is damaged (" + e.getMessage() + ")");
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
            if (Files.size(file) != LENGTH) {
                throw new StoreException("the profile header is damaged or this is not an Allium profile");
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

    private static byte[] aad(KdfParams params, byte[] salt) {
        return ByteBuffer.allocate(AAD_LENGTH).put(MAGIC).putShort(VERSION).put(KDF_ARGON2ID)
                .putInt(params.memoryKiB()).putInt(params.iterations()).put((byte) params.parallelism())
                .put(salt).array();
    }
}
