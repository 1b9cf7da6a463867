package org.allium.core.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.allium.contacts.api.GroupStore;
import org.allium.core.groups.GroupState.Verdict;
import org.allium.protocol.GroupMessages;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.proto.GroupAction;
import org.allium.protocol.proto.GroupMessage;
import org.junit.jupiter.api.Test;

/** The validation and membership rules of PROTOCOL.md §12.3, one rule per case. */
class GroupStateTest {
    private static final SecureRandom RND = new SecureRandom();
    private static final long T = 1_767_225_600_000L;
    private final IdentityKeyPair alice = IdentityKeyPair.generate(RND);
    private final IdentityKeyPair bob = IdentityKeyPair.generate(RND);
    private final IdentityKeyPair carol = IdentityKeyPair.generate(RND);
    private final IdentityKeyPair mallory = IdentityKeyPair.generate(RND);
    private final byte[] salt = new byte[16];
    private final byte[] gid = GroupMessages.groupId(alice.publicKey(), salt);
    private final java.util.Map<ByteString, Long> seqs = new java.util.HashMap<>();
    private GroupState s = new GroupState(gid, GroupStore.GroupState.JOINED);
    private long pos;

    private static ByteString k(IdentityKeyPair p) {
        return ByteString.copyFrom(p.publicKey());
    }

    private GroupMessage msg(IdentityKeyPair author, long seq, long at, GroupAction a, String text, ByteString subject,
                             long subjectSeq, List<ByteString> parents) {
        return GroupMessages.sign(GroupMessage.newBuilder().setGroupId(ByteString.copyFrom(gid)).setAuthor(k(author))
                .setSequence(seq).setComposedAtMs(at).setAction(a).setText(text).setSubject(subject)
                .setSubjectSeq(subjectSeq).addAllParents(parents).build(), author);
    }

    /** The author's next message, with no parents. */
    private GroupMessage next(IdentityKeyPair author, GroupAction a, String text, ByteString subject, long subjectSeq) {
        long seq = seqs.merge(k(author), 1L, Long::sum);
        return msg(author, seq, T + seq, a, text, subject, subjectSeq, List.of());
    }

    private static ByteString id(GroupMessage m) {
        return ByteString.copyFrom(GroupMessages.messageId(m));
    }

    private Verdict offer(GroupMessage m) {
        Verdict v = s.check(m, id(m), T);
        if (v == Verdict.ACCEPT) {
            s.apply(m, id(m), ++pos);
        }
        return v;
    }

    private void accept(GroupMessage m) {
        assertEquals(Verdict.ACCEPT, offer(m), m.getAction().toString());
    }

    /** Alice creates, adds Bob and Carol; Bob joins. */
    private void basic() {
        accept(next(alice, GroupAction.CREATE, "Club", ByteString.copyFrom(salt), 0));
        accept(next(alice, GroupAction.ADD, "Bob", k(bob), 0));
        accept(next(alice, GroupAction.ADD, "Carol", k(carol), 0));
        accept(next(bob, GroupAction.JOIN, "", ByteString.EMPTY, 0));
    }

    @Test
    void aGroupsLifeIsAccepted() {
        basic();
        accept(next(bob, GroupAction.POST, "hi", ByteString.EMPTY, 0));
        accept(next(alice, GroupAction.RENAME, "Club 2", ByteString.EMPTY, 0));
        assertEquals("Club 2", s.name);
        assertEquals(3, s.currentCount());
        assertTrue(s.isAdmin(k(alice)));
        assertFalse(s.isAdmin(k(bob)));
    }

    @Test
    void anIntroductionIsTakenFromJoinedMembersOnly() {
        basic();
        // Carol is invited, not joined: she cannot ask the group to vouch for her yet; Mallory is no member.
        assertEquals(Verdict.DROP, offer(next(carol, GroupAction.INTRODUCE, "", ByteString.EMPTY, 0)));
        assertEquals(Verdict.DROP, offer(next(mallory, GroupAction.INTRODUCE, "", ByteString.EMPTY, 0)));
        accept(next(bob, GroupAction.INTRODUCE, "", ByteString.EMPTY, 0));
        assertTrue(s.members.get(k(bob)).introduced);
        assertFalse(s.members.get(k(carol)).introduced);
    }

