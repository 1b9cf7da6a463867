package org.allium.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd/allium@.service: no core dumps (a dump holds the unlocked keys), the sandboxing
 * that tor and the JVM tolerate, nothing Java cannot run under; and systemd itself reads
 * every line (systemd-analyze verify, which only warns about unknown or malformed keys).
 */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("systemd", "allium@.service");

    @TempDir
    Path tmp;

    @Test
    void hardeningDirectivesArePresent() throws Exception {
        List<String> lines = Files.readAllLines(UNIT);
        for (String d : List.of("LimitCORE=0", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                "PrivateTmp=yes", "PrivateDevices=yes", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
                "ReadWritePaths=/var/lib/allium", "CapabilityBoundingSet=", "RestrictSUIDSGID=yes",
                "SystemCallArchitectures=native", "UMask=0077")) {
            assertTrue(lines.contains(d), "missing " + d);
        }
        // The JIT writes and then executes code: Java cannot run with MemoryDenyWriteExecute.
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("MemoryDenyWriteExecute")));
    }

    @Test
    void theHeapAndTheServiceAreBounded() throws Exception {
        // Unbounded, the JVM sized its heap from the machine's RAM (issue 12: 900 MB RSS).
        assertTrue(Files.readAllLines(UNIT).contains("MemoryMax=768M"), "a backstop for the whole service");
        assertTrue(Files.readString(Path.of("..", "allium")).contains("exec java -Xmx256m ${ALLIUM_JAVA_OPTS:-}"),
                "./allium caps the heap before the user's options");
        assertTrue(Files.readString(Path.of("installer", "jpackage.sh")).contains("--java-options -Xmx256m"),
                "the installed launcher caps the heap");
    }

    @Test
    void systemdAcceptsEveryLine() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assertTrue(Files.isExecutable(analyze), "systemd-analyze is needed (apt-get install systemd)");
        Path instance = Files.copy(UNIT, tmp.resolve("allium@test.service"));
        Process p = new ProcessBuilder(analyze.toString(), "verify", instance.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> aboutUnit = out.lines().filter(l -> l.contains("allium@test.service")).toList();
        assertEquals(List.of(), aboutUnit, "systemd's complaints about the unit");
    }
}
