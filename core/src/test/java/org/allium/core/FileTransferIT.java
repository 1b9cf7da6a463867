package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.allium.core.api.ContactId;
import org.allium.core.api.FileEvent;
import org.allium.core.api.FileTransfer;
import org.allium.core.api.Message;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessengerEvent;
import org.allium.core.files.FileEngine;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** File transfer end to end on the private Tor network (PROTOCOL.md §9). */
@ExtendWith(TestnetExtension.class)
class FileTransferIT {
    static final String MARKER = "MARKERq9zXfileBODY";
    static final String SECRET_NAME = "Quarterly-leakQ7.pdf";

    static {
        TestLogs.install();
    }

    /** A file of {@code size} random bytes with the marker string repeated through it. */
    static Path makeFile(Path dir, String name, int size, long seed) throws Exception {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        byte[] m = MARKER.getBytes(StandardCharsets.US_ASCII);
        for (int at = 0; at + m.length <= size; at += 4096) {
            System.arraycopy(m, 0, b, at, m.length);
        }
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    static byte[] sha256(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }

    static FileTransfer awaitState(Node n, MessageId id, FileTransfer.State state) throws Exception {
        long deadline = System.nanoTime() + Node.LONG.toNanos();
        while (System.nanoTime() < deadline) {
            var t = n.messenger.files().get(id);
            if (t.isPresent() && t.get().state() == state) {
                return t.get();
            }
            if (t.isPresent() && t.get().state().isFinal() && t.get().state() != state) {
                throw new AssertionError(n.name + ": transfer ended " + t.get().state() + ": " + t.get().reason());
            }
            Thread.sleep(100);
        }
        throw new AssertionError(n.name + ": transfer not " + state + " within " + Node.LONG + ": "
                + n.messenger.files().get(id));
    }

    @Test
    void filesOfEdgeSizesArriveIdenticalInSequenceWithMessagesAndNothingInClearInTheProfile(Testnet testnet,
            @TempDir Path tmp) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path src = Files.createDirectories(tmp.resolve("src"));
        try (Node a = new Node("fiona", tmp, testnet.clientTorrcLines(), Timings.testnet());
             Node b = new Node("gabe", tmp, testnet.clientTorrcLines(), Timings.testnet())) {
            a.start();
            b.start();
            ContactId[] ids = MessengerIT.connect(a, b);
            List<FileEvent> progressAtB = new java.util.concurrent.CopyOnWriteArrayList<>();
            b.messenger.files().subscribe(progressAtB::add);

            int chunk = FileEngine.CHUNK_SIZE;
            int[] sizes = {0, 1, chunk, chunk + 1, 50 * 1024 * 1024 + 17}; // issue 14: ~50 MiB
            List<Path> files = new ArrayList<>();
            List<MessageId> offers = new ArrayList<>();
            MessageId before = a.messenger.sendMessage(ids[0], "files follow");
            for (int i = 0; i < sizes.length; i++) {
                Path f = makeFile(src, i == sizes.length - 1 ? SECRET_NAME : "f" + i + ".bin", sizes[i], i);
                files.add(f);
                offers.add(a.messenger.files().offer(ids[0], f).id());
            }
            MessageId after = a.messenger.sendMessage(ids[0], "that was all");
            MessengerIT.awaitDelivered(a, after);
            for (MessageId id : offers) {
                MessengerIT.awaitDelivered(a, id);
                FileTransfer offered = awaitState(b, id, FileTransfer.State.OFFERED);
                assertEquals(ids[1], offered.contact());
                b.messenger.files().accept(id, null);
            }
            for (int i = 0; i < offers.size(); i++) {
                FileTransfer done = awaitState(b, offers.get(i), FileTransfer.State.COMPLETE);
                assertEquals(sizes[i], done.size());
                assertEquals(sizes[i], done.bytesDone());
                awaitState(a, offers.get(i), FileTransfer.State.COMPLETE);
                Path saved = b.messenger.files().export(offers.get(i), out);
                assertEquals(out, saved.getParent());
                assertArrayEquals(sha256(files.get(i)), sha256(saved), "file " + i + " identical");
            }
            // The same file again: a deduplicated name, nothing overwritten.
            Path again = b.messenger.files().export(offers.get(1), out);
            assertEquals("f1 (1).bin", again.getFileName().toString());

            // In sequence with the chat messages, on both sides.
            List<String> texts = b.messenger.conversation(ids[1], 50, null).stream().map(Message::text).toList();
            List<String> expected = new ArrayList<>(List.of("files follow"));
            for (Path f : files) {
                expected.add(f.getFileName().toString());
            }
            expected.add("that was all");
            assertEquals(expected, texts);
            assertTrue(progressAtB.stream().anyMatch(e -> e.kind() == FileEvent.Kind.PROGRESS));

            // Nothing of the file (its marker) or its name in clear in either profile directory.
            List<String> secrets = List.of(MARKER, SECRET_NAME, "Quarterly-leak");
            for (Node n : List.of(a, b)) {
                assertNoPlaintext(n.dir.resolve("profile"), secrets);
            }
            assertTrue(TestLogs.leaks(secrets).isEmpty(), "logs leak: " + TestLogs.leaks(secrets));
        }
    }

    /** Every byte of every file under {@code dir}, as UTF-8 and UTF-16 LE/BE, contains none of {@code secrets}. */
    static void assertNoPlaintext(Path dir, List<String> secrets) throws Exception {
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.filter(Files::isRegularFile).toList();
        }
        assertTrue(all.stream().anyMatch(p -> p.toString().contains("files")), "the profile holds file data");
        for (Path p : all) {
            byte[] content = Files.readAllBytes(p);
            String asLatin = new String(content, StandardCharsets.ISO_8859_1);
            for (String s : secrets) {
                for (java.nio.charset.Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE,
                        StandardCharsets.UTF_16BE)) {
                    String needle = new String(s.getBytes(cs), StandardCharsets.ISO_8859_1);
                    assertTrue(!asLatin.contains(needle), p.getFileName() + " contains '" + s + "' in " + cs);
                }
                assertTrue(!p.toString().contains(s), "a path names it: " + p);
            }
        }
    }
}
