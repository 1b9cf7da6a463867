package org.allium.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.atomic.AtomicInteger;
import org.allium.protocol.proto.Envelope;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer fuzz targets for the private-group messages (PROTOCOL.md §12): whatever a peer
 * sends as a GroupMessage, GroupInvitation or GroupSummary is either rejected with a
 * {@link FormatException} or is within every limit, re-encodes to itself, and (for a
 * GroupMessage) verifies or not without throwing. The normal test run replays the committed
 * corpus (src/test/resources/org/allium/protocol/GroupFuzzTestInputs/&lt;method&gt;/);
 * with JAZZER_FUZZ=1 they fuzz.
 */
class GroupFuzzTest {
    static final AtomicInteger EXECUTIONS = new AtomicInteger();

    @AfterAll
    static void corpusWasReplayed() {
        assertTrue(EXECUTIONS.get() >= 9, "fuzz tests executed only " + EXECUTIONS.get() + " inputs");
    }

    /** The bytes as the body of an Envelope field {@code field} (a tag and a length in front). */
    private static byte[] asField(int field, byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int tag = field << 3 | 2;
        writeVarint(out, tag);
        writeVarint(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void writeVarint(java.io.ByteArrayOutputStream out, int v) {
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static Envelope parse(int field, byte[] data) {
        byte[] env = asField(field, data);
        try {
            Envelope e = Envelopes.parse(env, 0, env.length);
            byte[] again = e.toByteArray();
            assertEquals(e, Envelopes.parse(again, 0, again.length)); // what we accept, we can send
            return e;
        } catch (FormatException expected) {
            return null;
        }
    }

    @FuzzTest
    void groupMessage(byte[] data) {
        EXECUTIONS.incrementAndGet();
        Envelope e = parse(49, data);
        if (e != null && e.hasGroupMessage()) {
            GroupMessages.verify(e.getGroupMessage());
            assertEquals(16, GroupMessages.messageId(e.getGroupMessage()).length);
        }
    }

    @FuzzTest
    void groupInvitation(byte[] data) {
        EXECUTIONS.incrementAndGet();
        Envelope e = parse(48, data);
        if (e != null && e.hasGroupInvitation()) {
            GroupMessages.verify(e.getGroupInvitation().getCreate());
            GroupMessages.verify(e.getGroupInvitation().getAdd());
        }
    }

    @FuzzTest
    void groupSummary(byte[] data) {
        EXECUTIONS.incrementAndGet();
        Envelope e = parse(50, data);
        if (e != null && e.hasGroupSummary()) {
            assertTrue(e.getGroupSummary().getHeadsCount() <= GroupMessages.MAX_HEADS);
        }
    }
}
