package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.allium.contacts.api.DamagedProfileException;
import org.allium.contacts.api.KdfParams;
import org.allium.contacts.api.NoSuchProfileException;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileClosedException;
import org.allium.contacts.api.ProfileExistsException;
import org.allium.contacts.api.ProfileInUseException;
import org.allium.contacts.api.ProfileLocations;
import org.allium.contacts.api.ProfileManager;
import org.allium.contacts.api.StoreException;
import org.allium.contacts.api.WrongPassphraseException;
import org.allium.protocol.IdentityKeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileManagerTest {
    @TempDir
    Path tmp;

    private final ProfileManager manager = TestProfiles.manager(new TestProfiles.MutableClock());

    @Test
    void createThenOpenGivesTheSameIdentityAndNickname() throws Exception {
        Path dir = tmp.resolve("p");
        byte[] seed;
        try (Profile p = TestProfiles.create(manager, dir)) {
            seed = p.identity().seed();
            assertEquals(Optional.of("me"), p.nickname());
            assertTrue(manager.exists(dir));
        }
        try (Profile p = manager.open(dir, TestProfiles.PASSPHRASE)) {
            assertArrayEquals(seed, p.identity().seed());
            assertEquals(Optional.of("me"), p.nickname());
            p.setNickname(null);
            assertEquals(Optional.empty(), p.nickname());
        }
    }

    @Test
    void profileFilesAreTheHeaderTheLockTheStoreAndItsLogOnly() throws Exception {
        Path dir = tmp.resolve("p");
        TestProfiles.create(manager, dir).close();
        assertEquals(java.util.Set.of(ProfileHeader.FILE_NAME, ProfileLock.FILE_NAME, Database.FILE_NAME,
                CommitLog.FILE_NAME),
                TestProfiles.hashes(dir).keySet());
        assertEquals(ProfileHeader.LENGTH, Files.size(dir.resolve(ProfileHeader.FILE_NAME)));
        assertEquals(0, Files.size(dir.resolve(ProfileLock.FILE_NAME)));
    }

    @Test
    void wrongPassphraseIsRefusedAndLeavesEveryFileUnchanged() throws Exception {
        Path dir = tmp.resolve("p");
        try (Profile p = TestProfiles.create(manager, dir)) {
            p.settings().put("a", "b");
        }
        Map<String, String> before = TestProfiles.hashes(dir);
        assertThrows(WrongPassphraseException.class, () -> manager.open(dir, "wrong".toCharArray()));
        assertThrows(WrongPassphraseException.class, () -> manager.open(dir, "correct horse battery stapl".toCharArray()));
        assertEquals(before, TestProfiles.hashes(dir));
        // and the lock was released: the right passphrase still opens it
        manager.open(dir, TestProfiles.PASSPHRASE).close();
    }

    @Test
    void secondOpenInTheSameProcessIsRefused() throws Exception {
        Path dir = tmp.resolve("p");
        try (Profile p = TestProfiles.create(manager, dir)) {
            ProfileInUseException e = assertThrows(ProfileInUseException.class,
                    () -> manager.open(dir, TestProfiles.PASSPHRASE));
            assertTrue(e.getMessage().contains("already open"));
            assertTrue(p.isOpen());
            p.settings().put("still", "works");
        }
        manager.open(dir, TestProfiles.PASSPHRASE).close();
    }

    @Test
    void closedProfileRefusesWorkAndCloseIsIdempotent() throws Exception {
        Profile p = TestProfiles.create(manager, tmp.resolve("p"));
        p.lock();
        assertFalse(p.isOpen());
        p.close();
        assertThrows(ProfileClosedException.class, () -> p.settings().get("x"));
        assertThrows(ProfileClosedException.class, p::identity);
    }

    @Test
    void changePassphraseOnAnOpenProfile() throws Exception {
        Path dir = tmp.resolve("p");
        try (Profile p = TestProfiles.create(manager, dir)) {
            assertThrows(WrongPassphraseException.class,
                    () -> p.changePassphrase("nope".toCharArray(), "new one".toCharArray()));
            p.changePassphrase(TestProfiles.PASSPHRASE, "new one".toCharArray());
            p.settings().put("after", "change");
        }
        assertThrows(WrongPassphraseException.class, () -> manager.open(dir, TestProfiles.PASSPHRASE));
        try (Profile p = manager.open(dir, "new one".toCharArray())) {
            assertEquals(Optional.of("change"), p.settings().get("after"));
        }
        assertEquals(KdfParams.FAST_INSECURE_FOR_TESTS, ProfileHeader.read(dir).params());
    }

    @Test
    void realDefaultCostRoundTripAndRekeyNeverWeakens() throws Exception {
        ProfileManager real = ContactsModule.profileManager(Runnable::run, new TestProfiles.MutableClock(),
                TestProfiles.RANDOM);
        Path dir = tmp.resolve("p");
        real.create(dir, TestProfiles.PASSPHRASE, null).close();
        assertEquals(KdfParams.DEFAULT, ProfileHeader.read(dir).params());
        // a manager with a weaker default keeps the stronger cost when re-keying
        manager.changePassphrase(dir, TestProfiles.PASSPHRASE, "n".toCharArray());
        assertEquals(KdfParams.DEFAULT, ProfileHeader.read(dir).params());
        manager.open(dir, "n".toCharArray()).close();
    }

    @Test
    void changePassphraseOnAClosedProfile() throws Exception {
        Path dir = tmp.resolve("p");
        TestProfiles.create(manager, dir).close();
        assertThrows(WrongPassphraseException.class,
                () -> manager.changePassphrase(dir, "nope".toCharArray(), "x".toCharArray()));
        manager.changePassphrase(dir, TestProfiles.PASSPHRASE, "other".toCharArray());
        manager.open(dir, "other".toCharArray()).close();
        try (Profile p = manager.open(dir, "other".toCharArray())) {
            assertThrows(ProfileInUseException.class,
                    () -> manager.changePassphrase(dir, "other".toCharArray(), "x".toCharArray()));
        }
    }

    @Test
    void passphrasesAreCompared_afterUnicodeNormalization() throws Exception {
        Path dir = tmp.resolve("p");
        manager.create(dir, "caf\u00e9".toCharArray(), null, KdfParams.FAST_INSECURE_FOR_TESTS).close();
        manager.open(dir, "cafe\u0301".toCharArray()).close();
    }

    @Test
    void createRefusesANonEmptyDirectoryAndOpenRefusesAMissingProfile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(dir.resolve("something"), "x");
        assertThrows(ProfileExistsException.class, () -> TestProfiles.create(manager, dir));
        assertEquals("x", Files.readString(dir.resolve("something")));
        assertThrows(NoSuchProfileException.class, () -> manager.open(tmp.resolve("none"), TestProfiles.PASSPHRASE));
        assertThrows(IllegalArgumentException.class,
                () -> manager.create(tmp.resolve("q"), new char[0], null, KdfParams.FAST_INSECURE_FOR_TESTS));
        Path existing = tmp.resolve("e");
        TestProfiles.create(manager, existing).close();
        assertThrows(ProfileExistsException.class, () -> TestProfiles.create(manager, existing));
    }

    @Test
    void damagedHeaderSaysDamagedNotWrongPassphraseAndNothingChanges() throws Exception {
        Path dir = tmp.resolve("p");
        TestProfiles.create(manager, dir).close();
        Path header = dir.resolve(ProfileHeader.FILE_NAME);
        byte[] good = Files.readAllBytes(header);
        Map<String, String> before = TestProfiles.hashes(dir);
        // A flipped byte anywhere (salt, parameters, nonce, wrapped key, checksum): "damaged", never
        // "wrong passphrase" (which would send the user hunting for another passphrase).
        for (int at : new int[] {0, 9, 12, 25, 40, 60, 95, 100, 127}) {
            byte[] h = good.clone();
            h[at] ^= 1;
            Files.write(header, h);
            DamagedProfileException e = assertThrows(DamagedProfileException.class,
                    () -> manager.open(dir, TestProfiles.PASSPHRASE), "flip at " + at);
            assertEquals(ProfileHeader.FILE_NAME, e.file());
            assertTrue(e.getMessage().contains("restore"), e.getMessage());
        }
        Files.write(header, java.util.Arrays.copyOf(good, 64));
        assertThrows(DamagedProfileException.class, () -> manager.open(dir, TestProfiles.PASSPHRASE));
        Files.write(header, good);
        assertThrows(WrongPassphraseException.class, () -> manager.open(dir, "not it".toCharArray()));
        assertEquals(before, TestProfiles.hashes(dir), "no open modified any file");
    }

    @Test
    void defaultKdfIsMemoryHard() {
        assertTrue(KdfParams.DEFAULT.memoryKiB() >= 64 * 1024);
        assertThrows(IllegalArgumentException.class, () -> new KdfParams(KdfParams.MAX_MEMORY_KIB + 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new KdfParams(1024, 0, 1));
    }

    @Test
    void wipeOverwritesAndDeletesEverything() throws Exception {
        Path dir = tmp.resolve("p");
        Profile p = TestProfiles.create(manager, dir);
        p.settings().put("k", "v");
        p.wipe();
        assertFalse(Files.exists(dir));
        assertFalse(p.isOpen());
        Path other = tmp.resolve("q");
        TestProfiles.create(manager, other).close();
        manager.wipe(other);
        assertFalse(Files.exists(other));
        manager.wipe(tmp.resolve("never-existed")); // no-op
    }

    @Test
    void defaultDirectoryFollowsXdg() {
        Path home = Path.of("/home/u");
        assertEquals(Path.of("/data/allium/profiles/work"),
                ProfileLocations.defaultDirectory("work", Map.of("XDG_DATA_HOME", "/data"), home));
        assertEquals(Path.of("/home/u/.local/share/allium/profiles/default"),
                ProfileLocations.defaultDirectory("default", Map.of(), home));
        assertEquals(Path.of("/home/u/.local/share/allium/profiles/default"),
                ProfileLocations.defaultDirectory("default", Map.of("XDG_DATA_HOME", "relative"), home));
        assertThrows(IllegalArgumentException.class, () -> ProfileLocations.defaultDirectory("../x", Map.of(), home));
        assertThrows(IllegalArgumentException.class, () -> ProfileLocations.defaultDirectory("", Map.of(), home));
    }

    @Test
    void identityIsAValidKeyPair() throws Exception {
        try (Profile p = TestProfiles.create(manager, tmp.resolve("p"))) {
            IdentityKeyPair id = p.identity();
            byte[] sig = id.sign(new byte[] {1, 2, 3});
            assertTrue(id.address().verify(new byte[] {1, 2, 3}, sig));
        }
    }

    static void touch(Path p) throws IOException {
        Files.writeString(p, "");
    }
}
