package org.allium.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where a profile's control socket lives: {@code <profile>/control/allium.sock} (the
 * {@code control} directory is created with mode 0700, the socket gets 0600). Unix socket
 * paths are limited to ~107 bytes; for a longer profile path the socket goes to
 * {@code $XDG_RUNTIME_DIR/allium/<hash of the profile path>.sock} instead. Daemon and client
 * compute the same path, so a client finds a running daemon without any other state.
 */
final class SocketPaths {

    /** Longest socket path used (sun_path is 108 bytes including the terminating NUL). */
    static final int MAX_BYTES = 100;

    private SocketPaths() {
    }

    static Path forProfile(Path profileDir, Map<String, String> env) throws CliException {
        Path dir = profileDir.toAbsolutePath().normalize();
        Path inProfile = dir.resolve("control").resolve("allium.sock");
        if (bytes(inProfile) <= MAX_BYTES) {
            return inProfile;
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty()) {
            Path p = Path.of(runtime).toAbsolutePath().resolve("allium").resolve(hash(dir) + ".sock");
            if (bytes(p) <= MAX_BYTES) {
                return p;
            }
        }
        throw new CliException(ExitCode.CONTROL_FAILED, "the profile path is too long for a control socket: "
                + "use a shorter --profile or set XDG_RUNTIME_DIR");
    }

    /** The socket path, or null when there can be none (so no daemon can be running). */
    static Path forProfileOrNull(Path profileDir, Map<String, String> env) {
        try {
            return forProfile(profileDir, env);
        } catch (CliException e) {
            return null;
        }
    }

    private static int bytes(Path p) {
        return p.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static String hash(Path dir) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(dir.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }
}
