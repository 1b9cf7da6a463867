package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon on a disk that fills up, for real: a child JVM in a user and mount namespace
 * of its own ({@code unshare}, no root needed) with a 24 MB tmpfs for its profile
 * ({@link DiskFullDaemonChild}). A change is refused with exit 15 "disk full: N MB needed",
 * stdout carries a {@code disk_full} event, {@code status} says so, reading works; once the
 * space is back a {@code disk_space_restored} event follows by itself and changes work, with
 * no restart and no "rollback failed" on stderr.
 */
class DiskFullDaemonTest {
    @TempDir
    Path tmp;

    @Test
    void theDaemonReportsAFullDiskAndGoesOnWhenThereIsRoom() throws Exception {
        String[] r = inNamespace(tmp, DiskFullDaemonChild.class.getName());
        String o = r[1];
        String e = r[2];
        String all = "--- stdout\n" + o + "\n--- stderr\n" + e;
        assertEquals("0", r[0], all);
        assertTrue(o.contains("STEP resumed without a restart") && o.contains("OK"), all);
        assertFalse(e.contains("rollback failed"), all);
    }

    /**
     * Runs {@code mainClass} of the test classpath in a child JVM in a new user and mount
     * namespace, with a 24 MB tmpfs mounted on the directory it gets as its argument.
     * Returns exit code, stdout, stderr.
     */
    static String[] inNamespace(Path tmp, String mainClass) throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("mnt"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Path out = tmp.resolve("child.out");
        Path err = tmp.resolve("child.err");
        Process p = new ProcessBuilder(List.of("unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                "mount -t tmpfs -o size=24m tmpfs \"$0\" && exec \"$@\"", mount.toString(),
                java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                mainClass, mount.toString()))
                .directory(tmp.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        return new String[] {Integer.toString(p.exitValue()), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8)};
    }
}
