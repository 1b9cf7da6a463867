package org.allium.core.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.allium.contacts.ContactsModule;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.KdfParams;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.allium.core.api.FileEvent;
import org.allium.core.api.FileTransfer;
import org.allium.core.api.MessageId;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.proto.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link FileEngine} on both sides with real profiles, joined by in-memory links
 * instead of tor: hostile and broken peers (a tampered chunk, a lying hash list, a changed
 * source file, chunks out of range, a cut stream, size caps and offer floods).
 */
class FileEngineTest {
    private static final char[] PASS = "test passphrase".toCharArray();
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService io = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService events = Executors.newSingleThreadExecutor();

    @TempDir
    Path tmp;

    private Profile pa;
    private Profile pb;
    private ContactId bAtA;
    private ContactId aAtB;
    private FileEngine a;
    private FileEngine b;
    /** Applied to every stream message from the sender (a) to the receiver (b); null drops it. */
    private volatile UnaryOperator<Envelope> toReceiver = UnaryOperator.identity();
    private final AtomicInteger chunksSent = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        ProfileManager m = ContactsModule.profileManager(Runnable::run, Clock.systemUTC(), random,
                KdfParams.FAST_INSECURE_FOR_TESTS);
        pa = m.create(tmp.resolve("a"), PASS, null);
        pb = m.create(tmp.resolve("b"), PASS, null);
        bAtA = contact(pa, pb);
        aAtB = contact(pb, pa);
        a = new FileEngine(pa, new MemoryLinks(() -> b, () -> aAtB, io, UnaryOperator::identity, null), io, timers,
                events, Duration.ofMillis(200));
        b = new FileEngine(pb, new MemoryLinks(() -> a, () -> bAtA, io, () -> toReceiver, chunksSent), io, timers,
                events, Duration.ofMillis(200));
        a.load();
        b.load();
    }

    @AfterEach
    void tearDown() throws Exception {
        a.stop();
        b.stop();
        timers.shutdownNow();
        // No interrupts: an interrupt inside H2's file I/O closes its channel.
        io.shutdown();
        io.awaitTermination(20, TimeUnit.SECONDS);
        events.shutdown();
        pa.close();
        pb.close();
    }

    private ContactId contact(Profile me, Profile them) throws Exception {
        Contact c = me.contacts().addOutgoingRequest(them.identity().address(), null, null, null,
                EndpointKeys.ours(IdentityKeyPair.generate(random), ClientAuthKeyPair.generate(random).publicKeyBase32()));
        return me.contacts().accept(c.id(), EndpointKeys.theirs(IdentityKeyPair.generate(random).address(),
                ClientAuthKeyPair.generate(random))).id();
    }

    // ---- helpers ----

    private Path file(int size) throws IOException {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        Path p = Files.createTempFile(tmp, "src", ".bin");
        Files.write(p, b);
        return p;
    }

    /** a offers, the offer is delivered to b (as the session would), b accepts. */
    private MessageId offerAndAccept(Path f) throws Exception {
        MessageId id = deliverOffer(f);
        b.accept(id, null);
        return id;
    }

    private MessageId deliverOffer(Path f) throws Exception {
        FileTransfer t = a.offer(new org.allium.core.api.ContactId(bAtA.value()), f);
        Message m = pa.messages().pendingFor(bAtA).stream()
                .filter(x -> x.id().toHex().equals(t.id().hex())).findFirst().orElseThrow();
        Envelope offer = a.offerFor(m);
        assertEquals(m.id(), b.onSessionMessage(aAtB, offer), "the stored offer is acknowledged");
        return t.id();
    }

    private FileTransfer await(FileEngine e, MessageId id, FileTransfer.State state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            FileTransfer t = e.get(id).orElseThrow();
            if (t.state() == state) {
                return t;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not " + state + ": " + e.get(id));
    }

    private void assertReceivedIdentical(MessageId id, Path source) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path saved = b.export(id, out);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        assertArrayEquals(md.digest(Files.readAllBytes(source)), md.digest(Files.readAllBytes(saved)));
    }

    private static Envelope flipChunkByte(Envelope e) {
        byte[] d = e.getFileChunk().getData().toByteArray();
        d[d.length / 2] ^= 1;
        return e.toBuilder().setFileChunk(e.getFileChunk().toBuilder()
                .setData(com.google.protobuf.ByteString.copyFrom(d))).build();
    }

    // ---- tests ----

    /** A FILE_STREAM that never asks for anything: receive() waits until it is closed. */
    private static final class IdleLink implements FileLink {
        final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void send(Envelope message) {
        }

        @Override
        public Envelope receive() throws IOException {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("closed");
        }

        @Override
        public boolean inputPending() {
            return false;
        }

        @Override
        public void setReadTimeout(Duration timeout) {
        }

        @Override
        public void finish() {
            close();
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void aContactGetsAtMostFourFileStreamsServedAtOnce() throws Exception {
        List<IdleLink> links = new java.util.ArrayList<>();
        for (int i = 0; i < FileEngine.MAX_STREAMS_PER_CONTACT; i++) {
            IdleLink l = new IdleLink();
            links.add(l);
            io.execute(() -> a.serve(bAtA, l));
        }
        // Once the four are being served, a fifth waits SLOT_WAIT for one of them, then is closed.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (a.servingNow(bAtA) < FileEngine.MAX_STREAMS_PER_CONTACT && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        IdleLink fifth = new IdleLink();
        io.execute(() -> a.serve(bAtA, fifth));
        assertTrue(fifth.closed.await(20, TimeUnit.SECONDS), "a stream beyond the bound is closed");
        assertTrue(links.stream().allMatch(l -> l.closed.getCount() == 1), "the four being served stay open");
        links.forEach(IdleLink::close);
    }

    @Test
    void atMostSixteenFileStreamsAreServedAtOnceOverAllContacts() throws Exception {
        List<IdleLink> links = new java.util.ArrayList<>();
        int contacts = FileEngine.MAX_STREAMS_SERVED / FileEngine.MAX_STREAMS_PER_CONTACT;
        for (int c = 0; c < contacts; c++) {
            org.allium.contacts.api.ContactId contact = new org.allium.contacts.api.ContactId(1000 + c);
            for (int i = 0; i < FileEngine.MAX_STREAMS_PER_CONTACT; i++) {
                IdleLink l = new IdleLink();
                links.add(l);
                io.execute(() -> a.serve(contact, l));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (a.servingTotal() < FileEngine.MAX_STREAMS_SERVED && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        // Each contact is within its own bound; one more stream from yet another contact is closed.
        IdleLink extra = new IdleLink();
        io.execute(() -> a.serve(new org.allium.contacts.api.ContactId(2000), extra));
        assertTrue(extra.closed.await(20, TimeUnit.SECONDS), "a stream beyond the overall bound is closed");
        assertTrue(links.stream().allMatch(l -> l.closed.getCount() == 1), "the ones being served stay open");
        links.forEach(IdleLink::close);
    }

    @Test
    void aTransferCompletesIdenticalOnBothSides() throws Exception {
        Path f = file(FileEngine.CHUNK_SIZE * 5 + 3);
        MessageId id = offerAndAccept(f);
        await(b, id, FileTransfer.State.COMPLETE);
        await(a, id, FileTransfer.State.COMPLETE);
        assertReceivedIdentical(id, f);
        assertEquals(6, chunksSent.get(), "each chunk sent once");
    }

    @Test
    void aTamperedChunkIsRejectedAndRequestedAgain() throws Exception {
        AtomicInteger n = new AtomicInteger();
        toReceiver = e -> e.hasFileChunk() && e.getFileChunk().getIndex() == 2 && n.getAndIncrement() == 0
                ? flipChunkByte(e) : e;
        Path f = file(FileEngine.CHUNK_SIZE * 8);
        MessageId id = offerAndAccept(f);
        await(b, id, FileTransfer.State.COMPLETE);
        assertReceivedIdentical(id, f);
        assertTrue(chunksSent.get() > 8, "chunk 2 was sent again");
        assertTrue(chunksSent.get() <= 8 + FileEngine.WINDOW);
    }

    @Test
    void aSenderThatKeepsSendingBadDataFailsTheTransfer() throws Exception {
        toReceiver = e -> e.hasFileChunk() && e.getFileChunk().getIndex() == 1 ? flipChunkByte(e) : e;
        MessageId id = offerAndAccept(file(FileEngine.CHUNK_SIZE * 3));
        FileTransfer t = await(b, id, FileTransfer.State.FAILED);
        assertTrue(t.reason().contains("did not match"), t.reason());
        await(a, id, FileTransfer.State.FAILED);
    }

    @Test
    void aLyingHashListAbortsTheTransfer() throws Exception {
        toReceiver = e -> {
            if (!e.hasFileHashes()) {
                return e;
            }
            byte[] h = e.getFileHashes().getHashes().toByteArray();
            h[0] ^= 1;
            return e.toBuilder().setFileHashes(e.getFileHashes().toBuilder()
                    .setHashes(com.google.protobuf.ByteString.copyFrom(h))).build();
        };
        MessageId id = offerAndAccept(file(FileEngine.CHUNK_SIZE * 3));
        FileTransfer t = await(b, id, FileTransfer.State.FAILED);
        assertTrue(t.reason().contains("hash list"), t.reason());
        await(a, id, FileTransfer.State.FAILED);
        assertEquals(0, dataBytes(pb), "no chunk stored after a refused hash list");
    }

    @Test
    void aChunkOutOfRangeEndsTheTransfer() throws Exception {
        toReceiver = e -> e.hasFileChunk() ? e.toBuilder().setFileChunk(e.getFileChunk().toBuilder().setIndex(99))
                .build() : e;
        MessageId id = offerAndAccept(file(FileEngine.CHUNK_SIZE * 2));
        assertTrue(await(b, id, FileTransfer.State.FAILED).reason().contains("does not belong"));
    }

    @Test
    void aSourceFileChangedAfterTheOfferFailsCleanlyOnBothSides() throws Exception {
        Path f = file(FileEngine.CHUNK_SIZE * 4);
        MessageId id = deliverOffer(f);
        byte[] content = Files.readAllBytes(f);
        content[FileEngine.CHUNK_SIZE * 2 + 5] ^= 1; // same size, other bytes
        Files.write(f, content);
        b.accept(id, null);
        FileTransfer t = await(a, id, FileTransfer.State.FAILED);
        assertTrue(t.reason().contains("changed"), t.reason());
        FileTransfer r = await(b, id, FileTransfer.State.FAILED);
        assertTrue(r.reason().contains("changed"), r.reason());
        assertEquals(2, chunksSent.get(), "the chunks before the change, nothing wrong");
    }

    @Test
    void aVanishedOriginalIsShownAsGoneOnBothSides() throws Exception {
        Path f = file(FileEngine.CHUNK_SIZE * 2);
        MessageId id = deliverOffer(f);
        assertFalse(a.get(id).orElseThrow().originalGone());
        Files.delete(f);
        // The sender sees it at once, while the offer still waits for an answer.
        FileTransfer waiting = a.get(id).orElseThrow();
        assertEquals(FileTransfer.State.OFFERED, waiting.state());
        assertTrue(waiting.originalGone(), "outgoing, the original is gone");
        b.accept(id, null);
        assertTrue(await(a, id, FileTransfer.State.FAILED).originalGone());
        FileTransfer r = await(b, id, FileTransfer.State.FAILED);
        assertTrue(r.originalGone(), "the receiver is told the original is gone: " + r);
        assertEquals(0, chunksSent.get());
    }

    @Test
    void progressEventsAreAtMostFourASecondPerTransfer() throws Exception {
        // Slow the stream so the transfer lasts a few seconds: many chunks, each a progress.
        toReceiver = e -> {
            if (e.hasFileChunk()) {
                try {
                    Thread.sleep(15);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
            return e;
        };
        List<Long> receiverProgress = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> senderProgress = new java.util.concurrent.CopyOnWriteArrayList<>();
        b.subscribe(ev -> {
            if (ev.kind() == FileEvent.Kind.PROGRESS) {
                receiverProgress.add(System.nanoTime());
            }
        });
        a.subscribe(ev -> {
            if (ev.kind() == FileEvent.Kind.PROGRESS) {
                senderProgress.add(System.nanoTime());
            }
        });
        int count = 200;
        Path f = file(FileEngine.CHUNK_SIZE * count);
        long start = System.nanoTime();
        MessageId id = offerAndAccept(f);
        await(b, id, FileTransfer.State.COMPLETE);
        await(a, id, FileTransfer.State.COMPLETE);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds > 2, "the transfer must last long enough to tell: " + seconds + " s");
        for (List<Long> times : List.of(receiverProgress, senderProgress)) {
            assertTrue(times.size() >= 3, "some progress is reported: " + times.size());
            // At most one event per 250 ms, plus the final one (counted over the whole run: the
            // times are when delivered, which a loaded machine may bunch).
            assertTrue(times.size() <= 4 * seconds + 2, times.size() + " events in " + seconds + " s");
        }
    }

    @Test
    void aCutStreamResumesAndResendsAtMostAWindow() throws Exception {
        AtomicInteger n = new AtomicInteger();
        int count = 300;
        toReceiver = e -> e.hasFileChunk() && n.incrementAndGet() == 150 ? MemoryLinks.CUT : e;
        Path f = file(FileEngine.CHUNK_SIZE * count);
        MessageId id = offerAndAccept(f);
        await(b, id, FileTransfer.State.COMPLETE);
        assertReceivedIdentical(id, f);
        int resent = chunksSent.get() - count;
        assertTrue(resent >= 1 && resent <= FileEngine.WINDOW, "re-sent " + resent);
    }

    /**
     * A stream that goes silent without closing (tor did not tell the receiver for 120 s that a
     * killed sender's circuit was gone): when the contact's session comes up again, the receiver
     * dials a fresh stream at once instead of waiting for the read timeout.
     */
    @Test
    void aSilentStreamIsReplacedWhenTheContactComesBack() throws Exception {
        b.staleAfter = Duration.ofMillis(500);
        AtomicInteger n = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean frozen = new java.util.concurrent.atomic.AtomicBoolean();
        toReceiver = e -> {
            if (e.hasFileChunk() && n.incrementAndGet() == 100) {
                frozen.set(true);
            }
            return frozen.get() ? null : e; // dropped: the stream stays open and says nothing
        };
        int count = 200;
        Path f = file(FileEngine.CHUNK_SIZE * count);
        MessageId id = offerAndAccept(f);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!frozen.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(frozen.get(), "the stream went silent");
        Thread.sleep(1000); // longer than staleAfter: the silence is what is tested
        toReceiver = UnaryOperator.identity();
        frozen.set(false);
        b.contactOnline(aAtB);
        await(b, id, FileTransfer.State.COMPLETE); // 30 s, far below the 120 s read timeout
        assertReceivedIdentical(id, f);
    }

    /**
     * More accepted transfers from one contact than it serves streams to us at once: the
     * receiver opens at most {@link FileEngine#MAX_STREAMS_PER_CONTACT} and starts the others as
     * those end. Before, the fifth stream was closed by the sender at once, and an empty file
     * on it was COMPLETE at the receiver (it reads nothing from the sender) but never at the
     * sender (FileDone went into the closed stream): seen in FileTransferIT.
     */
    @Test
    void moreTransfersThanStreamsPerContactAllCompleteOnBothSides() throws Exception {
        toReceiver = e -> {
            if (e.hasFileChunk()) {
                try {
                    Thread.sleep(5); // the four big ones stay busy while the empty ones are accepted
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
            return e;
        };
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < FileEngine.MAX_STREAMS_PER_CONTACT; i++) {
            ids.add(offerAndAccept(file(FileEngine.CHUNK_SIZE * 100 + i)));
        }
        for (int i = 0; i < 2; i++) {
            Path empty = Files.createTempFile(tmp, "empty", ".bin");
            ids.add(offerAndAccept(empty));
        }
        for (MessageId id : ids) {
            await(b, id, FileTransfer.State.COMPLETE);
            await(a, id, FileTransfer.State.COMPLETE);
        }
    }

    @Test
    void offersAboveTheCapAndFloodsAreDeclinedWithoutAsking() throws Exception {
        b.setMaxIncomingBytes(FileEngine.CHUNK_SIZE);
        MessageId big = deliverOffer(file(FileEngine.CHUNK_SIZE + 1));
        assertEquals(FileTransfer.State.DECLINED, b.get(big).orElseThrow().state());
        await(a, big, FileTransfer.State.DECLINED);
        Path small = file(10);
        for (int i = 0; i < FileEngine.MAX_WAITING_OFFERS + 3; i++) {
            deliverOffer(small);
        }
        List<FileTransfer> all = b.list(null);
        assertEquals(FileEngine.MAX_WAITING_OFFERS, all.stream().filter(t -> t.state() == FileTransfer.State.OFFERED).count());
    }

    @Test
    void autoAcceptUpToTheContactsLimit() throws Exception {
        b.setAutoAcceptBytes(new org.allium.core.api.ContactId(aAtB.value()), 1000);
        MessageId small = deliverOffer(file(1000));
        MessageId large = deliverOffer(file(1001));
        await(b, small, FileTransfer.State.COMPLETE);
        assertEquals(FileTransfer.State.OFFERED, b.get(large).orElseThrow().state());
    }

    @Test
    void cancellingDeletesPartialDataAndTellsTheSender() throws Exception {
        AtomicInteger n = new AtomicInteger();
        toReceiver = e -> e.hasFileChunk() && n.incrementAndGet() > 3 ? null : e; // stall after 3 chunks
        MessageId id = offerAndAccept(file(FileEngine.CHUNK_SIZE * 20));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (b.get(id).orElseThrow().bytesDone() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(dataBytes(pb) > 0, "partial data stored");
        b.cancel(id);
        await(a, id, FileTransfer.State.CANCELLED);
        assertEquals(0, dataBytes(pb), "partial data deleted");
    }

    @Test
    void removingTheContactDeletesItsTransfersData() throws Exception {
        AtomicInteger n = new AtomicInteger();
        toReceiver = e -> e.hasFileChunk() && n.incrementAndGet() > 3 ? null : e;
        MessageId id = offerAndAccept(file(FileEngine.CHUNK_SIZE * 20));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (b.get(id).orElseThrow().bytesDone() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        b.contactGone(aAtB);
        pb.contacts().remove(aAtB);
        assertEquals(0, dataBytes(pb));
        assertTrue(b.list(null).isEmpty());
    }

    private static long dataBytes(Profile p) throws IOException {
        Path dir = p.directory().resolve("files");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var s = Files.list(dir)) {
            return s.filter(x -> x.toString().endsWith(".data")).mapToLong(x -> x.toFile().length()).sum();
        }
    }
}
