package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.allium.contacts.api.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
    @TempDir
    Path tmp;

    private final ProfileManager manager = TestProfiles.manager(new TestProfiles.MutableClock());

    @Test
    void stepsAreOrderedAndEveryVersionIsRecorded() throws Exception {
        for (int i = 0; i < Schema.STEPS.size(); i++) {
            assertEquals(i + 1, Schema.STEPS.get(i).version());
        }
        try (Profile p = TestProfiles.create(manager, tmp.resolve("p"))) {
            assertEquals(java.util.stream.IntStream.rangeClosed(1, Schema.LATEST).boxed().toList(), versions(p));
            assertEquals(Schema.LATEST, ((ProfileImpl) p).database().migrate(), "nothing left to apply");
        }
    }

    @Test
    void anInterruptedStepRunsAgainBecauseStepsAreIdempotent() throws Exception {
        Path dir = tmp.resolve("p");
        try (Profile p = TestProfiles.create(manager, dir)) {
            p.settings().put("k", "v");
            // as if the process died after the DDL (auto-committed) but before the version row
            ((ProfileImpl) p).database().transaction("test", tx -> tx.prepare("DELETE FROM schema_version").executeUpdate());
        }
        try (Profile p = manager.open(dir, TestProfiles.PASSPHRASE)) {
            assertEquals(java.util.stream.IntStream.rangeClosed(1, Schema.LATEST).boxed().toList(), versions(p));
            assertEquals(Optional.of("v"), p.settings().get("k"), "data kept");
        }
    }

    /**
     * H2 copies a table to add a column, and a row MAC trigger carried over keeps the copy's
     * name until the database is reopened; rows written in the session that migrated (the one
     * that created or restored the profile) then failed their check at the next open. Every
     * table a later step altered (drop_cases, drop_items) gets a row here, in that session.
     */
    @Test
    void rowsWrittenInTheSessionThatMigratedPassTheirCheckAtTheNextOpen() throws Exception {
        Path dir = tmp.resolve("p");
        byte[] source = new byte[32];
        java.util.Arrays.fill(source, (byte) 7);
        long caseId;
        try (Profile p = TestProfiles.create(manager, dir)) {
            caseId = p.drops().submit(source, "a b 12", org.allium.contacts.api.MessageId.random(TestProfiles.RANDOM),
                    java.time.Instant.now(), "memo", org.allium.contacts.api.DropStore.Quotas.DEFAULT).caseId();
        }
        try (Profile p = manager.open(dir, TestProfiles.PASSPHRASE)) {
            assertEquals(caseId, p.drops().cases().get(0).id());
        }
    }

    @Test
    void aStoreFromANewerVersionIsRefused() throws Exception {
        Path dir = tmp.resolve("p");
        try (Profile p = TestProfiles.create(manager, dir)) {
            ((ProfileImpl) p).database().transaction("test",
                    tx -> tx.prepare("INSERT INTO schema_version VALUES (" + (Schema.LATEST + 1) + ", 0)").executeUpdate());
        }
        StoreException e = assertThrows(StoreException.class, () -> manager.open(dir, TestProfiles.PASSPHRASE));
        assertTrue(e.getMessage().contains("newer version"), e.getMessage());
        // the lock was released: the second attempt fails the same way, not as "in use"
        StoreException again = assertThrows(StoreException.class, () -> manager.open(dir, TestProfiles.PASSPHRASE));
        assertTrue(again.getMessage().contains("newer version"), again.getMessage());
    }

    private static List<Integer> versions(Profile p) throws Exception {
        return ((ProfileImpl) p).database().transaction("test", tx -> {
            List<Integer> v = new java.util.ArrayList<>();
            try (var rs = tx.prepare("SELECT version FROM schema_version ORDER BY version").executeQuery()) {
                while (rs.next()) {
                    v.add(rs.getInt(1));
                }
            }
            return v;
        });
    }
}
