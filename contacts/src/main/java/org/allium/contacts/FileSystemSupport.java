package org.allium.contacts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Small file-system helpers: owner-only permissions and directory sync (POSIX; no-ops elsewhere). */
final class FileSystemSupport {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private FileSystemSupport() {
    }

    /** Creates {@code dir} (and parents) if missing and makes it rwx------. */
    static void createPrivateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** Makes a file rw------- (best effort on non-POSIX systems). */
    static void restrictToOwner(Path file) throws IOException {
        if (POSIX && Files.exists(file)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** fsyncs a directory so a rename or delete in it is durable (Linux allows this; others may not). */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory; the rename itself is still atomic.
        }
    }
}
