package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup holds every table of the store — those of other modules too (files, groups, drop
 * line, client ids), whatever schema step added them — and a restore gives back the same rows
 * in each. (The data of file transfers under {@code files/} is not in the store: see
 * contacts/README.md.)
 */
class BackupCoverageTest {
    @TempDir
    Path tmp;

    @Test
    void aBackupHoldsEveryTableAndARestoreEveryRow() throws Exception {
        ProfileManager m = TestProfiles.manager(new TestProfiles.MutableClock());
        Path backup = tmp.resolve("b.backup");
        Map<String, Integer> written;
        Set<String> tables;
        try (Profile p = TestProfiles.create(m, tmp.resolve("p"))) {
            Contact c = p.contacts().addOutgoingRequest(TestProfiles.randomAddress(), "bob", null, null,
                    TestProfiles.ourKeys());
            ContactId bob = p.contacts().accept(c.id(), TestProfiles.theirKeys()).id();
            p.messages().enqueueOutgoing(bob, "plain");
            p.messages().enqueueOutgoing(bob, "with a client id", "job-1");
            p.settings().put("k", "v");
            tables = new TreeSet<>(tables(((ProfileImpl) p).database()));
            written = p.backup(backup);
        }
        // The store's own bookkeeping (its commit log's generations, schema steps, sync count)
        // belongs to one store file and is made afresh by a restore.
        tables.removeAll(Set.of("log_history", "schema_version", "store_state"));
        assertEquals(tables, written.keySet(), "every table of the store is in the backup");
        assertTrue(tables.containsAll(Set.of("client_ids", "drop_cases", "drop_items", "messages", "contacts")),
                tables.toString());
        assertEquals(1, written.get("client_ids"));
        m.restore(backup, tmp.resolve("r"), TestProfiles.PASSPHRASE);
        try (Profile r = m.open(tmp.resolve("r"), TestProfiles.PASSPHRASE)) {
            Map<String, Integer> again = r.backup(tmp.resolve("again.backup"));
            assertEquals(written, again, "the restored profile holds the same rows in every table");
        }
    }

    private static Set<String> tables(Database db) throws Exception {
        return db.transaction("listing tables", tx -> {
            PreparedStatement ps = tx.prepare("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE'");
            Set<String> out = new TreeSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1).toLowerCase(Locale.ROOT));
                }
            }
            return out;
        });
    }
}
