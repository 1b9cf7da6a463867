package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM queues and accepts messages, printing each id only after the store call
 * returned; it is killed with SIGKILL at a random moment, many times. After each kill the
 * store must open, and every acknowledged message must be there exactly once.
 */
class CrashConsistencyTest {
    private static final int ROUNDS = 20;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedMessageSurvivesSigkillExactlyOnce() throws Exception {
        ProfileManager manager = TestProfiles.manager(new TestProfiles.MutableClock());
        Path dir = tmp.resolve("p");
        ContactId bob;
        try (Profile p = TestProfiles.create(manager, dir)) {
            bob = TestProfiles.acceptedContact(p);
        }
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        Set<MessageId> ackedOut = new HashSet<>();
        Set<MessageId> ackedIn = new HashSet<>();
        int killedMidWrite = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = random.nextInt(60);
            List<String> lines;
            try (ChildJvm child = new ChildJvm(tmp, "write", dir.toString(), new String(TestProfiles.PASSPHRASE),
                    Long.toString(bob.value()), "round" + round)) {
                assertEquals("READY", child.nextLine(Duration.ofSeconds(120)), "seed " + seed);
                for (int i = 0; i < killAfter; i++) {
                    if (child.nextLine(Duration.ofSeconds(60)) == null) {
                        break;
                    }
                }
                lines = child.killAndCollect();
                assertEquals(137, child.process.exitValue(), "the child ended by itself before it was killed"
                        + " (round " + round + ", seed " + seed + "); its stderr:\n" + child.stderrTail());
                killedMidWrite++;
            }
            Set<MessageId> newIn = new HashSet<>();
            for (String l : lines) {
                if (l.startsWith("OUT ")) {
                    assertTrue(ackedOut.add(id(l)), "ids are fresh");
                } else if (l.startsWith("IN ")) {
                    assertTrue(ackedIn.add(id(l)), "ids are fresh");
                    newIn.add(id(l));
                }
            }
            verify(manager, dir, bob, ackedOut, ackedIn, newIn, "round " + round + ", seed " + seed);
        }
        assertEquals(ROUNDS, killedMidWrite, "every child died of SIGKILL");
        assertTrue(ackedOut.size() > ROUNDS, "the children did write: " + ackedOut.size());
    }

    private static void verify(ProfileManager manager, Path dir, ContactId bob, Set<MessageId> ackedOut,
            Set<MessageId> ackedIn, Set<MessageId> newIn, String context) throws Exception {
        try (Profile p = manager.open(dir, TestProfiles.PASSPHRASE)) {
            Database db = ((ProfileImpl) p).database();
            Map<MessageId, Integer> out = counts(db, bob, true);
            Map<MessageId, Integer> in = counts(db, bob, false);
            for (MessageId id : ackedOut) {
                assertEquals(1, out.getOrDefault(id, 0), "outgoing message lost, " + context);
            }
            for (MessageId id : ackedIn) {
                assertEquals(1, in.getOrDefault(id, 0), "incoming message lost, " + context);
            }
            assertTrue(out.values().stream().allMatch(n -> n == 1), "an outgoing message doubled, " + context);
            assertTrue(in.values().stream().allMatch(n -> n == 1), "an incoming message doubled, " + context);
            for (MessageId id : newIn) {
                assertFalse(p.messages().acceptIncoming(bob, id, 1, Instant.EPOCH, "again"),
                        "a resend after the crash is a duplicate, " + context);
            }
            // outgoing sequence numbers stay unique and gap-free across crashes
            List<Long> seqs = db.transaction("test", tx -> {
                var ps = tx.prepare("SELECT seq FROM messages WHERE contact_id = ? AND outgoing = TRUE ORDER BY seq");
                ps.setLong(1, bob.value());
                List<Long> list = new java.util.ArrayList<>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(rs.getLong(1));
                    }
                }
                return list;
            });
            for (int i = 0; i < seqs.size(); i++) {
                assertEquals(i + 1, seqs.get(i), "seq gap or duplicate, " + context);
            }
        }
    }

    private static Map<MessageId, Integer> counts(Database db, ContactId contact, boolean outgoing)
            throws Exception {
        return db.transaction("test", tx -> {
            var ps = tx.prepare("SELECT msg_id, COUNT(*) FROM messages WHERE contact_id = ? AND outgoing = ?"
                    + " GROUP BY msg_id");
            ps.setLong(1, contact.value());
            ps.setBoolean(2, outgoing);
            Map<MessageId, Integer> m = new HashMap<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.put(MessageId.fromBytes(rs.getBytes(1)), rs.getInt(2));
                }
            }
            return m;
        });
    }

    private static MessageId id(String line) {
        return MessageId.fromBytes(HexFormat.of().parseHex(line.substring(line.indexOf(' ') + 1)));
    }
}
