package org.allium.core;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.allium.contacts.ContactsModule;
import org.allium.contacts.api.DropStore;
import org.allium.contacts.api.KdfParams;
import org.allium.contacts.api.Profile;
import org.allium.core.dropline.DropLineDesk;
import org.allium.core.dropline.DropSource;
import org.allium.protocol.IdentityKeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attachments from a source to a drop line (PROTOCOL.md §13.5) over real sockets and the real
 * handshake, without tor: uploaded on the submission's connection, verified, resumed after a
 * broken connection from what the drop line says it has (the source keeps nothing), refused
 * above the quotas.
 */
class DropUploadTest {
    static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path tmp;
    Profile profile;
    DropLineDesk desk;
    final IdentityKeyPair line = IdentityKeyPair.generate(RANDOM);
    final IdentityKeyPair source = IdentityKeyPair.generate(RANDOM);
    final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    final ExecutorService threads = IoPool.create(IoPool.MAX_THREADS, Executors.defaultThreadFactory()); // bounded, as the app's io
    ServerSocket server;
    /** Bytes the source may still send through the proxy before it cuts the connection (a lost circuit). */
    final AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
    /** Bytes the source sent through the proxy, in all. */
    final AtomicLong sent = new AtomicLong();
    ServerSocket proxy;
    /** Connections the drop line finished with. */
    final java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();