    @Test
    void forgedMessagesAreDropped() {
        basic();
        GroupMessage good = next(bob, GroupAction.POST, "hi", ByteString.EMPTY, 0);
        // a bad signature
        GroupMessage badSig = good.toBuilder().setText("hI").build();
        assertEquals(Verdict.DROP, offer(badSig));
        // Mallory signs as herself but names Bob as author: the signature is not Bob's
        GroupMessage asBob = good.toBuilder().setSignature(ByteString.copyFrom(
                mallory.sign(GroupMessages.signedBytes(good)))).build();
        assertEquals(Verdict.DROP, offer(asBob));
        // a non-member
        assertEquals(Verdict.DROP, offer(msg(mallory, 1, T, GroupAction.POST, "spam", ByteString.EMPTY, 0, List.of())));
        // a CREATE by someone who is not the creator of this id
        assertEquals(Verdict.DROP, offer(msg(mallory, 1, T, GroupAction.CREATE, "Club", ByteString.copyFrom(salt), 0,
                List.of())));
        // a message of another group
        assertEquals(Verdict.DROP, s.check(good.toBuilder().setGroupId(ByteString.copyFrom(new byte[16])).build(),
                id(good), T));
        accept(good);
    }

    @Test
    void membershipChangesByNonAdminsAreDropped() {
        basic();
        assertEquals(Verdict.DROP, offer(next(bob, GroupAction.ADD, "M", k(mallory), 0)));
        seqs.merge(k(bob), -1L, Long::sum);
        assertEquals(Verdict.DROP, offer(next(bob, GroupAction.REMOVE, "", k(carol), 0)));
        seqs.merge(k(bob), -1L, Long::sum);
        assertEquals(Verdict.DROP, offer(next(bob, GroupAction.RENAME, "Mine", ByteString.EMPTY, 0)));
        seqs.merge(k(bob), -1L, Long::sum);
        assertEquals(Verdict.DROP, offer(next(bob, GroupAction.APPOINT, "", k(bob), 0)));
        seqs.merge(k(bob), -1L, Long::sum);
        // An appointed admin may add and remove members, but not the creator nor appoint.
        accept(next(alice, GroupAction.APPOINT, "", k(bob), 0));
        accept(next(bob, GroupAction.ADD, "", k(mallory), 0));
        assertEquals(Verdict.DROP, offer(next(bob, GroupAction.REMOVE, "", k(alice), 0)));
        seqs.merge(k(bob), -1L, Long::sum);
        assertEquals(Verdict.DROP, offer(next(bob, GroupAction.APPOINT, "", k(carol), 0)));
        seqs.merge(k(bob), -1L, Long::sum);
        accept(next(bob, GroupAction.REMOVE, "", k(mallory), 0));
    }

    @Test
    void aRemovedMembersLaterMessagesAreDroppedItsEarlierOnesKept() {
        basic();
        GroupMessage p1 = next(bob, GroupAction.POST, "one", ByteString.EMPTY, 0); // bob seq 2
        GroupMessage p2 = next(bob, GroupAction.POST, "two", ByteString.EMPTY, 0); // bob seq 3
        accept(next(alice, GroupAction.REMOVE, "", k(bob), 2)); // keeps up to seq 2
        accept(p1);
        assertEquals(Verdict.DROP, offer(p2));
        assertFalse(s.isCurrent(k(bob)));
        // A member who left writes nothing more either.
        accept(next(carol, GroupAction.JOIN, "", ByteString.EMPTY, 0));
        accept(next(carol, GroupAction.LEAVE, "", ByteString.EMPTY, 0));
        assertEquals(Verdict.DROP, offer(next(carol, GroupAction.POST, "still here", ByteString.EMPTY, 0)));
    }

    /**
     * Receivers take an admin's ADDs up to 150 current members (the bound on a hostile admin,
     * §12.3); beyond it an ADD is dropped (and, being invalid, ends the admin's chain there),
     * while re-adding someone already added changes nothing and stays valid.
     */
    @Test
    void addsBeyondTheHardMemberCapAreDropped() {
        basic(); // three members
        for (int i = 3; i < GroupState.HARD_MEMBER_CAP; i++) {
            accept(next(alice, GroupAction.ADD, "", k(IdentityKeyPair.generate(RND)), 0));
        }
        assertEquals(GroupState.HARD_MEMBER_CAP, s.currentCount());
        assertEquals(Verdict.DROP, offer(next(alice, GroupAction.ADD, "", k(IdentityKeyPair.generate(RND)), 0)));
        seqs.merge(k(alice), -1L, Long::sum);
        assertEquals(GroupState.HARD_MEMBER_CAP, s.currentCount());
        accept(next(alice, GroupAction.ADD, "", k(carol), 0)); // already added: no new member
        assertEquals(GroupState.HARD_MEMBER_CAP, s.currentCount());
    }

