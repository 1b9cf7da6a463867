package org.allium.tor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Our tor dies with the JVM that owns it, even when that JVM is killed with SIGKILL. */
class OwnershipIT {
    @TempDir
    Path dir;

    @Test
    void torExitsWhenItsJvmIsKilled() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                OwnTorChild.class.getName(), dir.resolve("tor").toString()).redirectErrorStream(true).start();
        long torPid = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder output = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("TORPID ")) {
                    torPid = Long.parseLong(line.substring(7).strip());
                    break;
                }
            }
            if (torPid < 0) fail("the child JVM did not start tor:\n" + output);
            ProcessHandle tor = ProcessHandle.of(torPid).orElseThrow();
            assertTrue(tor.isAlive());
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean-up code runs
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            try {
                tor.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                tor.destroyForcibly();
                fail("tor outlived the JVM that owned it");
            }
        } finally {
            child.destroyForcibly();
            if (torPid > 0) ProcessHandle.of(torPid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
