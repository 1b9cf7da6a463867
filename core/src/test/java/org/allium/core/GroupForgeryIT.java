package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.allium.contacts.api.GroupStore.GroupMessageRow;
import org.allium.core.api.ContactId;
import org.allium.core.groups.Group;
import org.allium.core.groups.GroupEvent;
import org.allium.core.groups.GroupId;
import org.allium.core.groups.GroupMember;
import org.allium.core.groups.GroupPost;
import org.allium.core.groups.Groups;
import org.allium.protocol.GroupMessages;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.GroupAction;
import org.allium.protocol.proto.GroupMessage;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile group member on the private Tor network (issue 16, PROTOCOL.md §12.3): H is a real
 * member and a real contact of A, whose client is modified — it writes raw group frames on its
 * authenticated contact session with A ({@link TapWire}). It pushes a post of B's signed with
 * its own key, a post of its own with a broken signature, a post by a key that is no member
 * (validly signed by that key), membership changes of its own although it is no admin, a post
 * of E's dated after A removed E, and replays of messages A holds. A drops and counts each
 * invalid one, stores and shows none, counts none as unread, and B (a member reached only
 * through A) never gets any; honest posts of H and B before and after arrive exactly once, so
 * the session with H was not torn down. Then H floods valid posts of its own: A and B store its
 * burst plus the rate of the (small) group limits, and B's next post still reaches everyone.
 */
@ExtendWith(TestnetExtension.class)
class GroupForgeryIT {
    private static final Duration LONG = Node.LONG;
    private static final SecureRandom RND = new SecureRandom();
    /** Small group limits (an author's 20 fresh messages at once, then one a second) for the flood. */
    private static final int BURST = 20;
    private static final Timings LIMITED = Timings.testnet().withGroupLimits(new org.allium.core.groups.GroupLimits
            .Config(BURST, 60, 200, 6000, 1000, 60_000, Duration.ofMinutes(10)));

    static {
        TestLogs.install();
    }

    private final Map<String, List<GroupPost>> posted = new ConcurrentHashMap<>();

