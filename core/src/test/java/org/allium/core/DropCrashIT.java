package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.allium.contacts.api.DropStore;
import org.allium.core.api.ContactId;
import org.allium.core.api.DropLine;
import org.allium.core.api.TorSettings;
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
 * kill -9 of a drop line's JVM (the engine {@code allium run} runs, in a {@link ChildMessenger})
 * twice: in the middle of a source's attachment upload, and in the middle of an operator's fetch
 * of that attachment. After each restart everything completes by itself — the source sends the
 * same text and files again and the upload goes on where the drop line's durable chunks end; the
 * operator resumes its fetch — and nothing is lost or stored twice: one case, one submission, one
 * attachment with the source's very bytes, at the drop line and at the operator.
 */
@ExtendWith(TestnetExtension.class)
class DropCrashIT {
    private static final Duration LONG = Node.LONG;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Large enough that an upload and a fetch last a while on the private network (~140 chunks). */
    private static final int SIZE = 8 << 20;

    static {
        TestLogs.install();
    }

    @Test
    void dropLineKilledMidUploadAndMidFetchLosesNothingAndStoresNothingTwice(Testnet testnet, @TempDir Path tmp)
            throws Exception {
        Path torrc = tmp.resolve("torrc-lines");
        Files.write(torrc, testnet.clientTorrcLines());
        Path childLog = tmp.resolve("child-stderr.log");
        byte[] content = new byte[SIZE];
        RANDOM.nextBytes(content);
        Path file = Files.write(Files.createDirectories(tmp.resolve("source")).resolve("ledger.bin"), content);
        List<DropSource.Attachment> files = List.of(DropSource.attach(file));
        String text = "The ledger, as promised.";
        TorSettings sourceTor = TorSettings.ownTor().withTestnetLines(testnet.clientTorrcLines());

        try (Node line = new Node("desk", tmp, testnet.clientTorrcLines(), Timings.testnet());
             Node op = new Node("olga", tmp, testnet.clientTorrcLines(), Timings.testnet())) {
            line.start();
            op.start();
            ContactId opAtLine = MessengerIT.connect(line, op)[0];
            DropLine desk = Messengers.dropLine(line.messenger);
            desk.setEnabled(true);
            assertTrue(desk.addOperator(opAtLine.value()));
            OnionAddress address = OnionAddress.parse(line.address());
            line.stop();
            DropLine atOp = Messengers.dropLine(op.messenger);
            DropCodename codename = DropCodename.generate(RANDOM);

            // 1. Killed while the source uploads.
            List<String> childArgs = List.of(line.dir.resolve("profile").toString(), torrc.toString());
            ChildProcess first = ChildProcess.start(ChildMessenger.class, childArgs, childLog);
            first.awaitReady();
            AtomicLong sentBeforeKill = new AtomicLong();
            try (SourceTor t = SourceTor.start(sourceTor, LONG)) {
                DropSource source = new DropSource(t::dial, RANDOM, Duration.ofSeconds(30));
                long end = System.nanoTime() + LONG.toNanos();
                boolean broken = false;
                while (!broken) {
                    try {
                        source.submit(address, codename.sourceKey(address), text, files, (i, sent, size) -> {
                            if (sent >= size / 4 && sent < size && sentBeforeKill.get() == 0) {
                                sentBeforeKill.set(sent);
                                first.kill(); // kill -9 in the middle of the upload
                            }
                        });
                        fail("the upload finished before the kill");
                    } catch (IOException e) {
                        broken = sentBeforeKill.get() > 0;
                        if (!broken) {
                            assertTrue(System.nanoTime() < end, "the drop line was never reachable: " + e);
                            Thread.sleep(2000); // not reachable yet
                        }
                    }
                }
                first.killHard();

                // Restarted: the same text and files again go on where the drop line stopped.
                ChildProcess second = ChildProcess.start(ChildMessenger.class, childArgs, childLog);
                second.awaitReady();
                List<Long> resumedFrom = new ArrayList<>();
                DropSource.Answer a = null;
                while (a == null) {
                    try {
                        a = source.submit(address, codename.sourceKey(address), text, files, (i, sent, size) -> {
                            if (resumedFrom.isEmpty()) {
                                resumedFrom.add(sent);
                            }
                        });
                    } catch (IOException e) {
                        assertTrue(System.nanoTime() < end + LONG.toNanos(), "never completed after the restart: " + e);
                        Thread.sleep(2000);
                    }
                }
                assertTrue(a.stored(), "acknowledged (the drop line had it already)");
                assertTrue(a.files().get(0).complete(), a.files().toString());
                assertTrue(!resumedFrom.isEmpty() && resumedFrom.get(0) >= sentBeforeKill.get(),
                        "the upload resumed from the chunks the drop line had confirmed (" + sentBeforeKill
                                + "), not from nothing: " + resumedFrom);

                // 2. Killed while the operator fetches the attachment.
                long fetchEnd = System.nanoTime() + LONG.toNanos();
                boolean midFetch = false;
                while (!midFetch) {
                    List<DropStore.Case> cs = atOp.cases();
                    if (cs.size() == 1) {
                        List<DropStore.Attachment> as = atOp.attachments(cs.get(0).id());
                        if (as.size() == 1 && as.get(0).received() > 0) {
                            assertTrue(!as.get(0).complete(), "the fetch finished before the kill; make the file larger");
                            midFetch = true;
                            break;
                        }
                    }
                    assertTrue(System.nanoTime() < fetchEnd, "the operator never started fetching");
                    Thread.sleep(20);
                }
                second.killHard();
                long keptAtOp = atOp.attachments(atOp.cases().get(0).id()).get(0).received();

                ChildProcess third = ChildProcess.start(ChildMessenger.class, childArgs, childLog);
                third.awaitReady();
                long end3 = System.nanoTime() + LONG.toNanos();
                while (true) {
                    List<DropStore.Attachment> as = atOp.attachments(atOp.cases().get(0).id());
                    if (as.size() == 1 && as.get(0).complete()) {
                        break;
                    }
                    assertTrue(System.nanoTime() < end3, "the operator's fetch did not complete after the restart: " + as);
                    Thread.sleep(200);
                }
                assertTrue(keptAtOp > 0, "the operator kept what it had verified");

                // The source still sees one complete attachment; nothing twice anywhere.
                DropSource.Answer check = source.checkIn(address, codename.sourceKey(address));
                assertEquals(1, check.files().size());
                assertTrue(check.files().get(0).complete());
                third.stop();
            }

            List<DropStore.Case> opCases = atOp.cases();
            assertEquals(1, opCases.size(), "one case at the operator");
            assertEquals(1, opCases.get(0).submissions(), "one submission at the operator");
            List<DropStore.Attachment> opFiles = atOp.attachments(opCases.get(0).id());
            assertEquals(1, opFiles.size());
            Path saved = Files.createDirectories(tmp.resolve("saved-op"));
            assertArrayEquals(content, Files.readAllBytes(atOp.export(opCases.get(0).id(), opFiles.get(0).fileId(), saved)));

            line.start();
            DropLine again = Messengers.dropLine(line.messenger);
            List<DropStore.Case> cases = again.cases();
            assertEquals(1, cases.size(), "one case at the drop line");
            assertEquals(1, cases.get(0).submissions(), "the resend was not stored twice");
            assertEquals(List.of(text), again.read(cases.get(0).id()).stream().map(DropStore.Item::text).toList());
            List<DropStore.Attachment> lineFiles = again.attachments(cases.get(0).id());
            assertEquals(1, lineFiles.size());
            Path savedLine = Files.createDirectories(tmp.resolve("saved-line"));
            assertArrayEquals(content, Files.readAllBytes(again.export(cases.get(0).id(), lineFiles.get(0).fileId(),
                    savedLine)));

            for (String l : Files.readAllLines(childLog)) {
                assertTrue(!TestLogs.ONION.matcher(l).find() && !l.contains("ledger") && !l.contains(text),
                        "child log leaks: " + l);
            }
        }
    }
}