    @Test
    void chainsAreTakenInOrderOnceAndForksDropped() {
        basic();
        GroupMessage p2 = next(bob, GroupAction.POST, "two", ByteString.EMPTY, 0);
        GroupMessage p3 = next(bob, GroupAction.POST, "three", ByteString.EMPTY, 0);
        assertEquals(Verdict.LATER, offer(p3), "a gap waits");
        assertEquals(Verdict.LATER, offer(p3.toBuilder().setText("thr33").build()),
                "a gap is not verified (that costs a signature check) until it is the author's next");
        accept(p2);
        assertEquals(Verdict.DUPLICATE, offer(p2));
        GroupMessage fork = msg(bob, 2, T + 2, GroupAction.POST, "other two", ByteString.EMPTY, 0, List.of());
        assertEquals(Verdict.DROP, offer(fork), "a second message with a held sequence");
        accept(p3);
        // an unknown parent waits; a known one is fine
        GroupMessage orphan = msg(bob, 4, T + 4, GroupAction.POST, "x", ByteString.EMPTY, 0,
                List.of(ByteString.copyFrom(new byte[16])));
        assertEquals(Verdict.LATER, offer(orphan));
        accept(msg(bob, 4, T + 4, GroupAction.POST, "x", ByteString.EMPTY, 0, List.of(id(p2))));
    }

    @Test
    void timeRulesAndTheDailyCap() {
        basic();
        assertEquals(Verdict.LATER, offer(msg(bob, 2, T + GroupState.MAX_SKEW_MS + 1, GroupAction.POST, "future",
                ByteString.EMPTY, 0, List.of())));
        assertEquals(Verdict.DROP, offer(msg(bob, 2, T - 10, GroupAction.POST, "backdated", ByteString.EMPTY, 0,
                List.of())), "before the author's previous message");
        long day = T + 3_600_000L;
        long seq = 2;
        for (int i = 1; i < GroupState.MAX_PER_DAY; i++) { // the JOIN was the first of the day
            accept(msg(bob, seq++, day, GroupAction.POST, "p", ByteString.EMPTY, 0, List.of()));
        }
        assertEquals(Verdict.DROP, offer(msg(bob, seq, day, GroupAction.POST, "one too many", ByteString.EMPTY, 0,
                List.of())));
    }

    @Test
    void theStateDoesNotDependOnTheOrderOfArrival() {
        List<GroupMessage> log = new ArrayList<>();
        log.add(next(alice, GroupAction.CREATE, "Club", ByteString.copyFrom(salt), 0));
        log.add(next(alice, GroupAction.ADD, "Bob", k(bob), 0));
        log.add(next(alice, GroupAction.ADD, "Carol", k(carol), 0));
        log.add(next(alice, GroupAction.APPOINT, "", k(bob), 0));
        log.add(next(bob, GroupAction.JOIN, "", ByteString.EMPTY, 0));
        log.add(next(bob, GroupAction.RENAME, "By Bob", ByteString.EMPTY, 0));
        log.add(next(alice, GroupAction.RENAME, "By Alice", ByteString.EMPTY, 0));
        log.add(next(bob, GroupAction.REMOVE, "", k(carol), 0));
        log.add(next(alice, GroupAction.REMOVE, "", k(carol), 0));
        String expected = null;
        Random r = new Random(7);
        for (int round = 0; round < 20; round++) {
            List<GroupMessage> shuffled = new ArrayList<>(log);
            Collections.shuffle(shuffled, r);
            GroupState x = new GroupState(gid, GroupStore.GroupState.JOINED);
            for (GroupMessage m : shuffled) {
                x.apply(m, id(m), 0);
            }
            StringBuilder sb = new StringBuilder(x.name).append('|').append(x.currentCount());
            for (GroupState.Member m : x.members.values()) {
                sb.append('|').append(m.admin).append(m.joined).append(m.removed).append(m.cutoff);
            }
            String got = sb.toString().replace(x.members.keySet().toString(), "");
            // members are a LinkedHashMap keyed by arrival: compare per key instead
            StringBuilder stable = new StringBuilder(x.name).append('|').append(x.currentCount());
            for (IdentityKeyPair p : List.of(alice, bob, carol)) {
                GroupState.Member m = x.members.get(k(p));
                stable.append('|').append(m.admin).append(m.joined).append(m.removed).append(m.cutoff);
            }
            if (expected == null) {
                expected = stable.toString();
            }
            assertEquals(expected, stable.toString(), got);
        }
        assertTrue(expected.startsWith("By "));
    }
}