    /** Waits until the drop line finished with {@code n} connections (it drains what arrived before the cut). */
    void awaitServed(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (served.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(served.get() >= n, "the drop line still serves the connection");
    }

    @BeforeEach
    void start() throws Exception {
        profile = ContactsModule.profileManager(Runnable::run).create(tmp.resolve("line"),
                "correct horse battery staple".toCharArray(), null, KdfParams.FAST_INSECURE_FOR_TESTS);
        desk = new DropLineDesk(profile, RANDOM, Clock.systemUTC(),
                new DropStore.Quotas(100, 1_000_000, 100, 10_000_000, 3_000_000, 4_000_000, 8_000_000),
                Duration.ofSeconds(10), line.address());
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        ProtocolWire wire = new ProtocolWire(timers, RANDOM);
        DropLineDoor door = new DropLineDoor(desk, () -> false);
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    threads.execute(() -> {
                        Session session = null;
                        try {
                            session = wire.accept(s, line, line.address(), EnumSet.of(Wire.Purpose.DROP_SUBMISSION),
                                    Duration.ofSeconds(10), c -> null);
                            door.serve(session, () -> { });
                        } catch (Exception e) {
                            // a cut connection: the source tries again
                        } finally {
                            served.incrementAndGet();
                            if (session != null) {
                                session.close();
                            }
                            OnionHost.closeQuietly(s);
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        threads.execute(this::proxyLoop);
    }

    /** Forwards to the drop line; cuts both directions once the source used up {@link #budget}. */
    private void proxyLoop() {
        while (!proxy.isClosed()) {
            try {
                Socket in = proxy.accept();
                Socket out = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                threads.execute(() -> pump(in, out, true));
                threads.execute(() -> pump(out, in, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromSource) {
        byte[] b = new byte[8192];
        try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
            for (int n; (n = i.read(b)) >= 0; ) {
                if (fromSource) {
                    sent.addAndGet(n);
                    if (budget.addAndGet(-n) < 0) {
                        break;
                    }
                }
                o.write(b, 0, n);
            }
        } catch (IOException e) {
            // one side went
        } finally {
            OnionHost.closeQuietly(from);
            OnionHost.closeQuietly(to);
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        proxy.close();
        threads.shutdownNow();
        timers.shutdownNow();
        profile.close();
    }

    DropSource dropSource() {
        return new DropSource(onion -> new Socket(InetAddress.getLoopbackAddress(), proxy.getLocalPort()), RANDOM,
                Duration.ofSeconds(10));
    }

    Path file(String name, int size) throws IOException {
        byte[] b = new byte[size];
        RANDOM.nextBytes(b);
        return Files.write(tmp.resolve(name), b);
    }

    @Test
    void attachmentsArriveVerifiedAndExportIdentical() throws Exception {
        Path a = file("memo.pdf", 300_000);
        Path empty = file("empty.txt", 0);
        List<DropSource.Attachment> files = List.of(DropSource.attach(a), DropSource.attach(empty));
        List<Long> progress = new ArrayList<>();
        DropSource.Answer answer = dropSource().submit(line.address(), source, "see the memo", files,
                (i, done, size) -> {
                    if (i == 0) {
                        progress.add(done);
                    }
                });
        assertTrue(answer.stored());
        assertEquals(2, answer.files().size());
        assertTrue(answer.files().stream().allMatch(DropSource.FileStatus::complete), answer.files().toString());
        assertEquals(300_000L, progress.get(progress.size() - 1));
        long caseId = desk.cases().get(0).id();
        List<DropStore.Attachment> stored = desk.attachments(caseId);
        assertEquals(2, stored.size());
        assertTrue(stored.get(0).complete() && stored.get(1).complete());
        Path out = Files.createDirectory(tmp.resolve("out"));
        Path exported = desk.export(caseId, stored.get(0).fileId(), out);
        assertEquals("memo.pdf", exported.getFileName().toString());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(exported));
        assertEquals("memo (1).pdf", desk.export(caseId, stored.get(0).fileId(), out).getFileName().toString(),
                "an existing file is never replaced");
        assertEquals(0, Files.size(desk.export(caseId, stored.get(1).fileId(), out)));

        long before = sent.get();
        DropSource.Answer again = dropSource().submit(line.address(), source, "see the memo", files, null);
        assertTrue(again.stored(), "the same submission is acknowledged again");
        assertTrue(sent.get() - before < 20_000, "nothing is uploaded twice: " + (sent.get() - before));
        assertEquals(1, desk.cases().get(0).submissions(), "and stored once");
        assertEquals(2, desk.attachments(caseId).size());
    }

    @Test
    void aBrokenUploadResumesWhereItStoppedWithNothingKeptByTheSource() throws Exception {
        Path a = file("video.bin", 2_000_000);
        List<DropSource.Attachment> files = List.of(DropSource.attach(a));
        budget.set(900_000);
        assertThrows(IOException.class, () -> dropSource().submit(line.address(), source, "video", files, null));
        awaitServed(1);
        long caseId = desk.cases().get(0).id();
        DropStore.Attachment partial = desk.attachments(caseId).get(0);
        assertFalse(partial.complete());
        assertTrue(partial.received() > 0 && partial.received() < 2_000_000, partial.toString());
        budget.set(Long.MAX_VALUE);
        DropSource.Answer check = dropSource().checkIn(line.address(), source);
        assertEquals(1, check.files().size());
        assertFalse(check.files().get(0).complete(), "the source sees the attachment is incomplete");
        assertEquals(partial.received(), check.files().get(0).received());

        long before = sent.get();
        // a fresh DropSource and a fresh hash of the file: nothing of the first attempt is kept
        DropSource.Answer answer = dropSource().submit(line.address(), source, "video",
                List.of(DropSource.attach(a)), null);
        assertTrue(answer.files().get(0).complete());
        long resent = sent.get() - before;
        assertTrue(resent < 2_000_000 - partial.received() + 64 * 61_440 + 50_000,
                "only what was missing (plus at most a window) is sent again: " + resent);
        Path out = Files.createDirectory(tmp.resolve("out"));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(desk.export(caseId,
                desk.attachments(caseId).get(0).fileId(), out)));
    }

    @Test
    void aFileChangedSinceItWasReadEndsTheUploadWithSourceChangedNotARetry() throws Exception {
        Path a = file("draft.bin", 200_000);
        List<DropSource.Attachment> files = List.of(DropSource.attach(a));
        byte[] other = Files.readAllBytes(a);
        other[100] ^= 1; // same size, another first chunk
        Files.write(a, other);
        DropSource.SourceChangedException e = assertThrows(DropSource.SourceChangedException.class,
                () -> dropSource().submit(line.address(), source, "draft", files, null));
        assertEquals(0, e.index());
        awaitServed(1);
        assertFalse(desk.attachments(desk.cases().get(0).id()).get(0).complete(), "nothing of the changed file is complete");
    }

    @Test
    void quotasRefuseWithAReasonBeforeAnyByteIsSent() throws Exception {
        Path big = file("big.bin", 3_000_001);
        DropSource.Answer a = dropSource().submit(line.address(), source, "too big",
                List.of(DropSource.attach(big)), null);
        assertFalse(a.stored());
        assertEquals(DropSource.Refusal.TOO_LARGE, a.refusal());
        assertEquals(3_000_000, a.maxFileSize(), "the drop line says its per-file limit (PROTOCOL.md §13.1)");
        Path two = file("two.bin", 2_500_000);
        assertTrue(dropSource().submit(line.address(), source, "one", List.of(DropSource.attach(two)), null).stored());
        DropSource.Answer b = dropSource().submit(line.address(), source, "two",
                List.of(DropSource.attach(file("three.bin", 2_000_000))), null);
        assertEquals(DropSource.Refusal.SOURCE_QUOTA, b.refusal(), "the case's 4 MB are used up");
        assertEquals(0, b.maxFileSize(), "a limit goes with 'too large' only");
        assertTrue(desk.cases().get(0).submissions() == 1);
    }
}
