package org.allium.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on a profile on read-only media: a tmpfs in the child's own mount
 * namespace, remounted read-only ({@link ReadOnlyProfileChild}). {@code requests},
 * {@code history} and {@code id} work (no lock file to create); a change and {@code run} are
 * refused with exit 16 and a message that says why. (A read-only mount, not {@code chmod}:
 * the tests may run as root.)
 */
class ReadOnlyProfileTest {
    @TempDir
    Path tmp;

    @Test
    void readingCommandsWorkOnAReadOnlyProfileAndChangesAreRefused() throws Exception {
        String[] r = DiskFullDaemonTest.inNamespace(tmp, ReadOnlyProfileChild.class.getName());
        String all = "--- stdout\n" + r[1] + "\n--- stderr\n" + r[2];
        assertEquals("0", r[0], all);
        assertTrue(r[1].contains("OK"), all);
    }
}
