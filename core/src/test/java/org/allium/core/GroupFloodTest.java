package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.allium.core.api.ContactId;
import org.allium.core.groups.GroupEvent;
import org.allium.core.groups.GroupId;
import org.allium.core.groups.GroupLimits;
import org.allium.core.groups.GroupMember;
import org.allium.core.groups.GroupPost;
import org.allium.core.groups.Groups;
import org.allium.core.groups.GroupsImpl;
import org.allium.protocol.GroupMessages;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.proto.Envelope;
import org.allium.protocol.proto.GroupAction;
import org.allium.protocol.proto.GroupMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group rate limits (PROTOCOL.md §12.4, {@link GroupLimits}) on the real engine over the
 * {@link FakeOnionNetwork}, with small limits: an author's 20 fresh messages at once, then one a
 * second. A hostile member pushing far more over its session gets about that far at every
 * member while another member's posts go through; an honest author's burst just over the limit
 * arrives complete, in order and once, a few seconds later (the refusing member asks for it
 * again with a {@code resend} summary).
 */
class GroupFloodTest {
    private static final Duration LONG = FakeNode.LONG;
    private static final int BURST = 20;
    private static final double PER_SECOND = 1;
    private static final Timings LIMITED = FakeNode.TIMINGS.withGroupLimits(new GroupLimits.Config(BURST,
            PER_SECOND * 60, 200, 6000, 1000, 60_000, Duration.ofMinutes(10)));

    static {
        TestLogs.install();
    }

    @TempDir
    Path tmp;
    @RegisterExtension
    final FakeNodes fake = new FakeNodes();
    private final Map<String, List<GroupPost>> posted = new ConcurrentHashMap<>();

