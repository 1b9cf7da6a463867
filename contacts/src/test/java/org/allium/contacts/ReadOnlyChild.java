package org.allium.contacts;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.allium.contacts.api.ReadOnlyProfileException;

/**
 * {@link ReadOnlyMediaTest}'s child, in a mount namespace of its own with {@code args[0]} a
 * tmpfs: writes a profile there, remounts the file system read-only (as read-only media
 * are), and opens the profile again. Prints {@code OK} at the end; a failed check throws.
 */
public final class ReadOnlyChild {
    private ReadOnlyChild() {
    }

    public static void main(String[] args) {
        ChildMain.run(args, ReadOnlyChild::run); // exits 1 at once on a failure
    }

    private static void run(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path mount = Path.of(args[0]);
        Path dir = mount.resolve("p");
        ProfileManager m = TestProfiles.manager(new TestProfiles.MutableClock());
        ContactId bob;
        try (Profile p = TestProfiles.create(m, dir)) {
            bob = TestProfiles.acceptedContact(p);
            for (int i = 0; i < 30; i++) {
                p.messages().enqueueOutgoing(bob, "kept " + i);
            }
        }
        Process remount = new ProcessBuilder("mount", "-o", "remount,ro", mount.toString()).inheritIO().start();
        check(remount.waitFor() == 0, "remount read-only");
        Map<String, String> before = TestProfiles.hashes(mount);
        try (Profile p = m.open(dir, TestProfiles.PASSPHRASE)) {
            check(p.isReadOnly(), "opened read-only");
            check(p.messages().page(bob, Long.MAX_VALUE, 100).size() == 30, "the history reads");
            check(p.contacts().get(bob).isPresent(), "the contact reads");
            try {
                p.messages().enqueueOutgoing(bob, "refused");
                throw new AssertionError("a write to a read-only profile was accepted");
            } catch (ReadOnlyProfileException e) {
                check(e.getMessage().contains("read-only"), e.getMessage());
            }
        }
        check(before.equals(TestProfiles.hashes(mount)), "no file changed");
        out.println("OK");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
