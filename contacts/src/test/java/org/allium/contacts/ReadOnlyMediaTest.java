package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A profile on read-only media, for real: a tmpfs in a mount namespace of the child's own,
 * remounted read-only after the profile was written ({@link ReadOnlyChild}). It opens without
 * a writable lock file, history and contacts read, a change is refused with a clear
 * {@code ReadOnlyProfileException}, and no file changes. (A read-only mount rather than
 * {@code chmod -w}: these tests may run as root, who writes through file modes.)
 */
class ReadOnlyMediaTest {
    @TempDir
    Path tmp;

    @Test
    void aProfileOnReadOnlyMediaReadsAndRefusesChanges() throws Exception {
        NamespacedJvm.Result r = NamespacedJvm.run(tmp, "16m", ReadOnlyChild.class.getName());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("OK"), r.toString());
    }
}
