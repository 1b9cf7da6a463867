package org.allium.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under a download, for real: {@link FileDiskFullChild} runs in a user and mount
 * namespace of its own ({@code unshare}, no root needed) with its receiving profile on a
 * 96 MB tmpfs that it fills mid-transfer. The download pauses with a clear reason and event,
 * keeps what it stored, and completes identical by itself once there is room again.
 */
class FileDiskFullTest {
    @TempDir
    Path tmp;

    @Test
    void aFullDiskPausesTheDownloadKeepsWhatItHasAndItGoesOnByItself() throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("mnt"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Path out = tmp.resolve("child.out");
        Path err = tmp.resolve("child.err");
        Process p = new ProcessBuilder(List.of("unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                "mount -t tmpfs -o size=96m tmpfs \"$0\" && exec \"$@\"", mount.toString(),
                java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                FileDiskFullChild.class.getName(), mount.toString(), outside.toString()))
                .directory(tmp.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        String report = "--- stdout\n" + Files.readString(out, StandardCharsets.UTF_8) + "\n--- stderr\n"
                + Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), report);
        assertTrue(report.contains("STEP completed") && report.contains("\nOK"), report);
    }
}
