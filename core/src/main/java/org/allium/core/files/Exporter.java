package org.allium.core.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
final class Exporter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Exporter() {
    }

    /**
     * A name that is safe as a single path element on common systems: no separators, control,
     * bidi or reserved characters, no leading dot (hidden) or dash (option-like), at most 200
     * UTF-8 bytes with the extension kept.
     */
    static String safeName(String offered) {
        StringBuilder b = new StringBuilder();
        offered.codePoints().forEach(cp -> {
            boolean bad = cp < 0x20 || cp == 0x7f || "/\\:*?\"<>|".indexOf(cp) >= 0
                    || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || (cp >= 0x80 && cp < 0xa0)
                    || cp == 0x200e || cp == 0x200f || cp == 0x061c || cp == 0xfeff;
            b.appendCodePoint(bad ? '_' : cp);
        });
        String s = b.toString().strip();
        while (s.startsWith(".") || s.startsWith("-")) {
            s = "_" + s.substring(1);
        }
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
            s = "file";
        }
        if (s.getBytes(StandardCharsets.UTF_8).length > 200) {
            int dot = s.lastIndexOf('.');
            String ext = dot > 0 && s.length() - dot <= 16 ? s.substring(dot) : "";
            String stem = s.substring(0, s.length() - ext.length());
            while ((stem + ext).getBytes(StandardCharsets.UTF_8).length > 200) {
                stem = stem.substring(0, stem.offsetByCodePoints(0, stem.codePointCount(0, stem.length()) - 1));
            }
            s = stem + ext;
        }
        return s;
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
    static Path export(FileData data, FileOfferSpec offer, Path target) throws IOException {
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
