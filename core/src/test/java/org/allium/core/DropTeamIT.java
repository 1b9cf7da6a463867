package org.allium.core;

import static org.allium.core.DropLineIT.untilReachable;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.allium.contacts.api.DropStore;
import org.allium.core.api.ContactId;
import org.allium.core.api.TorSettings;
import org.allium.core.api.DropLine;
import org.allium.core.api.DropLineException;
import org.allium.core.dropline.DropSource;
import org.allium.core.dropline.SourceTor;
import org.allium.protocol.DropCodename;
import org.allium.protocol.OnionAddress;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drop line team mode on the private Tor network (PROTOCOL.md §13.4, §13.5): a drop line and two
 * operators on one shared tor, a source on throw-away tors. Both operators get the
 * submission and its two attachments (fetched by their AttachmentFetcher, the same bytes); operator 1 takes the case and replies; operator 2 sees the assignment and the
 * reply; the source checks in from a new tor in a new empty directory with only its codename
 * and reads the reply, status and attachments' state, and writes again into the same case; a removed operator receives nothing further.
 */
@ExtendWith(TestnetExtension.class)
class DropTeamIT {
    private static final Duration LONG = Node.LONG;
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        TestLogs.install();
    }

    @Test
    void bothOperatorsGetTheSubmissionOneRepliesTheSourceReadsItARemovedOperatorGetsNothing(Testnet testnet,
            @TempDir Path tmp) throws Exception {
        TorSettings sourceTor = TorSettings.ownTor().withTestnetLines(testnet.clientTorrcLines());
        try (SharedTor tor = new SharedTor(tmp.resolve("tor"), testnet.clientTorrcLines());
             Node line = new Node("desk", tmp, tor, Timings.testnet());
             Node one = new Node("olga", tmp, tor, Timings.testnet());
             Node two = new Node("otto", tmp, tor, Timings.testnet())) {
            line.start();
            one.start();
            two.start();
            DropLine drop = Messengers.dropLine(line.messenger);
            DropLine d1 = Messengers.dropLine(one.messenger);
            DropLine d2 = Messengers.dropLine(two.messenger);
            drop.setEnabled(true);
            ContactId oneAtLine = MessengerIT.connect(line, one)[0];
            ContactId twoAtLine = MessengerIT.connect(line, two)[0];
            assertTrue(drop.addOperator(oneAtLine.value()));
            assertTrue(drop.addOperator(twoAtLine.value()));
            assertEquals(List.of(oneAtLine.value(), twoAtLine.value()), drop.operators());

            // The source submits through its own throw-away tor.
            OnionAddress address = OnionAddress.parse(line.address());
            DropCodename codename = DropCodename.generate(RANDOM);
            // It attaches two files: several chunks, and a single byte.
            byte[] scan = new byte[200_000];
            RANDOM.nextBytes(scan);
            Path scanFile = java.nio.file.Files.write(java.nio.file.Files.createDirectories(tmp.resolve("source"))
                    .resolve("scan.pdf"), scan);
            Path noteFile = java.nio.file.Files.write(tmp.resolve("source").resolve("note.txt"), new byte[] {'!'});
            List<DropSource.Attachment> files = List.of(DropSource.attach(scanFile), DropSource.attach(noteFile));
            try (SourceTor t = SourceTor.start(sourceTor, LONG)) {
                DropSource source = new DropSource(t::dial, RANDOM, Duration.ofSeconds(30));
                DropSource.Answer a = untilReachable(() -> source.submit(address, codename.sourceKey(address),
                        "The minutes of Tuesday.", files, null));
                assertTrue(a.stored());
                assertTrue(a.files().stream().allMatch(DropSource.FileStatus::complete), a.files().toString());
            }

            // Both operators get it, and both attachments, byte for byte.
            await("both operators have the submission", () -> submissions(d1) == 1 && submissions(d2) == 1);
            DropStore.Case at1 = d1.cases().get(0);
            assertEquals(drop.cases().get(0).pseudonym(), at1.pseudonym());
            assertEquals("The minutes of Tuesday.", d1.read(at1.id()).get(0).text());
            for (DropLine op : List.of(d1, d2)) {
                await("an operator fetched both attachments", () -> {
                    List<DropStore.Attachment> as = op.attachments(only(op).id());
                    return as.size() == 2 && as.stream().allMatch(DropStore.Attachment::complete);
                });
                List<DropStore.Attachment> as = op.attachments(only(op).id());
                assertEquals(List.of("scan.pdf", "note.txt"), as.stream().map(x -> x.spec().name()).toList());
                Path into = java.nio.file.Files.createDirectories(tmp.resolve("saved-" + System.identityHashCode(op)));
                assertArrayEquals(scan, java.nio.file.Files.readAllBytes(op.export(only(op).id(), as.get(0).fileId(), into)));
                assertArrayEquals(new byte[] {'!'},
                        java.nio.file.Files.readAllBytes(op.export(only(op).id(), as.get(1).fileId(), into)));
            }

            // Operator 1 takes it and replies; operator 2 sees both; the drop line holds the reply.
            d1.take(at1.id());
            d1.reply(at1.id(), "Received. Who else was there?");
            await("operator 2 sees the assignment and the reply", () -> {
                DropStore.Case c = only(d2);
                return c.assignedTo() != null && c.replies() == 1;
            });
            DropStore.Case at2 = only(d2);
            OnionAddress oneKey = OnionAddress.parse(one.address());
            assertEquals(oneKey, at2.assignedTo().key());
            assertEquals(DropStore.State.REPLIED, at2.state());
            List<DropStore.Item> items2 = d2.read(at2.id());
            assertEquals("Received. Who else was there?", items2.get(1).text());
            assertEquals(oneKey, items2.get(1).by().key(), "the author is the operator's session, named by the drop line");
            await("the drop line holds the reply", () -> only(drop).replies() == 1);
            assertEquals(oneAtLine.value(), only(drop).assignee());

            // The source comes back with only its codename: a new tor in a new empty directory.
            try (SourceTor t = SourceTor.start(sourceTor, LONG)) {
                DropSource source = new DropSource(t::dial, RANDOM, Duration.ofSeconds(30));
                DropCodename typed = DropCodename.parse(String.join(" ", codename.words()));
                DropSource.Answer back = untilReachable(() -> source.checkIn(address, typed.sourceKey(address)));
                assertEquals(DropSource.Status.REPLIED, back.status());
                assertEquals(List.of("Received. Who else was there?"),
                        back.replies().stream().map(DropSource.Reply::text).toList());
                assertEquals(2, back.files().size());
                assertTrue(back.files().stream().allMatch(DropSource.FileStatus::complete), back.files().toString());
                // And writes again into the same case: both operators get it.
                DropSource.Answer again = untilReachable(() -> source.submit(address, typed.sourceKey(address),
                        source.newId(), "Anna was there too."));
                assertTrue(again.stored());
            }
            await("both operators have the second submission", () -> submissions(d1) == 2 && submissions(d2) == 2);

            // Operator 2 is removed: a note and a state change reach operator 1, nothing reaches operator 2.
            await("operator 2 is in step", () -> only(d2).state() == only(drop).state());
            assertTrue(drop.removeOperator(twoAtLine.value()));
            int before = items(d2);
            DropStore.State stateBefore = only(d2).state();
            d1.note(at1.id(), "Checking with the desk.");
            drop.setState(only(drop).id(), DropStore.State.CLOSED);
            await("operator 1 has the note and the state", () -> items(d1) == 4
                    && only(d1).state() == DropStore.State.CLOSED);
            // Every change is queued for every operator in the transaction that stores it, sent only
            // from that queue and dequeued only once the operator stored it and acknowledged: with
            // operator 1 holding both changes, anything for operator 2 is either still queued at the
            // drop line or already in its copy. No quiet period to wait out.
            assertEquals(List.of(), ((ProfileImpl) line.profile).store().drops().queued(twoAtLine.value(), 64),
                    "nothing queued for a removed operator");
            assertEquals(before, items(d2), "a removed operator receives nothing further");
            assertEquals(stateBefore, only(d2).state());
        }
    }

    private static int submissions(DropLine d) throws DropLineException {
        List<DropStore.Case> cs = d.cases();
        return cs.size() == 1 ? cs.get(0).submissions() : 0;
    }

    private static DropStore.Case only(DropLine d) throws DropLineException {
        List<DropStore.Case> cs = d.cases();
        assertEquals(1, cs.size());
        return cs.get(0);
    }

    private static int items(DropLine d) throws DropLineException {
        DropStore.Case c = only(d);
        return c.submissions() + c.replies() + notes(d, c.id());
    }

    private static int notes(DropLine d, long caseId) throws DropLineException {
        return (int) d.cases().stream().filter(c -> c.id() == caseId).count() == 0 ? 0
                : (int) readQuietly(d, caseId).stream().filter(i -> i.kind() == DropStore.Kind.NOTE).count();
    }

    private static List<DropStore.Item> readQuietly(DropLine d, long caseId) throws DropLineException {
        return d.read(caseId);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(String what, Check c) throws Exception {
        long end = System.nanoTime() + LONG.toNanos();
        while (true) {
            try {
                if (c.ok()) {
                    return;
                }
            } catch (AssertionError | DropLineException e) {
                // not there yet
            }
            if (System.nanoTime() > end) {
                fail("timed out: " + what);
            }
            Thread.sleep(200);
        }
    }
}
