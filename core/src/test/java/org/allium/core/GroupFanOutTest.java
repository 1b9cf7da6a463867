package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.allium.core.api.ContactId;
import org.allium.core.groups.GroupEvent;
import org.allium.core.groups.GroupId;
import org.allium.core.groups.GroupMember;
import org.allium.core.groups.GroupPost;
import org.allium.core.groups.GroupsImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live fan-out (issue 16's figure goal): once members are in sync, a new group message
 * goes to every connected member straight from memory — no store read per member and
 * message — in order and exactly once, and nobody sends a message back to the member it came
 * from. On the real engine over the {@link FakeOnionNetwork}.
 */
class GroupFanOutTest {
    private static final Duration LONG = FakeNode.LONG;
    private static final int MEMBERS = 5;

    static {
        TestLogs.install();
    }

    @TempDir
    Path tmp;
    @RegisterExtension
    final FakeNodes fake = new FakeNodes();
    private final Map<String, List<GroupPost>> posted = new ConcurrentHashMap<>();

    private FakeNode node(String name) throws Exception {
        FakeNode n = fake.start(name, tmp);
        List<GroupPost> p = posted.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>());
        n.messenger.groups().subscribe(e -> {
            if (e instanceof GroupEvent.Posted x) {
                p.add(x.post());
            }
        });
        return n;
    }

    private static GroupsImpl g(FakeNode n) {
        return (GroupsImpl) n.messenger.groups();
    }

    @Test
    void newPostsGoToEveryMemberFromMemoryInOrderOnceAndNeverBack() throws Exception {
        FakeNode a = node("a");
        List<FakeNode> members = new ArrayList<>();
        List<ContactId> ids = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            FakeNode m = node("m" + i);
            members.add(m);
            ids.add(connect(a, m));
        }
        GroupId id = g(a).create("fan-out");
        for (ContactId c : ids) {
            g(a).invite(id, c);
        }
        for (FakeNode m : members) {
            await(() -> g(m).list().stream().anyMatch(x -> x.id().equals(id)), "invitation at " + m.name);
            g(m).accept(id);
        }
        await(() -> g(a).members(id).stream().filter(GroupMember::joined).count() == MEMBERS + 1, "all joined");
        // Settled: every member holds all the creator holds (every ADD and JOIN) and a first post.
        g(a).send(id, "settle");
        Set<String> atA = new HashSet<>();
        g(a).history(id, 1000).forEach(p -> atA.add(p.id()));
        for (FakeNode m : members) {
            await(() -> has(m, atA), "settled at " + m.name);
        }

        GroupsImpl.Sends before = g(a).sends();
        Map<String, GroupsImpl.Sends> memberBefore = new HashMap<>();
        for (FakeNode m : members) {
            memberBefore.put(m.name, g(m).sends());
        }
        int posts = 30;
        int relayed = 5;
        Set<String> all = new HashSet<>();
        for (int i = 0; i < posts; i++) {
            all.add(g(a).send(id, "from a " + i).id());
        }
        FakeNode one = members.get(0);
        for (int i = 0; i < relayed; i++) {
            all.add(g(one).send(id, "from m0 " + i).id());
        }
        for (FakeNode n : fake.nodes()) {
            await(() -> has(n, all), "every post at " + n.name);
        }
        GroupsImpl.Sends after = g(a).sends();
        long expected = (long) posts * MEMBERS + (long) relayed * (MEMBERS - 1);
        // Each post once to each other member (the one relayed: to all but its author) ...
        assertEquals(expected, (after.live() + after.fromStore()) - (before.live() + before.fromStore()),
                "each sent once to each member that lacked it: " + before + " -> " + after);
        // ... from memory. A post can still be read back when a member's receipt asks for it in
        // the instant between its store write and its push (the pump then finds it first); that
        // is rare, never one read per member and post.
        assertTrue(after.live() - before.live() >= expected * 3 / 4,
                "the creator sent new posts from memory: " + before + " -> " + after);
        assertTrue(after.storeReads() - before.storeReads() < posts,
                "fewer store reads than posts, not one per member and post: " + before + " -> " + after);
        for (FakeNode m : members) {
            GroupsImpl.Sends b = memberBefore.get(m.name);
            GroupsImpl.Sends s = g(m).sends();
            long own = m == one ? relayed : 0;
            assertEquals(own, (s.live() + s.fromStore()) - (b.live() + b.fromStore()),
                    m.name + " sent only its own posts, nothing back to the creator: " + b + " -> " + s);
        }
        // Exactly once and in each author's order at every node.
        for (FakeNode n : fake.nodes()) {
            Set<String> seen = new HashSet<>();
            Map<String, Long> lastSeq = new HashMap<>();
            for (GroupPost p : posted.get(n.name)) {
                assertTrue(seen.add(p.id()), "twice at " + n.name + ": " + p);
                Long prev = lastSeq.put(p.author(), p.seq());
                assertTrue(prev == null || prev < p.seq(), "out of order at " + n.name + ": " + p);
            }
        }
    }

    private boolean has(FakeNode n, Set<String> ids) {
        Set<String> have = new HashSet<>();
        for (GroupPost p : posted.get(n.name)) {
            have.add(p.id());
        }
        return have.containsAll(ids);
    }

    /** Two accepted contacts, both online. Returns B's id at A. */
    private static ContactId connect(FakeNode a, FakeNode b) throws Exception {
        return GroupTestKit.connect(a, b)[0];
    }

    private static void await(GroupTestKit.Check condition, String what) throws InterruptedException {
        GroupTestKit.await(condition, what, LONG);
    }
}
