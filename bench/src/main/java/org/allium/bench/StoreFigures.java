package org.allium.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import org.allium.contacts.ContactsModule;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.KdfParams;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;

/**
 * The contacts store's figures as JSON on stdout: time to create and to open a profile
 * (Argon2id at the default cost), the durable insert rate (one transaction, written and
 * fsynced, per message) for a conversation of N messages, half sent and half received,
 * against a baseline of plain unencrypted H2 doing the same durable single-row commits in the
 * same run, the time to page the newest 50 messages (and 50 from the middle) of that
 * conversation, and the size on disk per 1000 messages.
 * {@code bench/run StoreFigures [messages, default 100000]}.
 */
public final class StoreFigures {
    private static final char[] PASSPHRASE = "bench passphrase".toCharArray();
    private static final int SAMPLE = 2000;

    private StoreFigures() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        SecureRandom random = new SecureRandom();
        ProfileManager real = ContactsModule.profileManager(Runnable::run, Clock.systemUTC(), random);
        Path work = Files.createTempDirectory("allium-store-figures");
        try {
            // create and open with the real Argon2id cost: medians of 3
            double[] create = new double[3];
            double[] open = new double[3];
            for (int i = 0; i < 3; i++) {
                Path dir = work.resolve("kdf" + i);
                long t = System.nanoTime();
                real.create(dir, PASSPHRASE, "bench").close();
                create[i] = ms(t);
                t = System.nanoTime();
                real.open(dir, PASSPHRASE).close();
                open[i] = ms(t);
            }

            // The message figures do not depend on the KDF: a fast-KDF profile saves time.
            ProfileManager fast = ContactsModule.profileManager(Runnable::run, Clock.systemUTC(), random,
                    KdfParams.FAST_INSECURE_FOR_TESTS);
            Path dir = work.resolve("messages");
            Path file = dir.resolve("store.mv.db");
            double insertSeconds;
            double sampleRate;
            double baselineRate;
            long peakBytes = 0;
            ContactId bob;
            try (Profile p = fast.create(dir, PASSPHRASE, null)) {
                Contact c = p.contacts().addOutgoingRequest(IdentityKeyPair.generate(random).address(), null, null,
                        null, EndpointKeys.ours(IdentityKeyPair.generate(random),
                                ClientAuthKeyPair.generate(random).publicKeyBase32()));
                bob = p.contacts().accept(c.id(), EndpointKeys.theirs(IdentityKeyPair.generate(random).address(),
                        ClientAuthKeyPair.generate(random))).id();
                // like-for-like ratio on a sample, interleaved with the baseline in blocks
                Path base = work.resolve("baseline");
                Files.createDirectories(base);
                double ours = 0;
                double theirs = 0;
                int done = 0;
                try (Connection b = baseline(base)) {
                    PreparedStatement ins = b.prepareStatement("INSERT INTO m (id, body) VALUES (?, ?)");
                    PreparedStatement sync = b.prepareStatement("CHECKPOINT SYNC");
                    for (int block = 0; block < 4; block++) {
                        long t = System.nanoTime();
                        for (int i = 0; i < SAMPLE / 4; i++, done++) {
                            insertOne(p, bob, done, random);
                        }
                        ours += (System.nanoTime() - t) / 1e9;
                        t = System.nanoTime();
                        for (int i = 0; i < SAMPLE / 4; i++) {
                            ins.setBytes(1, MessageId.random(random).toBytes());
                            ins.setString(2, body(block * SAMPLE + i));
                            ins.executeUpdate();
                            b.commit();
                            sync.execute();
                        }
                        theirs += (System.nanoTime() - t) / 1e9;
                    }
                }
                sampleRate = done / ours;
                baselineRate = done / theirs;
                long t = System.nanoTime();
                for (int i = done; i < n; i++) {
                    insertOne(p, bob, i, random);
                    if (i % 1000 == 0) {
                        peakBytes = Math.max(peakBytes, Files.size(file));
                    }
                }
                insertSeconds = ours + (System.nanoTime() - t) / 1e9;
                peakBytes = Math.max(peakBytes, Files.size(file));
            }
            long closedBytes = Files.size(file);

            double newest50;
            double middle50;
            try (Profile p = fast.open(dir, PASSPHRASE)) {
                for (int i = 0; i < 20; i++) { // warm-up
                    p.messages().page(bob, Long.MAX_VALUE, 50);
                }
                newest50 = medianMs(() -> p.messages().page(bob, Long.MAX_VALUE, 50), 51);
                List<Message> newest = p.messages().page(bob, Long.MAX_VALUE, 50);
                long middle = newest.get(newest.size() - 1).position() - n / 2;
                middle50 = medianMs(() -> p.messages().page(bob, middle, 50), 51);
            }

            System.out.println(String.format(Locale.ROOT, "{%n"
                    + "  \"argon2id\": {\"memory_MiB\": %d, \"iterations\": %d, \"parallelism\": %d},%n"
                    + "  \"create_profile_ms\": %.0f,%n"
                    + "  \"open_profile_ms\": %.0f,%n"
                    + "  \"messages\": %d,%n"
                    + "  \"insert_total_s\": %.1f,%n"
                    + "  \"insert_msgs_per_s\": %.0f,%n"
                    + "  \"insert_sample_msgs_per_s\": %.0f,%n"
                    + "  \"baseline_plain_h2_durable_rows_per_s\": %.0f,%n"
                    + "  \"insert_ratio_vs_baseline\": %.3f,%n"
                    + "  \"page_newest_50_ms\": %.2f,%n"
                    + "  \"page_middle_50_ms\": %.2f,%n"
                    + "  \"size_closed_bytes\": %d,%n"
                    + "  \"size_closed_KiB_per_1k_messages\": %.1f,%n"
                    + "  \"size_peak_while_writing_bytes\": %d,%n"
                    + "  \"cpus\": %d%n}",
                    KdfParams.DEFAULT.memoryKiB() / 1024, KdfParams.DEFAULT.iterations(),
                    KdfParams.DEFAULT.parallelism(), median(create), median(open), n, insertSeconds,
                    n / insertSeconds, sampleRate, baselineRate, sampleRate / baselineRate, newest50, middle50,
                    closedBytes, closedBytes / 1024.0 / (n / 1000.0), peakBytes,
                    Runtime.getRuntime().availableProcessors()));
        } finally {
            deleteRecursively(work);
        }
    }

    private static void insertOne(Profile p, ContactId bob, int i, SecureRandom random) throws Exception {
        if (i % 2 == 0) {
            p.messages().enqueueOutgoing(bob, body(i));
        } else {
            p.messages().acceptIncoming(bob, MessageId.random(random), i, Instant.now(), body(i));
        }
    }

    /** A typical chat line of about 60 characters. */
    private static String body(int i) {
        return "message " + i + ": see you at the usual place, bring the documents";
    }

    /** Plain H2 (no CIPHER, no indexes beyond the key) with the same durability per commit. */
    private static Connection baseline(Path dir) throws SQLException {
        Properties props = new Properties();
        props.put("user", "sa");
        props.put("password", "");
        Connection c = new org.h2.Driver().connect("jdbc:h2:file:" + dir.resolve("plain") + ";TRACE_LEVEL_FILE=0", props);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE m (pos BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, id BINARY(16),"
                    + " body CHARACTER VARYING(16000))");
        }
        c.setAutoCommit(false);
        return c;
    }

    @FunctionalInterface
    private interface Op {
        void run() throws Exception;
    }

    private static double medianMs(Op op, int times) throws Exception {
        double[] d = new double[times];
        for (int i = 0; i < times; i++) {
            long t = System.nanoTime();
            op.run();
            d[i] = ms(t);
        }
        return median(d);
    }

    private static double ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static double median(double[] d) {
        double[] s = d.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
