package org.allium.contacts;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import org.allium.contacts.api.KdfParams;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Passphrase → key-encryption key (Argon2id, Bouncy Castle), and store key → sub-keys
 * (HKDF-SHA256 with distinct labels). Stateless.
 */
final class KeyDerivation {
    static final int KEY_LENGTH = 32;

    /** Sub-key labels; each gives an independent 32-byte key from the store key. */
    enum Purpose {
        H2_FILE("allium/v1/store/h2-file-password"),
        H2_USER("allium/v1/store/h2-user-password"),
        ADDRESS_HASH("allium/v1/store/address-hash"),
        COMMIT_LOG("allium/v1/store/commit-log"),
        FILES("allium/v1/store/files"),
        ROW_MAC("allium/v1/store/row-mac"),
        BACKUP("allium/v1/store/backup"),
        DROP_SOURCE_HASH("allium/v1/store/drop-source-hash");

        private final byte[] info;

        Purpose(String label) {
            this.info = label.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private KeyDerivation() {
    }

    /**
     * Argon2id(passphrase, salt) with the given cost. The passphrase is NFC-normalized and
     * UTF-8 encoded first, so the same words typed on another system give the same key.
     */
    static byte[] passphraseKey(char[] passphrase, byte[] salt, KdfParams params) {
        byte[] pw = utf8Nfc(passphrase);
        try {
            Argon2Parameters p = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withSalt(salt)
                    .withMemoryAsKB(params.memoryKiB())
                    .withIterations(params.iterations())
                    .withParallelism(params.parallelism())
                    .build();
            Argon2BytesGenerator gen = new Argon2BytesGenerator();
            gen.init(p);
            byte[] out = new byte[KEY_LENGTH];
            gen.generateBytes(pw, out);
            return out;
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    /** HKDF-SHA256(storeKey, info = purpose label), 32 bytes. */
    static byte[] subKey(byte[] storeKey, Purpose purpose) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(storeKey, null, purpose.info));
        byte[] out = new byte[KEY_LENGTH];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }

    /** Lowercase hex of {@code bytes} as chars (H2 takes passwords as char arrays). */
    static char[] hexChars(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        final char[] digits = "0123456789abcdef".toCharArray();
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = digits[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = digits[bytes[i] & 0xf];
        }
        return out;
    }

    private static byte[] utf8Nfc(char[] passphrase) {
        String normalized = Normalizer.normalize(CharBuffer.wrap(passphrase), Normalizer.Form.NFC);
        // The normalized String cannot be wiped; it lives as briefly as possible.
        ByteBuffer b = StandardCharsets.UTF_8.encode(normalized);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) {
            Arrays.fill(b.array(), (byte) 0);
        }
        return out;
    }
}
