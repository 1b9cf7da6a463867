package org.allium.testnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/** File helpers. Stateless; thread-safe. */
final class Dirs {
    private Dirs() {
    }

    /** Creates {@code dir} readable only by us: tor refuses a group- or world-readable DataDirectory. */
    static Path createPrivate(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    /** Deletes {@code dir} and everything under it; absent is fine. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = new ArrayList<>(s.toList());
        }
        Collections.reverse(all);
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }

    /** The last {@code n} lines of a text file, or none when it cannot be read. */
    static List<String> tail(Path file, int n) {
        try {
            List<String> lines = Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }
}
