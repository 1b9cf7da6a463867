package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: a child JVM in a mount namespace of its own ({@code unshare}, as an
 * unprivileged user too) gets a 24 MB tmpfs, keeps its profile there and fills it
 * ({@link DiskFullChild}). Writes are refused with "disk full: N MB needed" and one event,
 * history still reads, writes resume by themselves when space returns — also after a write
 * failed inside H2 — nothing acknowledged is lost, and stderr holds no "rollback failed".
 */
class DiskFullTest {
    @TempDir
    Path tmp;

    @Test
    void aFullDiskRefusesWritesKeepsEverythingAndResumesByItself() throws Exception {
        NamespacedJvm.Result r = NamespacedJvm.run(tmp, "24m", DiskFullChild.class.getName());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("STEP resumed after H2 closed itself") && r.out().contains("\nOK "), r.toString());
        assertFalse(r.err().contains("rollback failed"), r.toString());
        assertTrue(r.err().split("disk is full", -1).length - 1 <= 2, "logged once per episode: " + r.err());
    }
}
