package org.allium.contacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.allium.contacts.api.GroupStore;
import org.allium.contacts.api.GroupStore.GroupMessageRow;
import org.allium.contacts.api.GroupStore.GroupRow;
import org.allium.contacts.api.GroupStore.GroupState;
import org.allium.contacts.api.GroupStore.NewGroupMessage;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupStoreTest {
    @TempDir
    Path tmp;

    private final ProfileManager manager = TestProfiles.manager(new TestProfiles.MutableClock());

    private static byte[] b(int n, int v) {
        byte[] x = new byte[n];
        java.util.Arrays.fill(x, (byte) v);
        return x;
    }

    @Test
    void messagesAreStoredOncePerAuthorAndSequenceInOrderAndSurviveReopening() throws Exception {
        byte[] g = b(16, 1);
        byte[] alice = b(32, 2);
        byte[] bob = b(32, 3);
        Path dir = tmp.resolve("p");
        try (Profile p = TestProfiles.create(manager, dir)) {
            GroupStore s = p.groups();
            assertTrue(s.addGroup(new GroupRow(g, GroupState.INVITED, null, b(40, 9), 0, 0)));
            assertFalse(s.addGroup(new GroupRow(g, GroupState.JOINED, null, null, 0, 0)), "already there");
            List<GroupMessageRow> first = s.append(g, List.of(new NewGroupMessage(alice, 1, b(16, 4), b(100, 5)),
                    new NewGroupMessage(alice, 2, b(16, 6), null)));
            assertEquals(2, first.size());
            assertTrue(first.get(1).hidden(), "a tombstone is hidden");
            List<GroupMessageRow> again = s.append(g, List.of(new NewGroupMessage(alice, 1, b(16, 4), b(100, 5)),
                    new NewGroupMessage(bob, 1, b(16, 7), b(10, 8))));
            assertEquals(1, again.size(), "the duplicate is skipped");
            assertTrue(again.get(0).pos() > first.get(1).pos());
            s.setState(g, GroupState.JOINED);
        }
        try (Profile p = manager.open(dir, TestProfiles.PASSPHRASE)) {
            GroupStore s = p.groups();
            GroupRow row = s.group(g).orElseThrow();
            assertEquals(GroupState.JOINED, row.state());
            assertEquals(40, row.invitation().length, "the invitation stays (it proves the creator)");
            List<GroupMessageRow> all = s.messages(g, 0, 100);
            assertEquals(3, all.size());
            assertArrayEquals(bob, all.get(2).author());
            assertEquals(2, s.latest(g, Long.MAX_VALUE, 2).size());
            assertEquals(1, s.hideAfter(g, alice, 0), "alice's seq 2 is already hidden");
            assertTrue(s.messages(g, 0, 100).get(0).hidden());
            s.deleteGroup(g);
            assertTrue(s.groups().isEmpty());
            assertTrue(s.messages(g, 0, 100).isEmpty());
        }
    }
}
