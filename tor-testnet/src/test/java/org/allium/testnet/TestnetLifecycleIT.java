package org.allium.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Networks started and stopped by the tests themselves (not the shared one). */
class TestnetLifecycleIT {
    @TempDir
    Path tmp;

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Waits until none of {@code pids} is alive, or fails after {@code deadline}. */
    private static void awaitDead(List<Long> pids, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        for (long pid : pids) {
            var handle = ProcessHandle.of(pid);
            if (handle.isEmpty()) {
                continue;
            }
            long left = end - System.nanoTime();
            try {
                handle.get().onExit().get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                fail("tor pid " + pid + " still alive after " + deadline);
            }
        }
    }

    @Test
    void closeStopsEveryProcessAndDeletesItsDirectories() throws Exception {
        Path dir = tmp.resolve("net");
        Testnet net = Testnet.start(dir);
        List<Long> pids = net.pids();
        assertEquals(Testnet.AUTHORITIES + Testnet.RELAYS, pids.size());
        assertTrue(pids.stream().allMatch(TestnetLifecycleIT::alive));
        assertTrue(Files.isDirectory(dir));
        net.close();
        for (long pid : pids) {
            assertFalse(alive(pid), "tor pid " + pid + " survived close()");
        }
        assertFalse(Files.exists(dir), "work directory left behind");
        net.close(); // idempotent
    }

    @Test
    void aTorThatFailsDuringStartGivesItsLastLogLinesAndLeavesNothing() throws Exception {
        Path fakeTor = tmp.resolve("tor");
        Files.writeString(fakeTor, "#!/bin/sh\necho 'fake tor: cannot open the data directory' >&2\nexit 3\n");
        Files.setPosixFilePermissions(fakeTor, PosixFilePermissions.fromString("rwx------"));
        TestnetOptions real = TestnetOptions.defaults();
        Path dir = tmp.resolve("net");
        TestnetException e = assertThrows(TestnetException.class,
                () -> Testnet.start(dir, new TestnetOptions(fakeTor, real.torGencert(), Duration.ofMinutes(1))));
        assertTrue(e.getMessage().contains("auth0"), e.getMessage());
        assertTrue(e.getMessage().contains("fake tor: cannot open the data directory"), e.getMessage());
        assertFalse(Files.exists(dir), "work directory left behind");
    }

    @Test
    void aMissingBinaryIsAClearError() {
        TestnetOptions bad = new TestnetOptions(tmp.resolve("no-such-tor"), tmp.resolve("no-such-gencert"), Duration.ofMinutes(1));
        TestnetException e = assertThrows(TestnetException.class, () -> Testnet.start(tmp.resolve("net"), bad));
        assertTrue(e.getMessage().contains("no-such-gencert"), e.getMessage());
    }

    @Test
    void refusesANonEmptyWorkDirectory() throws Exception {
        Files.writeString(tmp.resolve("precious"), "data");
        TestnetException e = assertThrows(TestnetException.class, () -> Testnet.start(tmp));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertTrue(Files.exists(tmp.resolve("precious")));
    }

    @Test
    void everyTorDiesWithItsJvmEvenAfterKill9() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                TestnetMain.class.getName(), tmp.resolve("net").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(false)
                .start();
        List<Long> pids = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        Pattern pid = Pattern.compile("\\bpid (\\d+)");
        try (BufferedReader err = new BufferedReader(new InputStreamReader(jvm.getErrorStream(), StandardCharsets.UTF_8))) {
            // the child prints one "pid N" line per node, then the client torrc lines on stdout
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                seen.add(line);
                Matcher m = pid.matcher(line);
                if (m.find()) {
                    pids.add(Long.parseLong(m.group(1)));
                }
                if (line.startsWith("torrc lines for a client")) {
                    break;
                }
            }
            assertEquals(Testnet.AUTHORITIES + Testnet.RELAYS, pids.size(), String.join("\n", seen));
            assertTrue(pids.stream().allMatch(TestnetLifecycleIT::alive));
            jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS));
            // tor checks its owning process periodically (every 15 s)
            awaitDead(pids, Duration.ofSeconds(90));
        } finally {
            jvm.destroyForcibly();
            for (long p : pids) {
                ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
