package org.allium.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar allium.jar demo}, as a newcomer runs it: to completion, and interrupted
 * (SIGTERM, what Ctrl-C also triggers: the JVM's shutdown hooks) — both leave no file and no
 * tor process behind.
 */
class DemoIT {

    private static final Duration DEADLINE = Duration.ofMinutes(15);

    /** A running demo with its output collected line by line. */
    static final class Demo {
        final Process process;
        final List<String> lines = new ArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);

        Demo(Path tmpdir) throws IOException {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.awt.headless=true", "-Djava.io.tmpdir=" + tmpdir,
                    "-jar", System.getProperty("allium.jar"), "demo");
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            process.getOutputStream().close();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(l);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // Process gone.
                } finally {
                    done.countDown();
                }
            }, "demo-output");
            t.setDaemon(true);
            t.start();
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        void awaitLine(String part) throws InterruptedException {
            long end = System.nanoTime() + DEADLINE.toNanos();
            synchronized (lines) {
                while (lines.stream().noneMatch(l -> l.contains(part))) {
                    long left = end - System.nanoTime();
                    assertTrue(left > 0 && process.isAlive() || lines.stream().anyMatch(l -> l.contains(part)),
                            "no line with \"" + part + "\":\n" + String.join("\n", lines));
                    TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
                }
            }
        }

        int awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(DEADLINE.toMinutes(), TimeUnit.MINUTES), "demo finished:\n" + output());
            done.await(30, TimeUnit.SECONDS);
            return process.exitValue();
        }
    }

    @Test
    void theDemoRunsAWholeExchangeToCompletionAndCleansUp(@TempDir Path tmp) throws Exception {
        Demo demo = new Demo(tmp);
        int exit = demo.awaitExit();
        String out = demo.output();
        assertEquals(0, exit, out);
        for (String step : List.of("network up", "alice online", "bob online", "bob received a request from \"alice\"",
                "alice: bob accepted", "matches what bob's own profile shows",
                "bob received: \"Hello Bob!", "alice received: \"Hi Alice", "cleaned up", "demo finished in")) {
            assertTrue(out.contains(step), "demo shows \"" + step + "\":\n" + out);
        }
        assertTrue(out.lines().filter(l -> l.contains("delivered:")).count() >= 2, out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\[ *[0-9]+\\.[0-9] s\\] .*")), "steps carry timings");
        assertNothingLeft(tmp, demo.process.pid());
    }

    @Test
    void anInterruptedDemoStillCleansUp(@TempDir Path tmp) throws Exception {
        Demo demo = new Demo(tmp);
        demo.awaitLine("creating two throw-away profiles");
        // SIGTERM runs the shutdown hooks exactly as Ctrl-C (SIGINT) does. Through the handle:
        // Process.destroy() would also close our end of its output and lose the last lines.
        assertTrue(demo.process.toHandle().destroy());
        int exit = demo.awaitExit();
        assertTrue(demo.output().contains("interrupted: cleaning up"), "exit " + exit + ":\n" + demo.output());
        assertNothingLeft(tmp, demo.process.pid());
    }

    private static void assertNothingLeft(Path tmp, long pid) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            List<Path> left = s.collect(Collectors.toList());
            assertTrue(left.isEmpty(), "temporary files left: " + left);
        }
        // Anything started under the demo's directories must be gone, or on its way out.
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(tmp.toString())).orElse(false))
                .collect(Collectors.toList());
        for (ProcessHandle p : left) {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("a process of demo " + pid + " is still running: "
                        + p.info().commandLine().orElse("?"));
            }
        }
    }
}
