package org.allium.tor.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Chooses and creates the owner-only (0700) directory that holds our Unix sockets (tor's
 * control and SOCKS sockets, the onion services' targets). A socket path must fit the
 * kernel's {@code sun_path} (108 bytes on Linux, 104 on macOS) and tor's syntax (no blanks,
 * quotes or commas), so a profile directory with a long or unusual path cannot hold them:
 * then a fresh private directory under {@code $XDG_RUNTIME_DIR} (or the temporary directory)
 * is used instead, and that is logged.
 */
public final class SocketDirectory {
    private static final Logger LOG = Logger.getLogger(SocketDirectory.class.getName());
    /** Longest socket file name we create inside the directory ({@code o-} + 12 hex digits, {@code control}). */
    public static final int MAX_NAME = 16;
    /** Longest socket path we allow, below both kernels' limits with room for the terminating NUL. */
    static final int MAX_PATH = 100;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9/._+@-]+");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private SocketDirectory() {}

    /** Whether sockets named up to {@link #MAX_NAME} characters inside {@code dir} are usable. */
    public static boolean suitable(Path dir) {
        String s = dir.toAbsolutePath().toString();
        return PLAIN.matcher(s).matches() && s.getBytes(StandardCharsets.UTF_8).length + 1 + MAX_NAME <= MAX_PATH;
    }

    /** {@link #create(Path, Map)} with the real environment. */
    public static Path create(Path preferred) throws IOException {
        return create(preferred, System.getenv());
    }

    /**
     * Creates {@code preferred} (0700) if {@link #suitable}, else a fresh private directory
     * under {@code $XDG_RUNTIME_DIR}, {@code java.io.tmpdir} or {@code /tmp} (the first that
     * is suitable). An existing directory must be ours and not readable by others.
     */
    public static Path create(Path preferred, Map<String, String> env) throws IOException {
        Path p = preferred.toAbsolutePath();
        if (suitable(p)) {
            createPrivate(p);
            return p;
        }
        for (String base : new String[] {env.get("XDG_RUNTIME_DIR"), System.getProperty("java.io.tmpdir"), "/tmp"}) {
            if (base == null || base.isBlank()) continue;
            Path b = Path.of(base).toAbsolutePath();
            if (!Files.isDirectory(b) || !suitable(b.resolve("allium-XXXXXXXXXXXXXXXXXXXX"))) continue;
            Path dir = Files.createTempDirectory(b, "allium-", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            dir.toFile().deleteOnExit(); // removed at exit once our sockets are gone
            LOG.info("the profile's path is too long or unusual for Unix sockets; using a private directory under "
                    + b + " instead");
            return dir;
        }
        throw new IOException("no directory short and plain enough for Unix sockets "
                + "(set XDG_RUNTIME_DIR, or move the profile to a shorter path)");
    }

    private static void createPrivate(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) throw new IOException(dir + " is not a directory");
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (!perms.equals(OWNER_ONLY)) Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
    }
}
