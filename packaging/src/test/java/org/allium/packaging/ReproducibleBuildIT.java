package org.allium.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Building twice from the same sources gives a byte-identical jar: copies the sources
 * (no target/, no .git) to another directory, builds the runnable jar there offline
 * without tests, and compares it with the jar this build produced. The copy also lives
 * at another path, so absolute paths leaking into the jar would be caught too.
 */
class ReproducibleBuildIT {

    @Test
    void aSecondBuildInAnotherDirectoryGivesTheSameJar(@TempDir Path tmp) throws Exception {
        Path root = Path.of(System.getProperty("allium.repoRoot")).toRealPath();
        Path jar = Path.of(System.getProperty("allium.jar"));
        assertTrue(Files.isRegularFile(jar), "the build made " + jar);

        Path copy = tmp.resolve("copy");
        copySources(root, copy);
        Path log = tmp.resolve("build.log");
        Process p = new ProcessBuilder(List.of("./mvnw", "-o", "-q", "-B", "-ntp",
                "-pl", "packaging", "-am", "package", "-Dmaven.test.skip=true"))
                .directory(copy.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "second build finished");
        assertEquals(0, p.exitValue(), () -> "second build failed:\n" + read(log));

        Path second = copy.resolve("packaging/target/allium.jar");
        assertEquals(sha256(jar), sha256(second), "both builds give the same allium.jar");
    }

    private static void copySources(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                if (!dir.equals(from) && (name.equals("target") || name.equals(".git"))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && !file.getFileName().toString().equals(".git")) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()),
                            StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
