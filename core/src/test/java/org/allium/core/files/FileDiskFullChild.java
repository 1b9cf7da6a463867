package org.allium.core.files;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.allium.contacts.ContactsModule;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.DiskFullException;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.KdfParams;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.allium.contacts.api.StoreEvent;
import org.allium.core.api.FileEvent;
import org.allium.core.api.FileTransfer;
import org.allium.core.ChildProcess;
import org.allium.core.api.MessageId;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.proto.Envelope;

/**
 * {@link FileDiskFullTest}'s child, in a mount namespace of its own: the receiver's profile
 * is on the small tmpfs {@code args[0]}, the sender's (and the source file) in {@code args[1]}.
 * Mid-transfer the tmpfs is filled: the download pauses with {@link FileEngine#DISK_FULL}
 * (an event), the store reports the disk full once, what was confirmed stays; once space is
 * back (the store's check, as the messenger's DiskWatch polls it) the transfer goes on by
 * itself and completes identical, with at most a window re-sent. Prints {@code STEP …} and
 * {@code OK}; a failure ends it with an exception.
 */
public final class FileDiskFullChild {
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    /** The store's own reserve (contacts' Database.MIN_FREE_BYTES): writes are refused below it. */
    private static final long STORE_MIN_FREE = 8L << 20;
    private static final int COUNT = 200; // 12 MB
    private static final int BEFORE_FILL = 40;

    private FileDiskFullChild() {
    }

    public static void main(String[] args) {
        ChildProcess.run(args, FileDiskFullChild::run); // exits 1 at once on a failure
    }

