package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * backup, restore and repair through the command line on the real store (no tor needed): a
 * damaged profile is refused with exit 14 and a message naming the file and the remedy,
 * repair brings it back, a backup restores into a new directory.
 */
class StoreCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void aDamagedProfileIsNamedRepairedAndRestoredFromABackup() throws Exception {
        Path dir = tmp.resolve("p");
        CliRunner c = new CliRunner(Engine.real()).env("ALLIUM_PASSPHRASE", "store test passphrase");
        CliRunner.Result r = c.run("--profile", dir.toString(), "init", "--nickname", "Alice");
        assertEquals(0, r.exit(), r.toString());
        Path backup = tmp.resolve("alice.backup");
        r = c.run("--profile", dir.toString(), "backup", backup.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("backed up to"), r.toString());

        Path log = dir.resolve("store.log");
        byte[] b = Files.readAllBytes(log);
        Files.write(log, Arrays.copyOf(b, b.length - 7));
        r = c.run("--profile", dir.toString(), "contacts");
        assertEquals(ExitCode.DAMAGED.code(), r.exit(), r.toString());
        assertTrue(r.err().contains("store.log is damaged") && r.err().contains("allium repair"), r.toString());

        r = c.run("--profile", dir.toString(), "repair");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("damaged: store.log") && r.out().contains("kept in"), r.toString());
        r = c.run("--profile", dir.toString(), "contacts");
        assertEquals(0, r.exit(), r.toString());
        r = c.run("--profile", dir.toString(), "repair");
        assertTrue(r.out().contains("nothing is damaged"), r.toString());

        Path restored = tmp.resolve("restored");
        r = c.run("restore", backup.toString(), restored.toString());
        assertEquals(0, r.exit(), r.toString());
        CliRunner.Result a = c.run("--profile", dir.toString(), "id");
        CliRunner.Result bb = c.run("--profile", restored.toString(), "id");
        assertEquals(0, bb.exit(), bb.toString());
        assertEquals(a.out(), bb.out(), "the same identity");

        byte[] k = Files.readAllBytes(backup);
        k[k.length / 2] ^= 1;
        Files.write(backup, k);
        r = c.run("restore", backup.toString(), tmp.resolve("again").toString());
        assertEquals(ExitCode.DAMAGED.code(), r.exit(), r.toString());
        assertTrue(r.err().contains("alice.backup is damaged"), r.toString());

        for (String cmd : new String[] {"backup", "restore", "repair"}) {
            r = c.run(cmd, "--help");
            assertEquals(0, r.exit(), cmd + ": " + r);
        }
    }
}
