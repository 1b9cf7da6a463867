package org.allium.contacts;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The files of a profile directory beside its store, as a backup carries them: everything
 * except what {@link #excluded} names, with the reason. So the received chunks and hash lists
 * of file transfers ({@code files/}) are in a backup, and so is whatever file another module
 * keeps in the profile later, unless it is deliberately left out here. Stateless.
 *
 * <pre>
 * per file: u8 1, u16 length + UTF-8 relative path ('/'-separated), u64 size,
 *           per 64 KiB block: u8 0 (all zeros: a hole, nothing follows) | u8 1 and the block
 * u8 0
 * </pre>
 * A file is read as it is while the profile runs, after the rows (so it is at least as new as
 * them): a transfer's chunks are authenticated one by one, so a chunk caught half-written
 * reads as missing and is fetched again; files of transfers that no row knows are swept at
 * the next open ({@code FileStore.sweep}). A restore accepts only plain relative names that
 * this class would carry, and writes nothing outside the new profile directory.
 */
final class ProfileFiles {
    static final int BLOCK = 64 * 1024;
    private static final int MAX_DEPTH = 16;
    private static final int MAX_PATH = 1024;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,255}");

    private ProfileFiles() {
    }

    /** What the backup carries of a profile: how many files, how many bytes (holes included). */
    record Carried(int files, long bytes) {
    }

    /**
     * Why the file or directory at {@code relative} (to the profile directory) is not in a
     * backup, or empty if it is carried.
     */
    static Optional<String> excluded(Path relative) {
        String top = relative.getName(0).toString();
        String last = relative.getFileName().toString();
        if (top.equals(ProfileHeader.FILE_NAME)) {
            return Optional.of("the backup carries it in its own header");
        }
        if (top.equals(ProfileLock.FILE_NAME)) {
            return Optional.of("an empty file the lock is taken on, made by every open");
        }
        if (top.startsWith(Database.BASE_NAME + ".")) {
            return Optional.of("the store: every row of it is in the backup, and a restore builds a new store");
        }
        if (top.equals("tor")) {
            return Optional.of("tor's data directory: caches and state that tor rebuilds; the onion keys are in"
                    + " the store");
        }
        if (top.equals("control")) {
            return Optional.of("the running daemon's control socket");
        }
        if (top.equals(Repair.WORK_DIR) || top.startsWith(Repair.KEPT_PREFIX)) {
            return Optional.of("a repair's work or the damaged originals it set aside; the backup is of the"
                    + " repaired profile");
        }
        if (last.endsWith(".tmp") || last.endsWith(".part")) {
            return Optional.of("a file being written, renamed into place when complete");
        }
        return Optional.empty();
    }

    /** The regular files of {@code dir} a backup carries, in a stable order; no link is followed. */
    static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(dir, java.util.Set.of(), MAX_DEPTH, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return d.equals(dir) || excluded(dir.relativize(d)).isEmpty()
                        ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                Path rel = dir.relativize(f);
                if (attrs.isRegularFile() && excluded(rel).isEmpty() && valid(name(rel))) {
                    out.add(rel);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted meanwhile (a transfer removed)
                }
                throw e;
            }
        });
        out.sort(null);
        return out;
    }

    private static String name(Path relative) {
        StringBuilder b = new StringBuilder();
        for (Path p : relative) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(p);
        }
        return b.toString();
    }

    private static boolean valid(String name) {
        if (name.isEmpty() || name.length() > MAX_PATH) {
            return false;
        }
        String[] segments = name.split("/", -1);
        if (segments.length > MAX_DEPTH) {
            return false;
        }
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches() || s.equals(".") || s.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** Writes the carried files of {@code dir} to {@code out}. */
    static Carried write(Path dir, DataOutputStream out) throws IOException {
        int files = 0;
        long bytes = 0;
        byte[] block = new byte[BLOCK];
        for (Path rel : list(dir)) {
            FileChannel ch;
            try {
                ch = FileChannel.open(dir.resolve(rel), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                continue; // deleted since it was listed
            }
            try (ch) {
                long size = ch.size();
                byte[] name = name(rel).getBytes(StandardCharsets.UTF_8);
                out.writeByte(1);
                out.writeShort(name.length);
                out.write(name);
                out.writeLong(size);
                for (long pos = 0; pos < size; pos += BLOCK) {
                    int n = (int) Math.min(BLOCK, size - pos);
                    ByteBuffer b = ByteBuffer.wrap(block, 0, n);
                    while (b.hasRemaining()) {
                        if (ch.read(b, pos + b.position()) < 0) {
                            // Cut shorter meanwhile: the rest reads as zeros (missing chunks).
                            java.util.Arrays.fill(block, b.position(), n, (byte) 0);
                            break;
                        }
                    }
                    if (allZero(block, n)) {
                        out.writeByte(0);
                    } else {
                        out.writeByte(1);
                        out.write(block, 0, n);
                    }
                }
                files++;
                bytes += size;
            }
        }
        out.writeByte(0);
        return new Carried(files, bytes);
    }

    private static boolean allZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the files written by {@link #write} into {@code dir}, adding every file and
     * directory it creates to {@code created} (so a failed restore can remove them).
     *
     * @throws IOException for a name it would not write, a file that exists, or anything cut short
     */
    static Carried read(DataInputStream in, Path dir, List<Path> created) throws IOException {
        int files = 0;
        long bytes = 0;
        byte[] block = new byte[BLOCK];
        try {
            while (in.readUnsignedByte() == 1) {
                int length = in.readUnsignedShort();
                if (length > MAX_PATH) {
                    throw new IOException("it is damaged (a file name is too long)");
                }
                byte[] raw = new byte[length];
                in.readFully(raw);
                String name = new String(raw, StandardCharsets.UTF_8);
                if (!valid(name)) {
                    throw new IOException("it holds a file name this version does not accept");
                }
                Path rel = Path.of("", name.split("/"));
                if (excluded(rel).isPresent()) {
                    throw new IOException("it holds a file a backup never carries");
                }
                long size = in.readLong();
                if (size < 0) {
                    throw new IOException("it is damaged (a file has a negative size)");
                }
                Path target = dir.resolve(rel);
                makeParents(dir, rel, created);
                try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    created.add(target);
                    FileSystemSupport.restrictToOwner(target);
                    for (long pos = 0; pos < size; pos += BLOCK) {
                        int n = (int) Math.min(BLOCK, size - pos);
                        int kind = in.readUnsignedByte();
                        if (kind == 0) {
                            continue; // a hole: left sparse
                        }
                        if (kind != 1) {
                            throw new IOException("it is damaged (a file block has an unknown kind)");
                        }
                        in.readFully(block, 0, n);
                        ByteBuffer b = ByteBuffer.wrap(block, 0, n);
                        while (b.hasRemaining()) {
                            ch.write(b, pos + b.position());
                        }
                    }
                    if (ch.size() < size) {
                        ch.write(ByteBuffer.wrap(new byte[1]), size - 1); // a trailing hole
                    }
                    ch.force(true);
                }
                files++;
                bytes += size;
            }
        } catch (EOFException e) {
            throw new IOException("it was cut short (in its files)");
        }
        return new Carried(files, bytes);
    }

    private static void makeParents(Path dir, Path rel, List<Path> created) throws IOException {
        Path parent = rel.getParent();
        if (parent == null) {
            return;
        }
        Path d = dir;
        for (Path segment : parent) {
            d = d.resolve(segment);
            if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                FileSystemSupport.createPrivateDirectory(d);
                created.add(d);
            }
        }
    }
}