    private static void run(String[] args) throws Exception {
        Path mount = Path.of(args[0]);
        Path outside = Path.of(args[1]);
        SecureRandom random = new SecureRandom();
        ExecutorService io = Executors.newCachedThreadPool();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        ExecutorService events = Executors.newSingleThreadExecutor();
        ProfileManager m = ContactsModule.profileManager(Runnable::run, Clock.systemUTC(), random,
                KdfParams.FAST_INSECURE_FOR_TESTS);
        Profile pa = m.create(outside.resolve("a"), "pass a".toCharArray(), null);
        Profile pb = m.create(mount.resolve("b"), "pass b".toCharArray(), null);
        ContactId bAtA = contact(pa, pb, random);
        ContactId aAtB = contact(pb, pa, random);
        AtomicInteger chunksToB = new AtomicInteger();
        CountDownLatch filled = new CountDownLatch(1);
        // The sender waits before chunk BEFORE_FILL + 1 until the disk is filled.
        UnaryOperator<Envelope> hold = e -> {
            if (e.hasFileChunk() && chunksToB.get() == BEFORE_FILL + 1) {
                try {
                    filled.await();
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
            return e;
        };
        FileEngine[] engines = new FileEngine[2];
        FileEngine a = new FileEngine(pa, new MemoryLinks(() -> engines[1], () -> aAtB, io, UnaryOperator::identity,
                null), io, timers, events, Duration.ofMillis(200));
        FileEngine b = new FileEngine(pb, new MemoryLinks(() -> engines[0], () -> bAtA, io, () -> hold, chunksToB),
                io, timers, events, Duration.ofMillis(200));
        engines[0] = a;
        engines[1] = b;
        a.load();
        b.load();
        List<FileTransfer> changes = new CopyOnWriteArrayList<>();
        b.subscribe((FileEvent e) -> {
            if (e.kind() == FileEvent.Kind.CHANGED) {
                changes.add(e.transfer());
            }
        });
        List<Long> diskEvents = new CopyOnWriteArrayList<>();
        pb.addListener(e -> {
            if (e instanceof StoreEvent.DiskSpaceChanged d) {
                diskEvents.add(d.bytesNeeded());
            }
        });

        byte[] content = new byte[FileEngine.CHUNK_SIZE * COUNT - 7];
        new Random(5).nextBytes(content);
        Path src = Files.write(outside.resolve("src.bin"), content);
        FileTransfer offered = a.offer(new org.allium.core.api.ContactId(bAtA.value()), src);
        MessageId id = offered.id();
        Message msg = pa.messages().pendingFor(bAtA).stream().filter(x -> x.id().toHex().equals(id.hex()))
                .findFirst().orElseThrow();
        b.onSessionMessage(aAtB, a.offerFor(msg));
        b.accept(id, null);
        await(() -> chunksToB.get() > BEFORE_FILL && done(b, id) >= (long) BEFORE_FILL * FileEngine.CHUNK_SIZE,
                "the first chunks stored");
        step("receiving, " + done(b, id) + " bytes");

        // The disk fills up (another program): 2 MB above the store's reserve are left.
        Path ballast = mount.resolve("ballast");
        long free = Files.getFileStore(mount).getUsableSpace();
        fill(ballast, free - STORE_MIN_FREE - 2_000_000);
        filled.countDown();
        await(() -> state(b, id) == FileTransfer.State.PAUSED, "the download paused for the full disk");
        FileTransfer paused = b.get(id).orElseThrow();
        check(FileEngine.DISK_FULL.equals(paused.reason()), "reason: " + paused.reason());
        // The event goes out on the event thread after the state is set: wait for it, don't race it.
        await(() -> changes.stream().anyMatch(t -> t.state() == FileTransfer.State.PAUSED
                && FileEngine.DISK_FULL.equals(t.reason())), "an event says paused for the full disk");
        check(diskEvents.size() == 1 && diskEvents.get(0) > 0, "one disk-full episode reported: " + diskEvents);
        long kept = paused.bytesDone();
        check(kept > (long) BEFORE_FILL * FileEngine.CHUNK_SIZE && kept < content.length,
                "chunks written until the disk was full: " + kept);
        try {
            pb.messages().enqueueOutgoing(aAtB, "while full");
            throw new AssertionError("the store took a write below its reserve");
        } catch (DiskFullException e) {
            step("the store refuses too: " + e.getMessage());
        }
        Thread.sleep(1000);
        check(state(b, id) == FileTransfer.State.PAUSED, "it stays paused while the disk is full");
        long confirmed = a.get(id).orElseThrow().bytesDone();
        check(confirmed <= kept, "the sender was told of no more than was stored: " + confirmed + " > " + kept);
        step("paused at " + kept + " bytes (" + confirmed + " confirmed to the sender)");

        // Space comes back: the store's check (the messenger's DiskWatch asks it every 2 s) says so,
        // and the transfer goes on by itself.
        Files.delete(ballast);
        await(() -> pb.checkDiskSpace() == 0, "the store sees room again");
        await(() -> state(b, id) == FileTransfer.State.COMPLETE, "completed after the disk had room again");
        check(diskEvents.size() == 2 && diskEvents.get(1) == 0, "room again reported: " + diskEvents);
        Path saved = b.export(id, Files.createDirectories(outside.resolve("out")));
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        check(MessageDigest.isEqual(md.digest(content), md.digest(Files.readAllBytes(saved))), "identical");
        long resent = b.chunksReceived() - COUNT;
        check(resent <= FileEngine.WINDOW_CHUNKS, "re-sent " + resent + " chunks, more than a window");
        step("completed, " + resent + " chunks received twice");

        a.stop();
        b.stop();
        timers.shutdownNow();
        io.shutdown();
        io.awaitTermination(20, TimeUnit.SECONDS);
        events.shutdown();
        pa.close();
        pb.close();
        OUT.println("OK");
    }

    private static ContactId contact(Profile me, Profile them, SecureRandom random) throws Exception {
        Contact c = me.contacts().addOutgoingRequest(them.identity().address(), null, null, null,
                EndpointKeys.ours(IdentityKeyPair.generate(random), ClientAuthKeyPair.generate(random).publicKeyBase32()));
        return me.contacts().accept(c.id(), EndpointKeys.theirs(IdentityKeyPair.generate(random).address(),
                ClientAuthKeyPair.generate(random))).id();
    }

    private static long done(FileEngine e, MessageId id) {
        return e.get(id).orElseThrow().bytesDone();
    }

    private static FileTransfer.State state(FileEngine e, MessageId id) {
        return e.get(id).orElseThrow().state();
    }

    private static void fill(Path f, long bytes) throws Exception {
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(f)) {
            for (long n = 0; n < bytes; n += block.length) {
                out.write(block, 0, (int) Math.min(block.length, bytes - n));
            }
        }
    }

    private static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    private static void step(String s) {
        OUT.println("STEP " + s);
    }
}