    @Test
    void aHostileMembersFloodIsCappedAtEveryMemberWhileAnotherMembersPostsGoThrough() throws Exception {
        FakeNode a = node("a", false);
        FakeNode b = node("b", false);
        FakeNode h = node("h", true);
        GroupId id = group(a, List.of(b, h));
        g(a).markRead(id);

        // H's modified client pushes 500 fresh posts of its own (validly signed, its next
        // sequences after its JOIN) to A at once, while B writes.
        IdentityKeyPair hKey = ((ProfileImpl) h.profile).identityKey();
        ByteString gid = ByteString.copyFrom(HexFormat.of().parseHex(id.hex()));
        long now = System.currentTimeMillis();
        long t0 = System.nanoTime();
        for (int i = 0; i < 500; i++) {
            GroupMessage m = GroupMessages.sign(GroupMessage.newBuilder().setGroupId(gid)
                    .setAuthor(ByteString.copyFrom(hKey.publicKey())).setSequence(2 + i).setComposedAtMs(now + i)
                    .setAction(GroupAction.POST).setText("flood " + i).build(), hKey);
            assertTrue(h.tap.send(a.address(), Envelope.newBuilder().setGroupMessage(m).build()), "no session to A");
        }
        Set<String> fromB = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            fromB.add(g(b).send(id, "during the flood " + i).id());
        }
        awaitPosts(a, id, fromB);
        awaitPosts(h, id, fromB);
        await(() -> limited(a) > 0, "A refuses some of the flood");
        Thread.sleep(1000); // what A re-asks H for after a refusal must not get more through than the rate
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long bound = (long) (BURST + PER_SECOND * elapsed) + 1;
        for (FakeNode n : List.of(a, b)) {
            long stored = g(n).history(id, 5000).stream().filter(p -> p.text().startsWith("flood ")).count();
            assertTrue(stored >= BURST - 1 && stored <= bound,
                    "H's flood stored at " + n.name + ": " + stored + " (burst " + BURST + ", bound " + bound + ")");
        }
        long floodAtA = g(a).history(id, 5000).stream().filter(p -> p.text().startsWith("flood ")).count();
        assertEquals(floodAtA + fromB.size(), g(a).get(id).unread(), "A's unread: what it stored, nothing refused");
        assertExactlyOnce(List.of(a, b), id);
    }

    @Test
    void anHonestBurstJustOverTheAuthorsLimitArrivesCompleteInOrderAndOnceLater() throws Exception {
        FakeNode a = node("a", false);
        FakeNode b = node("b", false);
        FakeNode c = node("c", false);
        GroupId id = group(a, List.of(b, c));
        List<String> burst = new ArrayList<>();
        for (int i = 0; i < BURST + 5; i++) {
            burst.add(g(b).send(id, "burst " + i).id());
        }
        // A (B's contact) takes the burst and refuses the rest until its bucket refills, then asks
        // B for it; C gets it all through A.
        awaitPosts(a, id, new HashSet<>(burst));
        awaitPosts(c, id, new HashSet<>(burst));
        assertTrue(limited(a) > 0, "A never refused: the test did not reach the limit");
        for (FakeNode n : List.of(a, c)) {
            List<String> order = new ArrayList<>();
            for (GroupPost p : posted.get(n.name)) {
                if (p.text().startsWith("burst ")) {
                    order.add(p.id());
                }
            }
            assertEquals(burst, order, "B's burst at " + n.name + ": each once, in order");
        }
        assertExactlyOnce(List.of(a, b, c), id);
    }

    /**
     * A contact that invites us to group after group (each a valid invitation of a group it
     * created) gets {@value #OPEN_INVITATIONS} of them kept while we have not answered; the rest
     * are not stored (it offers them again on a later session). Another contact's invitation
     * still arrives.
     */
    @Test
    void aContactsFloodOfInvitationsKeepsTenOpenAndAnotherContactsInvitationStillArrives() throws Exception {
        FakeNode a = node("a", false);
        FakeNode h = node("h", false);
        FakeNode b = node("b", false);
        ContactId aAtH = connect(h, a);
        ContactId aAtB = connect(b, a);
        for (int i = 0; i < 25; i++) {
            g(h).invite(g(h).create("spam " + i), aAtH);
        }
        await(() -> limited(a) >= 15, "A refuses the invitations beyond ten");
        GroupId legit = g(b).create("Legit");
        g(b).invite(legit, aAtB);
        await(() -> g(a).list().stream().anyMatch(x -> x.id().equals(legit)), "B's invitation at A");
        assertEquals(OPEN_INVITATIONS, g(a).list().stream().filter(x -> x.name().startsWith("spam ")).count());
        assertEquals(15, limited(a));
    }

    /**
     * A member whose summaries name made-up authors (256 a summary, summary after summary)
     * does not make us keep them: what we keep of peers' summaries is bounded by our groups'
     * authors and members. Its session goes on.
     */
    @Test
    void summariesOfMadeUpAuthorsDoNotGrowWhatAMemberKeeps() throws Exception {
        FakeNode a = node("a", false);
        FakeNode b = node("b", false);
        FakeNode h = node("h", true);
        GroupId id = group(a, List.of(b, h));
        ByteString gid = ByteString.copyFrom(HexFormat.of().parseHex(id.hex()));
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 40; i++) {
            org.allium.protocol.proto.GroupSummary.Builder sb = org.allium.protocol.proto.GroupSummary.newBuilder()
                    .setGroupId(gid);
            for (int j = 0; j < 256; j++) {
                byte[] k = new byte[32];
                rnd.nextBytes(k);
                sb.addHeads(org.allium.protocol.proto.GroupHead.newBuilder().setAuthor(ByteString.copyFrom(k))
                        .setSequence(1 + j));
            }
            assertTrue(h.tap.send(a.address(), Envelope.newBuilder().setGroupSummary(sb).build()), "no session");
        }
        GroupPost after = g(h).send(id, "after the summaries"); // on the same session, so after them
        awaitPosts(a, id, Set.of(after.id()));
        awaitPosts(b, id, Set.of(after.id()));
        int kept = ((GroupsImpl) g(a)).peerHeadsKept();
        assertTrue(kept <= 2 * 3, "A keeps " + kept + " heads of two peers in a group of three authors");
    }

    /**
     * What a peer makes us check (a signature verification per message that is its author's
     * next) is held to the peer's bucket, valid or not: H repeats one validly signed message
     * with an unknown parent (never stored, never counted invalid) 3,000 times. Beyond the
     * peer's burst of 100 and 10 a second they are refused unchecked; another member's posts go
     * through at once, and H's own next post arrives later (asked for again).
     */
    @Test
    void whatAPeerMakesUsCheckIsHeldToItsBucket() throws Exception {
        Timings peerLimited = FakeNode.TIMINGS.withGroupLimits(new GroupLimits.Config(1000, 60_000, 1000, 60_000,
                100, 600, Duration.ofMinutes(10)));
        FakeNode a = node("a", false, peerLimited);
        FakeNode b = node("b", false, peerLimited);
        FakeNode h = node("h", true, peerLimited);
        GroupId id = group(a, List.of(b, h));
        IdentityKeyPair hKey = ((ProfileImpl) h.profile).identityKey();
        ByteString gid = ByteString.copyFrom(HexFormat.of().parseHex(id.hex()));
        GroupMessage orphan = GroupMessages.sign(GroupMessage.newBuilder().setGroupId(gid)
                .setAuthor(ByteString.copyFrom(hKey.publicKey())).setSequence(2)
                .setComposedAtMs(System.currentTimeMillis()).setAction(GroupAction.POST).setText("orphan")
                .addParents(ByteString.copyFrom(new byte[16])).build(), hKey);
        long t0 = System.nanoTime();
        for (int i = 0; i < 3000; i++) {
            assertTrue(h.tap.send(a.address(), Envelope.newBuilder().setGroupMessage(orphan).build()), "no session");
        }
        GroupPost fromH = g(h).send(id, "hal's next"); // on the same session, after them
        GroupPost fromB = g(b).send(id, "ben meanwhile");
        awaitPosts(a, id, Set.of(fromB.id()));
        await(() -> limited(a) > 0, "A refuses some");
        awaitPosts(a, id, Set.of(fromH.id()));
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long checked = 3000 - limited(a);
        assertTrue(checked <= 100 + 10 * elapsed + 1, "A checked " + checked + " of H's in " + elapsed + " s");
        assertEquals(0, g(a).dropped(), "nothing invalid");
        assertExactlyOnce(List.of(a, b, h), id);
    }

    /**
     * A member that asks for a resend again and again (a {@code resend} summary claiming it holds
     * nothing, 100 of them 20 ms apart) makes us re-read and re-send the group's history at most
     * once a second (PROTOCOL.md §12.4, rate limits), not once per summary; a resend asked after
     * the flood is still carried out (deferred, never dropped).
     */
    @Test
    void aFloodOfResendSummariesGetsTheHistoryAtMostOnceASecond() throws Exception {
        FakeNode a = node("a", false, FakeNode.TIMINGS);
        FakeNode b = node("b", false, FakeNode.TIMINGS);
        FakeNode h = node("h", true, FakeNode.TIMINGS);
        GroupId id = group(a, List.of(b, h));
        Set<String> written = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            written.add(g(a).send(id, "history " + i).id());
        }
        awaitPosts(h, id, written);
        awaitPosts(b, id, written);
        long history = g(a).history(id, 5000).size(); // all A would send a peer that holds nothing
        long before = settledSends(a);
        ByteString gid = ByteString.copyFrom(HexFormat.of().parseHex(id.hex()));
        Envelope resend = Envelope.newBuilder().setGroupSummary(org.allium.protocol.proto.GroupSummary.newBuilder()
                .setGroupId(gid).setResend(true)).build();
        long t0 = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            assertTrue(h.tap.send(a.address(), resend), "no session to A");
            Thread.sleep(20);
        }
        GroupPost after = g(h).send(id, "after the resends"); // on the same session, so after them
        awaitPosts(a, id, Set.of(after.id()));
        long flooded = settledSends(a) - before;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long bound = (long) ((2 + elapsed) * history) + 1; // the first, one a second, one deferred; plus H's post
        assertTrue(flooded <= bound, "A sent " + flooded + " messages for 100 resends in " + elapsed
                + " s (history " + history + ", bound " + bound + ")");
        // Asked again once more: carried out, at once or within a second.
        long then = settledSends(a);
        assertTrue(h.tap.send(a.address(), resend), "no session to A");
        await(() -> sends(a) >= then + history, "A re-sends its history once more");
        assertExactlyOnce(List.of(a, b, h), id);
    }

    // ---- helpers ----

    private static final int OPEN_INVITATIONS = 10;

    private FakeNode node(String name, boolean tapped) throws Exception {
        return node(name, tapped, LIMITED);
    }

    private FakeNode node(String name, boolean tapped, Timings timings) throws Exception {
        FakeNode n = fake.add(name, tmp, timings);
        n.tapped = tapped;
        n.start();
        List<GroupPost> p = posted.computeIfAbsent(n.name, k -> new CopyOnWriteArrayList<>());
        n.messenger.groups().subscribe(e -> {
            if (e instanceof GroupEvent.Posted x) {
                p.add(x.post());
            }
        });
        return n;
    }

    /** A creates a group, invites its contacts {@code others}, who accept; returns when A sees all joined. */
    private GroupId group(FakeNode a, List<FakeNode> others) throws Exception {
        List<ContactId> ids = new ArrayList<>();
        for (FakeNode o : others) {
            ids.add(connect(a, o));
        }
        GroupId id = g(a).create("Flood");
        for (ContactId c : ids) {
            g(a).invite(id, c);
        }
        for (FakeNode o : others) {
            await(() -> g(o).list().stream().anyMatch(x -> x.id().equals(id)), "invitation at " + o.name);
            g(o).accept(id);
        }
        await(() -> g(a).members(id).stream().filter(GroupMember::joined).count() == others.size() + 1,
                "everyone joined");
        for (FakeNode o : others) {
            await(() -> g(o).members(id).stream().filter(GroupMember::joined).count() == others.size() + 1,
                    o.name + " sees everyone joined");
        }
        return id;
    }

    /** Group messages A has sent so far, live or read back from its store. */
    private static long sends(FakeNode n) {
        GroupsImpl.Sends s = ((GroupsImpl) n.messenger.groups()).sends();
        return s.live() + s.fromStore();
    }

    /** {@link #sends} once it has not moved for 1.5 s (what was asked for went out). */
    private static long settledSends(FakeNode n) throws InterruptedException {
        long last = sends(n);
        long since = System.nanoTime();
        while (System.nanoTime() - since < 1_500_000_000L) {
            Thread.sleep(50);
            long now = sends(n);
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
        return last;
    }

    private static long limited(FakeNode n) {
        return ((GroupsImpl) n.messenger.groups()).limited();
    }

    private static Groups g(FakeNode n) {
        return n.messenger.groups();
    }

    private void awaitPosts(FakeNode n, GroupId id, Set<String> want) throws InterruptedException {
        await(() -> GroupTestKit.seen(posted.get(n.name), id).containsAll(want), want.size() + " posts at " + n.name);
    }

    private void assertExactlyOnce(List<FakeNode> ns, GroupId id) {
        for (FakeNode n : ns) {
            GroupTestKit.assertToldOnce(n.name, posted.get(n.name), id);
        }
    }

    /** Two accepted contacts, both online. Returns B's id at A. */
    private static ContactId connect(FakeNode a, FakeNode b) throws Exception {
        return GroupTestKit.connect(a, b)[0];
    }

    private static void await(GroupTestKit.Check condition, String what) throws InterruptedException {
        GroupTestKit.await(condition, what, LONG);
    }
}
