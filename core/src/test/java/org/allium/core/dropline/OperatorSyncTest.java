package org.allium.core.dropline;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.DropStore;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.Profile;
import org.allium.core.api.DropLine;
import org.allium.core.api.DropLineException;
import org.allium.core.groups.PeerLink;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.Envelopes;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.protocol.proto.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Team mode (PROTOCOL.md §13.4) between three profiles in one JVM, their sessions replaced
 * by in-process links that carry each Envelope as bytes (parsed and checked as the wire
 * does): a drop line and two operators.
 */
class OperatorSyncTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path tmp;

    private final List<Node> nodes = new ArrayList<>();

    /** One profile with its desk and sync; {@code io} runs its sends and what it receives. */
    private final class Node {
        final Profile profile;
        final DropLineDesk desk;
        final OperatorSync sync;
        final ExecutorService io = Executors.newSingleThreadExecutor();
        final Map<Long, Link> links = new ConcurrentHashMap<>();
        final List<Long> notified = new CopyOnWriteArrayList<>();
        /** Everything this node received, by contact id. */
        final List<Envelope> received = new CopyOnWriteArrayList<>();

        Node(String name) throws Exception {
            profile = DropLineDeskTest.profile(tmp.resolve(name));
            profile.setNickname(name);
            desk = new DropLineDesk(profile, RANDOM, Clock.systemUTC(), DropStore.Quotas.DEFAULT, Duration.ofSeconds(5),
                    profile.identity().address());
            sync = new OperatorSync(profile, RANDOM, io, desk::self, DropStore.Quotas.DEFAULT, desk::mirrored);
            desk.setSync(sync);
            desk.addListener(new DropLineDesk.Listener() {
                @Override
                public void submitted(long caseId) {
                    notified.add(caseId);
                }
            });
            nodes.add(this);
        }

        OnionAddress address() throws Exception {
            return profile.identity().address();
        }

        /** The contact id of {@code other} here (made an accepted contact). */
        long contactOf(Node other) throws Exception {
            Contact c = profile.contacts().addOutgoingRequest(other.address(), other.profile.nickname().orElse(null), null,
                    null, EndpointKeys.ours(IdentityKeyPair.generate(RANDOM), ClientAuthKeyPair.generate(RANDOM).publicKeyBase32()));
            return profile.contacts().accept(c.id(), EndpointKeys.theirs(IdentityKeyPair.generate(RANDOM).address(),
                    ClientAuthKeyPair.generate(RANDOM))).id().value();
        }
    }

    /** One side of an in-process session from {@code from} to {@code to}. */
    private final class Link implements PeerLink {
        final Node from;
        final Node to;
        final long contact;
        final OnionAddress peer;
        Link back;
        volatile boolean up = true;
        long order;

        Link(Node from, Node to, long contact) throws Exception {
            this.from = from;
            this.to = to;
            this.contact = contact;
            this.peer = to.address();
        }

        @Override
        public ContactId contact() {
            return new ContactId(contact);
        }

        @Override
        public OnionAddress peer() {
            return peer;
        }

        @Override
        public long order() {
            return order;
        }

        @Override
        public boolean submit(WriterTask task) {
            if (!up) {
                return false;
            }
            from.io.execute(() -> {
                try {
                    task.run(e -> {
                        byte[] wire = e.toByteArray();
                        Envelope got = Envelopes.parse(wire, 0, wire.length);
                        to.io.execute(() -> {
                            if (!back.up) {
                                return;
                            }
                            to.received.add(got);
                            try {
                                assertTrue(to.sync.receive(back, got, false));
                            } catch (Exception ex) {
                                throw new AssertionError(ex);
                            }
                        });
                    });
                } catch (Exception ex) {
                    throw new AssertionError(ex);
                }
            });
            return true;
        }
    }

    /** Contacts both ways and a session up between them. */
    private void connect(Node a, Node b) throws Exception {
        long bAtA = a.contactOf(b);
        long aAtB = b.contactOf(a);
        Link ab = new Link(a, b, bAtA);
        Link ba = new Link(b, a, aAtB);
        ab.back = ba;
        ba.back = ab;
        a.links.put(bAtA, ab);
        b.links.put(aAtB, ba);
        a.sync.up(ab);
        b.sync.up(ba);
    }

    @AfterEach
    void close() throws Exception {
        for (Node n : nodes) {
            n.io.shutdown();
            n.io.awaitTermination(10, TimeUnit.SECONDS);
            n.profile.close();
        }
    }

    private static void eventually(String what, BooleanSupplier ok) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static DropStore.Case only(Node n) {
        try {
            List<DropStore.Case> cs = n.desk.cases();
            return cs.size() == 1 ? cs.get(0) : null;
        } catch (DropLineException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> texts(Node n, long caseId) throws Exception {
        return n.profile.drops().items(caseId).stream().map(i -> i.kind() + ":" + i.text()).toList();
    }

    @Test
    void bothOperatorsGetTheSubmissionAndSeeEachOthersAssignmentReplyAndNotes() throws Exception {
        Node line = new Node("line");
        Node op1 = new Node("one");
        Node op2 = new Node("two");
        connect(line, op1);
        connect(line, op2);
        for (Link l : line.links.values()) {
            line.desk.addOperator(l.contact);
        }
        long c = line.profile.drops().submit(new byte[32], "calm otter 12", org.allium.contacts.api.MessageId.random(RANDOM),
                java.time.Instant.now(), "The minutes of Tuesday.", DropStore.Quotas.DEFAULT).caseId();
        line.sync.kick();
        eventually("both operators have the case", () -> only(op1) != null && only(op2) != null
                && only(op1).submissions() == 1 && only(op2).submissions() == 1);
        assertEquals("calm otter 12", only(op1).pseudonym());
        assertEquals(List.of("SUBMISSION:The minutes of Tuesday."), texts(op1, only(op1).id()));
        eventually("operators are told of a new submission", () -> !op1.notified.isEmpty() && !op2.notified.isEmpty());

        // Operator 1 takes the case and replies; a note for the team.
        long at1 = only(op1).id();
        op1.desk.take(at1);
        op1.desk.reply(at1, "Received. Who else was there?");
        op1.desk.note(at1, "Checking with the desk.");
        eventually("the drop line has the reply and the assignment", () -> {
            DropStore.Case x = only(line);
            return x != null && x.replies() == 1 && x.assignee() != null;
        });
        assertEquals(DropStore.State.REPLIED, only(line).state());
        assertEquals("one", only(line).assignedTo().name());
        assertEquals(op1.address(), only(line).assignedTo().key());
        assertEquals(List.of("Received. Who else was there?"),
                line.profile.drops().replies(c, 64).stream().map(DropStore.Item::text).toList());
        eventually("operator 2 sees assignment, reply and note", () -> {
            DropStore.Case x = only(op2);
            try {
                return x != null && x.assignedTo() != null && texts(op2, x.id()).size() == 3;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(op1.address(), only(op2).assignedTo().key());
        assertEquals(DropStore.State.REPLIED, only(op2).state());
        List<DropStore.Item> seen = op2.profile.drops().items(only(op2).id());
        assertEquals("one", seen.get(1).by().name(), "the author is the session's operator");
        assertEquals(op1.address(), seen.get(1).by().key());

        // Operator 2 closes it; everyone sees the state. Then the drop line removes operator 2:
        // nothing further reaches it.
        op2.desk.setState(only(op2).id(), DropStore.State.CLOSED);
        eventually("closed everywhere", () -> only(line).state() == DropStore.State.CLOSED
                && only(op1).state() == DropStore.State.CLOSED);
        long op2AtLine = line.links.values().stream().filter(l -> l.to == op2).findFirst().orElseThrow().contact;
        eventually("the team is in step", () -> {
            try {
                return line.profile.drops().queuedContacts().isEmpty() && op2.profile.drops().queuedContacts().isEmpty()
                        && only(op2).state() == DropStore.State.CLOSED;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(line.desk.removeOperator(op2AtLine));
        int before = op2.received.size();
        line.desk.reply(c, "One more question.");
        eventually("operator 1 gets the new reply", () -> {
            try {
                return texts(op1, only(op1).id()).contains("REPLY:One more question.");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        // A change is queued for every operator in the transaction that stores it and leaves the
        // queue only once stored and acknowledged: with operator 1 holding the reply, anything for
        // operator 2 is still queued or already received. No quiet period to wait out.
        assertEquals(List.of(), line.profile.drops().queued(op2AtLine, 64), "nothing queued for a removed operator");
        assertEquals(before, op2.received.size(), () -> "a removed operator receives nothing: "
                + op2.received.subList(before, op2.received.size()));
        assertEquals(3, texts(op2, only(op2).id()).size());

        // Deleting the case reaches the remaining team.
        line.desk.delete(c);
        eventually("deleted at operator 1", () -> {
            try {
                return op1.desk.cases().isEmpty();
            } catch (DropLineException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(1, op2.desk.cases().size());
    }

    @Test
    void aNewOperatorGetsTheCasesThereAreAndResendsAreAppliedOnce() throws Exception {
        Node line = new Node("line");
        Node op = new Node("op");
        long c = line.profile.drops().submit(new byte[32], "p q 10", org.allium.contacts.api.MessageId.random(RANDOM),
                java.time.Instant.now(), "first", DropStore.Quotas.DEFAULT).caseId();
        line.desk.reply(c, "an answer");
        // Not connected yet: the copy waits in the queue.
        long opAtLine = line.contactOf(op);
        long lineAtOp = op.contactOf(line);
        line.desk.addOperator(opAtLine);
        assertFalse(line.profile.drops().queued(opAtLine, 64).isEmpty());
        Link a = new Link(line, op, opAtLine);
        Link b = new Link(op, line, lineAtOp);
        a.back = b;
        b.back = a;
        line.sync.up(a);
        op.sync.up(b);
        eventually("the copy arrived and was acknowledged", () -> {
            try {
                return only(op) != null && line.profile.drops().queued(opAtLine, 64).isEmpty();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(List.of("SUBMISSION:first", "REPLY:an answer"), texts(op, only(op).id()));
        // The same messages again (a resend after a lost acknowledgement) change nothing.
        List<Envelope> again = List.copyOf(op.received);
        for (Envelope e : again) {
            op.sync.receive(b, e, false);
        }
        assertEquals(List.of("SUBMISSION:first", "REPLY:an answer"), texts(op, only(op).id()));
        assertEquals(1, op.desk.cases().size());
    }

    /**
     * Two sessions with the operator came up at once and the hooks were told out of order: the
     * newer one first, then the older one (already closed) late, then its end. The sync must stay
     * on the newer session — told the older one's late up, it went to a dead link and, after that
     * link's end, to none at all until the next session.
     */
    @Test
    void anOlderSessionToldLateDoesNotTakeThePlaceOfTheNewerOne() throws Exception {
        Node line = new Node("line");
        Node op = new Node("op");
        long opAtLine = line.contactOf(op);
        long lineAtOp = op.contactOf(line);
        line.desk.addOperator(opAtLine);
        Link newer = new Link(line, op, opAtLine);
        Link newerBack = new Link(op, line, lineAtOp);
        newer.back = newerBack;
        newerBack.back = newer;
        newer.order = 2;
        newerBack.order = 2;
        Link older = new Link(line, op, opAtLine);
        Link olderBack = new Link(op, line, lineAtOp);
        older.back = olderBack;
        olderBack.back = older;
        older.order = 1;
        olderBack.order = 1;
        older.up = false;
        olderBack.up = false;
        op.sync.up(newerBack);
        line.sync.up(newer);
        line.sync.up(older); // late
        line.sync.down(older);
        op.sync.up(olderBack);
        op.sync.down(olderBack);

        line.profile.drops().submit(new byte[32], "late otter 11", org.allium.contacts.api.MessageId.random(RANDOM),
                java.time.Instant.now(), "Sent after the race.", DropStore.Quotas.DEFAULT);
        line.sync.kick();
        eventually("the operator got the case on the newer session", () -> {
            try {
                return only(op) != null && only(op).submissions() == 1
                        && line.profile.drops().queued(opAtLine, 64).isEmpty();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        // The operator's own change goes back on its newer session too.
        op.desk.note(only(op).id(), "Seen.");
        eventually("the drop line has the operator's note", () -> {
            try {
                DropStore.Case c = only(line);
                return c != null && texts(line, c.id()).contains("NOTE:Seen.");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
