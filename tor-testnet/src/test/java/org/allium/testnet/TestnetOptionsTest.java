package org.allium.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestnetOptionsTest {
    @TempDir
    Path tmp;

    private Path executable(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        Path p = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void missingTorSaysHowToInstallIt() {
        TestnetException e = assertThrows(TestnetException.class,
                () -> TestnetOptions.find(Map.of("PATH", tmp.toString())));
        assertTrue(e.getMessage().contains("tor is not installed"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install tor"), e.getMessage());
    }

    @Test
    void aNonExecutableAlliumTorIsNamed() {
        TestnetException e = assertThrows(TestnetException.class,
                () -> TestnetOptions.find(Map.of("ALLIUM_TOR", tmp.resolve("nope").toString(), "PATH", "")));
        assertTrue(e.getMessage().contains("ALLIUM_TOR"), e.getMessage());
    }

    @Test
    void missingTorGencertSaysHowToInstallIt() throws Exception {
        executable(tmp.resolve("bin"), "tor");
        TestnetException e = assertThrows(TestnetException.class,
                () -> TestnetOptions.find(Map.of("PATH", tmp.resolve("bin").toString())));
        assertTrue(e.getMessage().contains("tor-gencert"), e.getMessage());
    }

    @Test
    void findsTorOnPathAndGencertBesideIt() throws Exception {
        Path tor = executable(tmp.resolve("a"), "tor");
        Path gencert = executable(tmp.resolve("a"), "tor-gencert");
        executable(tmp.resolve("b"), "tor-gencert");
        TestnetOptions o = TestnetOptions.find(Map.of("PATH", tmp.resolve("empty") + ":" + tmp.resolve("a") + ":" + tmp.resolve("b")));
        assertEquals(tor, o.tor());
        assertEquals(gencert, o.torGencert());
        assertEquals(Duration.ofMinutes(5), o.startTimeout());
    }

    @Test
    void alliumTorWinsAndGencertFallsBackToPath() throws Exception {
        Path tor = executable(tmp.resolve("custom"), "tor");
        Path gencert = executable(tmp.resolve("bin"), "tor-gencert");
        executable(tmp.resolve("bin"), "tor");
        TestnetOptions o = TestnetOptions.find(Map.of("ALLIUM_TOR", tor.toString(), "PATH", tmp.resolve("bin").toString()));
        assertEquals(tor, o.tor());
        assertEquals(gencert, o.torGencert());
    }

    @Test
    void rejectsANonPositiveTimeout() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new TestnetOptions(tmp, tmp, Duration.ZERO));
        assertEquals(Duration.ofSeconds(7), new TestnetOptions(tmp, tmp, Duration.ofMinutes(1))
                .withStartTimeout(Duration.ofSeconds(7)).startTimeout());
    }
}
