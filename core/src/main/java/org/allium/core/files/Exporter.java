package org.allium.core.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.allium.contacts.api.FileData;
import org.allium.contacts.api.FileOfferSpec;

/**
 * Writes a received file out of the profile: decrypted chunk by chunk into a temp file in the
 * target directory, synced, then renamed (no half-written file under the final name). The
 * peer's name is only ever a last path element after {@link #safeName}.
 */
public final class Exporter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Exporter() {
    }

    /** {@link org.allium.core.api.FileNames#safe}: the one rule for a peer's name as a path element. */
    static String safeName(String offered) {
        return org.allium.core.api.FileNames.safe(offered);
    }

    /** "name.ext", then "name (1).ext", "name (2).ext", ... */
    static String variant(String name, int n) {
        if (n == 0) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) + " (" + n + ")" + name.substring(dot) : name + " (" + n + ")";
    }

    /**
     * Decrypts the complete file into {@code target} (a directory: a unique safe name in it;
     * otherwise that exact file, replaced atomically). Checks the whole-file hash on the way.
     */
    public static Path export(FileData data, FileOfferSpec offer, Path target) throws IOException {
        boolean intoDir = Files.isDirectory(target);
        Path dir = intoDir ? target : target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("no such directory");
        }
        Path tmp = dir.resolve(".allium-" + HexFormat.of().formatHex(randomBytes()) + ".part");
        try {
            MessageDigest md = Hashing.sha256();
            byte[] buf = new byte[offer.chunkSize()];
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (int i = 0; i < offer.chunkCount(); i++) {
                    int n = data.readChunk(i, buf);
                    if (n != offer.chunkLength(i)) {
                        throw new IOException("the stored file is incomplete or damaged");
                    }
                    md.update(buf, 0, n);
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                }
                out.force(true);
            }
            if (!MessageDigest.isEqual(md.digest(), offer.fileSha256())) {
                throw new IOException("the stored file does not match its hash");
            }
            Path result;
            if (intoDir) {
                String name = safeName(offer.name());
                result = null;
                for (int n = 0; n < 10_000 && result == null; n++) {
                    Path candidate = dir.resolve(variant(name, n));
                    if (!candidate.getParent().equals(dir)) {
                        throw new IOException("unsafe name");
                    }
                    try {
                        Files.createLink(candidate, tmp); // atomic and never replaces an existing file
                        result = candidate;
                    } catch (FileAlreadyExistsException e) {
                        // next variant
                    } catch (UnsupportedOperationException e) {
                        if (!Files.exists(candidate)) {
                            Files.move(tmp, candidate, StandardCopyOption.ATOMIC_MOVE);
                            result = candidate;
                        }
                    }
                }
                if (result == null) {
                    throw new IOException("no free name");
                }
            } else {
                result = target.toAbsolutePath();
                Files.move(tmp, result, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
            return result;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not every platform can open a directory; the rename is still atomic
        }
    }
}
