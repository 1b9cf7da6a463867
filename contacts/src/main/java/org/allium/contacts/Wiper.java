package org.allium.contacts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.allium.contacts.api.StoreException;

/**
 * Panic wipe: overwrite every file of a profile directory with random bytes, sync, delete,
 * then delete the directory. The header goes first because it alone holds the wrapped key:
 * once it is gone, whatever copies of the database survive cannot be decrypted.
 */
final class Wiper {
    private static final Logger LOG = Logger.getLogger(Wiper.class.getName());
    private static final int CHUNK = 64 * 1024;

    private final SecureRandom random;

    Wiper(SecureRandom random) {
        this.random = random;
    }

    void wipe(Path dir) throws StoreException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(p -> (Files.isDirectory(p) ? dirs : files).add(p));
        } catch (IOException e) {
            throw new StoreException("cannot list the profile directory for wiping", e);
        }
        files.sort(Comparator.comparing((Path p) -> !p.getFileName().toString().startsWith(ProfileHeader.FILE_NAME)));
        int failures = 0;
        for (Path f : files) {
            try {
                overwrite(f);
            } catch (IOException e) {
                failures++;
            }
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                failures++;
            }
        }
        dirs.sort(Comparator.comparing(Path::getNameCount).reversed());
        for (Path d : dirs) {
            try {
                Files.deleteIfExists(d);
            } catch (IOException e) {
                failures++;
            }
        }
        if (dir.getParent() != null) {
            FileSystemSupport.syncDirectory(dir.getParent());
        }
        if (failures > 0) {
            LOG.log(Level.WARNING, "panic wipe: {0} file operations failed", failures);
            throw new StoreException("the profile was only partly wiped (" + failures + " operations failed)");
        }
    }

    private void overwrite(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            long size = ch.size();
            byte[] buf = new byte[CHUNK];
            long pos = 0;
            while (pos < size) {
                random.nextBytes(buf);
                ByteBuffer b = ByteBuffer.wrap(buf, 0, (int) Math.min(CHUNK, size - pos));
                while (b.hasRemaining()) {
                    pos += ch.write(b, pos);
                }
            }
            ch.force(true);
        }
    }
}
