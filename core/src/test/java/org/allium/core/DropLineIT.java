package org.allium.core;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.allium.contacts.api.DropStore;
import org.allium.core.api.TorSettings;
import org.allium.core.api.DropLine;
import org.allium.core.dropline.DropSource;
import org.allium.core.dropline.SourceTor;
import org.allium.protocol.DropCodename;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop line on the private Tor network: a source with no profile submits, the drop
 * line answers, the source comes back with only its codename through a fresh tor, reads the
 * reply and status and writes again into its case; a wrong codename looks like "no reply
 * yet"; a bounded flood from fresh keys leaves a legitimate submission and the drop line
 * profile's chat with an ordinary contact working.
 */
@ExtendWith(TestnetExtension.class)
class DropLineIT {
    private static final Duration LONG = Node.LONG;
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        TestLogs.install();
    }

    @Test
    void aSourceSubmitsComesBackWithItsCodenameAndAFloodDoesNotLockItOut(Testnet testnet, @TempDir Path tmp)
            throws Exception {
        Timings lineTimings = Timings.testnet().withRequestLimits(30, 30, 20, 10, 50);
        TorSettings sourceTor = TorSettings.ownTor().withTestnetLines(testnet.clientTorrcLines());
        try (Node line = new Node("lena", tmp, testnet.clientTorrcLines(), lineTimings);
             Node colleague = new Node("mira", tmp, testnet.clientTorrcLines(), Timings.testnet())) {
            line.start();
            colleague.start();
            // An ordinary contact of the drop line's profile: their chat must go on during a flood.
            org.allium.core.api.ContactId[] chat = MessengerIT.connect(line, colleague);
            DropLine drop = Messengers.dropLine(line.messenger);
            drop.setEnabled(true);
            OnionAddress address = OnionAddress.parse(line.address());
            DropCodename codename = DropCodename.generate(RANDOM);

            // 1. The source submits through its own, throw-away tor.
            DropSource.Answer first;
            try (SourceTor tor = SourceTor.start(sourceTor, LONG)) {
                DropSource source = new DropSource(tor::dial, RANDOM, Duration.ofSeconds(30));
                IdentityKeyPair key = codename.sourceKey(address);
                byte[] id = source.newId();
                first = untilReachable(() -> source.submit(address, key, id, "Here is what I saw."));
            }
            assertTrue(first.stored());
            assertNull(first.refusal());
            assertEquals(DropSource.Status.RECEIVED, first.status());
            assertEquals(DropLine.DEFAULT_ACKNOWLEDGEMENT, first.acknowledgement());
            assertTrue(first.replies().isEmpty());

            // 2. The organisation reads and replies.
            List<DropStore.Case> cases = drop.cases();
            assertEquals(1, cases.size());
            long caseId = cases.get(0).id();
            assertEquals("Here is what I saw.", drop.read(caseId).get(0).text());
            drop.reply(caseId, "Thank you. Can you tell us when?");

            // 3. The source comes back from nothing but the address and the codename, on a new tor in a new
            //    empty directory; writes again into the same case; a wrong codename sees "no reply yet".
            Path empty = Files.createDirectories(tmp.resolve("fresh-machine"));
            assertEquals(0, Files.list(empty).count());
            try (SourceTor tor = SourceTor.start(sourceTor, LONG)) {
                DropSource source = new DropSource(tor::dial, RANDOM, Duration.ofSeconds(30));
                IdentityKeyPair key = DropCodename.parse(String.join("  ", codename.words()).toUpperCase())
                        .sourceKey(address);
                DropSource.Answer back = untilReachable(() -> source.checkIn(address, key));
                assertFalse(back.stored());
                assertEquals(DropSource.Status.REPLIED, back.status());
                assertEquals(1, back.replies().size());
                assertEquals("Thank you. Can you tell us when?", back.replies().get(0).text());

                byte[] again = source.newId();
                DropSource.Answer second = untilReachable(() -> source.submit(address, key, again, "Last Tuesday."));
                assertTrue(second.stored());
                assertEquals(1, second.replies().size());

                DropSource.Answer wrong = untilReachable(() -> source.checkIn(address,
                        DropCodename.generate(RANDOM).sourceKey(address)));
                assertEquals(DropSource.Status.RECEIVED, wrong.status());
                assertTrue(wrong.replies().isEmpty());
                assertEquals(DropLine.DEFAULT_ACKNOWLEDGEMENT, wrong.acknowledgement());
                assertNull(wrong.refusal());

                // 4. A bounded flood from fresh keys (more than the global burst), then the legitimate source.
                long floodStart = System.nanoTime();
                ExecutorService pool = Executors.newFixedThreadPool(8);
                List<Future<Boolean>> flood = new ArrayList<>();
                for (int i = 0; i < 45; i++) {
                    flood.add(pool.submit(() -> {
                        IdentityKeyPair k = IdentityKeyPair.generate(RANDOM);
                        try {
                            return source.submit(address, k, source.newId(), "flood").stored();
                        } catch (IOException e) {
                            return false;
                        }
                    }));
                }
                // While the flood comes in, the drop line's profile and its contact chat both ways.
                List<org.allium.core.api.MessageId> out = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    out.add(line.messenger.sendMessage(chat[0], "during the flood " + i));
                }
                org.allium.core.api.MessageId in = colleague.messenger.sendMessage(chat[1], "the chat goes on");
                for (org.allium.core.api.MessageId m : out) {
                    MessengerIT.awaitDelivered(line, m);
                }
                MessengerIT.awaitDelivered(colleague, in);
                int stored = 0;
                for (Future<Boolean> f : flood) {
                    stored += f.get() ? 1 : 0;
                }
                pool.shutdown();
                // The shared bucket (burst 30, 30 per minute) bounds what fresh keys get stored.
                double seconds = (System.nanoTime() - floodStart) / 1e9;
                assertTrue(stored <= 30 + seconds / 2 + 2, "stored " + stored + " of the flood in " + seconds + " s");
                byte[] third = source.newId();
                DropSource.Answer after = untilReachable(() -> source.submit(address, key, third, "Still there?"));
                assertTrue(after.stored());
            }
            DropStore.Case c = drop.get(caseId);
            assertEquals(3, c.submissions());
            assertEquals(DropStore.State.NEW, c.state(), "a new submission puts the case back to new");
        }
    }

    interface Call {
        DropSource.Answer call() throws IOException, InterruptedException;
    }

    /** Retries while the drop line cannot be reached yet (descriptor publication) or refuses for now. */
    static DropSource.Answer untilReachable(Call c) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return c.call();
            } catch (IOException e) {
                last = e;
                Thread.sleep(2000);
            }
        }
        throw last;
    }
}