    @Test
    void forgedNonMemberNonAdminAndRemovedMembersMessagesFromAHostileMemberAreDroppedEverywhere(Testnet testnet,
            @TempDir Path tmp) throws Exception {
        try (SharedTor tor = new SharedTor(tmp.resolve("tor"), testnet.clientTorrcLines());
             Node a = new Node("ann", tmp, tor, LIMITED);
             Node b = new Node("ben", tmp, tor, LIMITED);
             Node h = new Node("hal", tmp, tor, LIMITED);
             Node e = new Node("eve", tmp, tor, LIMITED)) {
            TapWire hostile = h.tap();
            for (Node n : List.of(a, b, h, e)) {
                start(n);
            }
            // A knows everyone; nobody else knows anyone: B hears of H's doings only through A.
            Map<Node, ContactId> atA = new HashMap<>();
            for (Node n : List.of(b, h, e)) {
                atA.put(n, MessengerIT.connect(a, n)[0]);
            }
            GroupId id = g(a).create("Forge test");
            for (Node n : List.of(b, h, e)) {
                g(a).invite(id, atA.get(n));
            }
            for (Node n : List.of(b, h, e)) {
                await(() -> g(n).list().stream().anyMatch(x -> x.id().equals(id)), "invitation at " + n.name);
                g(n).accept(id);
            }
            await(() -> joined(a, id) == 4 && joined(b, id) == 4 && joined(h, id) == 4, "four joined members");

            // E writes once, then A removes it (E away, so it cannot be told and stop).
            GroupPost eBefore = g(e).send(id, "eve before removal");
            awaitPosts(List.of(a, b, h), id, Set.of(eBefore.id()));
            IdentityKeyPair eKey = ((ProfileImpl) e.profile).identityKey();
            String eAddress = e.address();
            e.stop();
            g(a).remove(id, eAddress);
            for (Node n : List.of(a, b, h)) {
                await(() -> g(n).members(id).stream().noneMatch(m -> m.address().equals(eAddress)),
                        n.name + " learns of E's removal");
            }

            // Honest posts before.
            GroupPost hBefore = g(h).send(id, "hal before");
            GroupPost bBefore = g(b).send(id, "ben before");
            awaitPosts(List.of(a, b, h), id, Set.of(hBefore.id(), bBefore.id()));
            g(a).markRead(id);
            g(b).markRead(id);
            long droppedA = g(a).dropped();
            long droppedB = g(b).dropped();

            // What H pushes to A. The ids of the chains as A holds them: JOINs and the posts above.
            IdentityKeyPair hKey = ((ProfileImpl) h.profile).identityKey();
            IdentityKeyPair stranger = IdentityKeyPair.generate(RND);
            byte[] gidBytes = HexFormat.of().parseHex(id.hex());
            ByteString gid = ByteString.copyFrom(gidBytes);
            ByteString bKey = key(b);
            long now = System.currentTimeMillis();
            List<GroupMessage> invalid = new ArrayList<>();
            // B's next post, signed by H.
            GroupMessage asB = unsigned(gid, bKey, 3, now, GroupAction.POST, "ben says: forged", ByteString.EMPTY, 0);
            invalid.add(asB.toBuilder().setSignature(ByteString.copyFrom(hKey.sign(GroupMessages.signedBytes(asB))))
                    .build());
            // H's own next post, its signature broken.
            GroupMessage own = sign(unsigned(gid, key(h), 3, now, GroupAction.POST, "hal, bit flipped",
                    ByteString.EMPTY, 0), hKey);
            byte[] sig = own.getSignature().toByteArray();
            sig[7] ^= 0x10;
            invalid.add(own.toBuilder().setSignature(ByteString.copyFrom(sig)).build());
            // A key that is no member, validly signed by it.
            invalid.add(sign(unsigned(gid, ByteString.copyFrom(stranger.publicKey()), 1, now, GroupAction.POST,
                    "stranger post", ByteString.EMPTY, 0), stranger));
            // Membership changes by H, no admin: remove B, add the stranger, rename the group.
            invalid.add(sign(unsigned(gid, key(h), 3, now, GroupAction.REMOVE, "", bKey, 2), hKey));
            invalid.add(sign(unsigned(gid, key(h), 3, now, GroupAction.ADD, "",
                    ByteString.copyFrom(stranger.publicKey()), 0), hKey));
            invalid.add(sign(unsigned(gid, key(h), 3, now, GroupAction.RENAME, "Hijacked", ByteString.EMPTY, 0),
                    hKey));
            // E's next post (E wrote its JOIN and one post), dated after its removal, validly signed by E.
            invalid.add(sign(unsigned(gid, ByteString.copyFrom(eKey.publicKey()), 3, now, GroupAction.POST,
                    "eve after removal", ByteString.EMPTY, 0), eKey));
            // Replays of what A holds: every message H holds of the group (the CREATE, ADDs, JOINs, posts).
            List<GroupMessage> replays = new ArrayList<>();
            for (GroupMessageRow r : ((ProfileImpl) h.profile).store().groups().messages(gidBytes, 0, 1000)) {
                if (r.raw() != null) {
                    replays.add(GroupMessage.parseFrom(r.raw()));
                }
            }
            assertTrue(replays.size() >= 9, "H holds the group's history: " + replays.size());
            Set<String> forged = new HashSet<>();
            for (GroupMessage m : invalid) {
                forged.add(HexFormat.of().formatHex(GroupMessages.messageId(m)));
            }
            for (GroupMessage m : invalid) {
                push(hostile, a, m);
            }
            for (GroupMessage m : replays) {
                push(hostile, a, m);
            }
            for (GroupMessage m : invalid) {
                push(hostile, a, m); // the same forgeries again: dropped again, still never stored
            }
            await(() -> g(a).dropped() - droppedA >= 2L * invalid.size(), "A drops the forgeries");

            // Honest posts after, on the same sessions.
            GroupPost hAfter = g(h).send(id, "hal after");
            GroupPost bAfter = g(b).send(id, "ben after");
            awaitPosts(List.of(a, b, h), id, Set.of(hAfter.id(), bAfter.id()));

            assertEquals(2L * invalid.size(), g(a).dropped() - droppedA, "each invalid message counted once per push");
            assertEquals(0, g(b).dropped() - droppedB, "B was sent nothing invalid");
            for (Node n : List.of(a, b)) {
                Set<String> shown = ids(g(n).history(id, 1000));
                Set<String> told = seen(n, id);
                for (String f : forged) {
                    assertFalse(shown.contains(f), "a forgery stored at " + n.name);
                    assertFalse(told.contains(f), "a forgery announced at " + n.name);
                }
                List<String> members = g(n).members(id).stream().map(GroupMember::address).toList();
                assertTrue(members.contains(b.address()), "H's REMOVE of B took at " + n.name);
                assertFalse(members.contains(stranger.address().serviceId()), "H's ADD took at " + n.name);
                assertFalse(members.contains(eAddress), "E is a member again at " + n.name);
                assertEquals("Forge test", g(n).get(id).name(), "H's RENAME took at " + n.name);
            }
            assertEquals(2, g(a).get(id).unread(), "A's unread: H's and B's posts after");
            assertEquals(1, g(b).get(id).unread(), "B's unread: H's post after");
            assertExactlyOnce(List.of(a, b, h), id);
            for (Node n : List.of(a, b, h)) {
                assertTrue(seen(n, id).containsAll(Set.of(eBefore.id(), hBefore.id(), bBefore.id(), hAfter.id(),
                        bAfter.id())), "honest posts at " + n.name);
            }

            // Then H floods: 300 fresh posts of its own, validly signed, its next sequences (4 on: its
            // JOIN and two posts above took 3 of H's author tokens at each member, refilled at one a
            // second since — maybe not at all on a fast machine). A stores what is left of H's burst
            // plus one a second; B gets no more through A; B's next post still reaches everyone.
            long t0 = System.nanoTime();
            long at = System.currentTimeMillis();
            for (int i = 0; i < 300; i++) {
                push(hostile, a, sign(unsigned(gid, key(h), 4 + i, at + i, GroupAction.POST, "flood " + i,
                        ByteString.EMPTY, 0), hKey));
            }
            await(() -> ((org.allium.core.groups.GroupsImpl) g(a)).limited() > 0, "A refuses some of the flood");
            GroupPost bLast = g(b).send(id, "ben after the flood");
            awaitPosts(List.of(a, b, h), id, Set.of(bLast.id()));
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long bound = (long) (BURST + elapsed) + 1;
            for (Node n : List.of(a, b)) {
                long stored = g(n).history(id, 1000).stream().filter(p -> p.text().startsWith("flood ")).count();
                assertTrue(stored >= BURST - 3 && stored <= bound,
                        "H's flood stored at " + n.name + ": " + stored + " (bound " + bound + ")");
            }
            assertExactlyOnce(List.of(a, b, h), id);

            List<String> leaks = TestLogs.leaks(List.of("Forge test", "Hijacked", "forged", "bit flipped",
                    "stranger post", "eve after", "hal before", "ben after", a.address(), b.address(), h.address(),
                    eAddress));
            assertTrue(leaks.isEmpty(), "logs leak: " + leaks);
        }
    }

