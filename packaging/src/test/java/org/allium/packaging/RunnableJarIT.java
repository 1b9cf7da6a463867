package org.allium.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The shaded jar runs on its own: java -jar allium.jar … in a child JVM. */
class RunnableJarIT {

    /** Output and exit code of one child run. */
    record Run(int exit, String out, String err) {
    }

    static Run runJar(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-jar");
        cmd.add(System.getProperty("allium.jar"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("ALLIUM_PASSPHRASE");
        Process p = pb.start();
        p.getOutputStream().close();
        // Small outputs: reading one stream after the other cannot dead-lock here.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "allium exited");
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void versionRuns() throws Exception {
        Run r = runJar("--version");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("allium 0."), r.out());
    }

    @Test
    void noArgumentsWithoutDisplayPrintsTheCommandLineHelp() throws Exception {
        Run r = runJar();
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Usage: allium"), r.out());
    }

    @Test
    void anUnknownCommandIsAUsageError() throws Exception {
        Run r = runJar("no-such-command");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("no-such-command"), r.err());
    }
}
