package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileInUseException;
import org.allium.contacts.api.ProfileManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile lock holds across processes, and dies with its process. */
class ProcessLockTest {
    @TempDir
    Path tmp;

    private final ProfileManager manager = TestProfiles.manager(new TestProfiles.MutableClock());

    @Test
    void aProfileHeldByAnotherProcessIsRefusedAndNothingChanges() throws Exception {
        Path dir = tmp.resolve("p");
        TestProfiles.create(manager, dir).close();
        try (ChildJvm child = new ChildJvm(tmp, "hold", dir.toString(), new String(TestProfiles.PASSPHRASE))) {
            assertEquals("OPEN", child.nextLine(Duration.ofSeconds(120)));
            Map<String, String> before = TestProfiles.hashes(dir);
            ProfileInUseException e = assertThrows(ProfileInUseException.class,
                    () -> manager.open(dir, TestProfiles.PASSPHRASE));
            assertTrue(e.getMessage().contains("another Allium process"), e.getMessage());
            assertThrows(ProfileInUseException.class,
                    () -> manager.changePassphrase(dir, TestProfiles.PASSPHRASE, "x".toCharArray()));
            assertEquals(before, TestProfiles.hashes(dir));
            child.closeInput();
            assertEquals("CLOSED", child.nextLine(Duration.ofSeconds(120)));
            assertEquals(0, child.waitFor(Duration.ofSeconds(120)));
        }
        manager.open(dir, TestProfiles.PASSPHRASE).close();
    }

    @Test
    void anotherProcessIsRefusedWhileWeHoldIt_andTheLockDiesWithAKilledHolder() throws Exception {
        Path dir = tmp.resolve("p");
        try (Profile p = TestProfiles.create(manager, dir)) {
            try (ChildJvm child = new ChildJvm(tmp, "try", dir.toString(), new String(TestProfiles.PASSPHRASE))) {
                assertEquals("IN_USE", child.nextLine(Duration.ofSeconds(120)));
            }
        }
        try (ChildJvm holder = new ChildJvm(tmp, "hold", dir.toString(), new String(TestProfiles.PASSPHRASE))) {
            assertEquals("OPEN", holder.nextLine(Duration.ofSeconds(120)));
            holder.killAndCollect();
        }
        manager.open(dir, TestProfiles.PASSPHRASE).close();
    }
}