    // ---- helpers ----

    private static GroupMessage unsigned(ByteString gid, ByteString author, long seq, long at, GroupAction action,
                                         String text, ByteString subject, long subjectSeq) {
        return GroupMessage.newBuilder().setGroupId(gid).setAuthor(author).setSequence(seq).setComposedAtMs(at)
                .setAction(action).setText(text).setSubject(subject).setSubjectSeq(subjectSeq).build();
    }

    private static GroupMessage sign(GroupMessage m, IdentityKeyPair key) {
        return GroupMessages.sign(m, key);
    }

    private static ByteString key(Node n) {
        return ByteString.copyFrom(((ProfileImpl) n.profile).identityKey().publicKey());
    }

    private static void push(TapWire from, Node to, GroupMessage m) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!from.send(to.address(), Envelope.newBuilder().setGroupMessage(m).build())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no session to " + to.name);
            }
            Thread.sleep(100);
        }
    }

    private void start(Node n) throws Exception {
        n.start();
        List<GroupPost> p = posted.computeIfAbsent(n.name, k -> new CopyOnWriteArrayList<>());
        n.messenger.groups().subscribe(ev -> {
            if (ev instanceof GroupEvent.Posted x) {
                p.add(x.post());
            }
        });
    }

    private static Groups g(Node n) {
        return n.messenger.groups();
    }

    private Set<String> seen(Node n, GroupId id) {
        return GroupTestKit.seen(posted.get(n.name), id);
    }

    private void awaitPosts(List<Node> ns, GroupId id, Set<String> want) throws InterruptedException {
        for (Node n : ns) {
            await(() -> seen(n, id).containsAll(want), want.size() + " posts at " + n.name);
        }
    }

    private void assertExactlyOnce(List<Node> ns, GroupId id) {
        for (Node n : ns) {
            GroupTestKit.assertToldOnce(n.name, posted.get(n.name), id);
        }
    }

    private static long joined(Node n, GroupId id) throws Exception {
        return g(n).members(id).stream().filter(GroupMember::joined).count();
    }

    private static Set<String> ids(List<GroupPost> posts) {
        Set<String> out = new HashSet<>();
        posts.forEach(p -> out.add(p.id()));
        return out;
    }

    private static void await(GroupTestKit.Check condition, String what) throws InterruptedException {
        GroupTestKit.await(condition, what, LONG);
    }
}
