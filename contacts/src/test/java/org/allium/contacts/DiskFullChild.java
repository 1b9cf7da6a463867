package org.allium.contacts;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.DiskFullException;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.allium.contacts.api.StoreEvent;
import org.allium.contacts.api.StoreException;

/**
 * {@link DiskFullTest}'s child: runs in a mount namespace of its own with {@code args[0]} a
 * small tmpfs, fills that file system and checks what the store does. Prints {@code STEP …}
 * lines as it goes and {@code OK} at the end; any failure ends it with an exception.
 */
public final class DiskFullChild {
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private DiskFullChild() {
    }

    public static void main(String[] args) {
        ChildMain.run(args, DiskFullChild::run); // exits 1 at once on a failure
    }

    private static void run(String[] args) throws Exception {
        Path mount = Path.of(args[0]);
        Path dir = mount.resolve("p");
        Path ballast = mount.resolve("ballast");
        ProfileManager m = TestProfiles.manager(new TestProfiles.MutableClock());
        TestProfiles.Events events = new TestProfiles.Events();
        Set<MessageId> acked = new HashSet<>();
        ContactId bob;
        try (Profile p = TestProfiles.create(m, dir)) {
            p.addListener(events.all::add);
            bob = TestProfiles.acceptedContact(p);
            for (int i = 0; i < 20; i++) {
                acked.add(p.messages().enqueueOutgoing(bob, "before " + i).id());
            }

            // 1. The disk fills up to 2 MB below the reserve: writes are refused before H2 writes.
            long free = Files.getFileStore(mount).getUsableSpace();
            fill(ballast, free - 2_000_000);
            for (int i = 0; i < 5; i++) {
                try {
                    p.messages().enqueueOutgoing(bob, "refused " + i);
                    throw new AssertionError("a write on a full disk was accepted");
                } catch (DiskFullException e) {
                    check(e.getMessage().startsWith("disk full: ") && e.getMessage().contains(" MB needed"),
                            e.getMessage());
                    check(e.bytesNeeded() > 5_000_000 && e.bytesNeeded() <= Database.MIN_FREE_BYTES,
                            "needed " + e.bytesNeeded());
                }
            }
            check(fullEvents(events).equals(List.of(true)), "one disk-full event: " + fullEvents(events));
            check(p.messages().page(bob, Long.MAX_VALUE, 100).size() == 20, "history reads while the disk is full");
            check(p.checkDiskSpace() > 0, "still full");
            OUT.println("STEP refused while full, read works");

            // Room again: writes resume by themselves, with one event.
            Files.delete(ballast);
            check(p.checkDiskSpace() == 0, "room again");
            check(fullEvents(events).equals(List.of(true, false)), "events " + fullEvents(events));
            acked.add(p.messages().enqueueOutgoing(bob, "after room").id());
            OUT.println("STEP resumed");

            // 2. A write that fails after the check passed (another program filled the disk in
            //    between): H2 closes itself; the store comes back once there is room.
            ((ProfileImpl) p).database().setMinFreeBytes(0);
            fill(ballast, Long.MAX_VALUE);
            int refused = 0;
            for (int i = 0; i < 400 && refused < 5; i++) {
                try {
                    acked.add(p.messages().enqueueOutgoing(bob, "x".repeat(1000) + " hard " + i).id());
                } catch (DiskFullException e) {
                    refused++;
                }
            }
            check(refused == 5, "writes on a disk with no space at all are refused: " + refused);
            check(fullEvents(events).equals(List.of(true, false, true)), "events " + fullEvents(events));
            Files.delete(ballast);
            acked.add(p.messages().enqueueOutgoing(bob, "after the hard failure").id());
            check(fullEvents(events).equals(List.of(true, false, true, false)), "events " + fullEvents(events));
            checkAll(p, bob, acked, "after the store came back");
            OUT.println("STEP resumed after H2 closed itself");
        }
        try (Profile p = m.open(dir, TestProfiles.PASSPHRASE)) {
            checkAll(p, bob, acked, "after a reopen");
        }
        OUT.println("OK " + acked.size());
    }

    private static List<Boolean> fullEvents(TestProfiles.Events events) {
        return events.of(StoreEvent.DiskSpaceChanged.class).stream().map(StoreEvent.DiskSpaceChanged::full).toList();
    }

    private static void checkAll(Profile p, ContactId bob, Set<MessageId> acked, String when) throws StoreException {
        List<Message> all = p.messages().page(bob, Long.MAX_VALUE, 1000);
        Set<MessageId> ids = new HashSet<>();
        for (Message msg : all) {
            check(ids.add(msg.id()), "no duplicate " + when);
        }
        check(ids.containsAll(acked), "every acknowledged message is there " + when + ": " + acked.size()
                + " acknowledged, " + ids.size() + " stored");
    }

    /** Writes zeros to {@code file} until {@code bytes} are written or the disk is full. */
    private static void fill(Path file, long bytes) throws IOException {
        byte[] b = new byte[64 * 1024];
        long written = 0;
        try (OutputStream o = Files.newOutputStream(file)) {
            while (written < bytes) {
                int n = (int) Math.min(b.length, bytes - written);
                o.write(b, 0, n);
                written += n;
            }
        } catch (IOException e) {
            if (bytes != Long.MAX_VALUE) {
                throw e;
            }
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
