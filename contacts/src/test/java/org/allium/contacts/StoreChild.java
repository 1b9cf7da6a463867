package org.allium.contacts;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.KdfParams;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileInUseException;
import org.allium.contacts.api.ProfileManager;

/**
 * A child JVM for the multi-process tests, started with the test classpath.
 * <ul>
 *   <li>{@code write <dir> <passphrase> <contactId> <prefix>}: opens the profile and, until
 *       killed, alternately queues an outgoing message and accepts an incoming one, printing
 *       {@code OUT <hex id>} / {@code IN <hex id>} only after the call returned (committed),
 *       and sometimes marks delivered what it queued.</li>
 *   <li>{@code halt <dir> <passphrase> <contactId> <prefix>}: queues and accepts five
 *       messages each, prints their ids, and halts the JVM without closing anything.</li>
 *   <li>{@code halt-groups <dir> <passphrase> <contactId> <groupHex>}: stores group messages
 *       of two authors in group {@code groupHex} (one at a time and in a batch, a tombstone, a
 *       duplicate) between chat messages, pausing once so H2's background writer may write the
 *       first ones; prints {@code G <author byte> <seq>} per stored message after the call
 *       returned, and halts the JVM without closing anything.</li>
 *   <li>{@code hold <dir> <passphrase>}: opens the profile, prints {@code OPEN}, and closes it
 *       when stdin reaches end of file.</li>
 *   <li>{@code try <dir> <passphrase>}: tries to open; prints {@code OPENED} or {@code IN_USE}.</li>
 * </ul>
 */
public final class StoreChild {
    private StoreChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        ProfileManager m = ContactsModule.profileManager(Runnable::run, Clock.systemUTC(), TestProfiles.RANDOM,
                KdfParams.FAST_INSECURE_FOR_TESTS);
        Path dir = Path.of(args[1]);
        char[] pass = args[2].toCharArray();
        switch (args[0]) {
            case "write" -> write(m, dir, pass, new ContactId(Long.parseLong(args[3])), args[4], out);
            case "halt" -> {
                // Queues and receives a few messages, then ends the JVM at once (no close, no
                // shutdown hooks, H2's background writer likely not run yet): what the store
                // acknowledged must come back from its commit log.
                Profile p = m.open(dir, pass);
                ContactId contact = new ContactId(Long.parseLong(args[3]));
                for (int i = 0; i < 5; i++) {
                    out.println("OUT " + p.messages().enqueueOutgoing(contact, args[4] + " out " + i).id().toHex());
                    MessageId id = MessageId.random(TestProfiles.RANDOM);
                    p.messages().acceptIncoming(contact, id, 100 + i, Instant.now(), args[4] + " in " + i);
                    out.println("IN " + id.toHex());
                }
                out.flush();
                Runtime.getRuntime().halt(3);
            }
            case "halt-groups" -> {
                Profile p = m.open(dir, pass);
                ContactId contact = new ContactId(Long.parseLong(args[3]));
                byte[] group = java.util.HexFormat.of().parseHex(args[4]);
                org.allium.contacts.api.GroupStore g = p.groups();
                for (int seq = 1; seq <= 3; seq++) {
                    stored(out, g.append(group, List.of(groupMessage(1, seq, true))));
                    p.messages().enqueueOutgoing(contact, "chat between " + seq);
                }
                Thread.sleep(1500); // H2's background writer (WRITE_DELAY=500) may write these first ones
                stored(out, g.append(group, List.of(groupMessage(2, 1, true), groupMessage(2, 2, true),
                        groupMessage(2, 3, false), groupMessage(1, 3, true), groupMessage(1, 4, true))));
                p.messages().enqueueOutgoing(contact, "chat after the batch");
                stored(out, g.append(group, List.of(groupMessage(1, 5, true))));
                out.flush();
                Runtime.getRuntime().halt(3);
            }
            case "hold" -> {
                try (Profile p = m.open(dir, pass)) {
                    out.println("OPEN");
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                    while (in.readLine() != null) {
                        // wait for end of input
                    }
                }
                out.println("CLOSED");
            }
            case "try" -> {
                try (Profile p = m.open(dir, pass)) {
                    out.println("OPENED");
                } catch (ProfileInUseException e) {
                    out.println("IN_USE");
                }
            }
            default -> throw new IllegalArgumentException("unknown mode");
        }
    }

    /** A group message of author {@code a} (its key: 32 bytes of {@code a}); raw: seq times 100 bytes of it, or a tombstone. */
    static org.allium.contacts.api.GroupStore.NewGroupMessage groupMessage(int a, long seq, boolean withRaw) {
        byte[] author = new byte[32];
        java.util.Arrays.fill(author, (byte) a);
        byte[] id = new byte[16];
        id[0] = (byte) a;
        id[1] = (byte) seq;
        byte[] raw = null;
        if (withRaw) {
            raw = new byte[(int) seq * 100];
            java.util.Arrays.fill(raw, (byte) (a * 16 + seq));
        }
        return new org.allium.contacts.api.GroupStore.NewGroupMessage(author, seq, id, raw);
    }

    private static void stored(PrintStream out, List<org.allium.contacts.api.GroupStore.GroupMessageRow> rows) {
        for (org.allium.contacts.api.GroupStore.GroupMessageRow r : rows) {
            out.println("G " + r.author()[0] + " " + r.seq());
        }
    }

    private static void write(ProfileManager m, Path dir, char[] pass, ContactId contact, String prefix,
            PrintStream out) throws Exception {
        Profile p = m.open(dir, pass);
        out.println("READY");
        long seq = 0;
        // Stops by itself if the parent is gone (stdout broken) or after a bound, so no orphan runs forever.
        for (int i = 0; i < 1_000_000 && !out.checkError(); i++) {
            if (i % 2 == 0) {
                Message msg = p.messages().enqueueOutgoing(contact, prefix + " out " + i);
                out.println("OUT " + msg.id().toHex());
                if (i % 6 == 0) {
                    p.messages().markDelivered(contact, List.of(msg.id()));
                }
            } else {
                MessageId id = MessageId.random(TestProfiles.RANDOM);
                if (p.messages().acceptIncoming(contact, id, ++seq, Instant.now(), prefix + " in " + i)) {
                    out.println("IN " + id.toHex());
                }
            }
        }
        p.close();
    }
}
