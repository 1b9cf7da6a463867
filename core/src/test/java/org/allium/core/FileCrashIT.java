package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.allium.core.api.ContactId;
import org.allium.core.api.FileTransfer;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessengerEvent;
import org.allium.core.files.FileEngine;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a transfer, of the receiver (twice, a large file) and of the sender:
 * after a restart it completes by itself, identical, and each interruption costs at most a
 * window of re-sent chunks.
 */
@ExtendWith(TestnetExtension.class)
class FileCrashIT {
    private static final int SIZE = 8 * 1024 * 1024 + 5;

    static {
        TestLogs.install();
    }

    /** The receiver-kill file: 48 MiB by default ({@code -Dfiles.crash.mib=N} for another size). */
    private static final int LARGE = Integer.getInteger("files.crash.mib", 48) * 1024 * 1024 + 5;

    private static int chunks() {
        return chunks(SIZE);
    }

    private static int chunks(int size) {
        return (size + FileEngine.CHUNK_SIZE - 1) / FileEngine.CHUNK_SIZE;
    }

    private static long bytesIn(String fileLine) {
        return Long.parseLong(fileLine.split(" ")[3]);
    }

    @Test
    void receiverKilledTwiceMidTransferCompletesByItself(Testnet testnet, @TempDir Path tmp) throws Exception {
        Path torrc = tmp.resolve("torrc-lines");
        Files.write(torrc, testnet.clientTorrcLines());
        Path log = tmp.resolve("child-stderr.log");
        Path src = FileTransferIT.makeFile(Files.createDirectories(tmp.resolve("src")), "large.bin", LARGE, 7);
        try (Node a = new Node("hank", tmp, testnet.clientTorrcLines(), Timings.testnet());
             Node b = new Node("iris", tmp, testnet.clientTorrcLines(), Timings.testnet())) {
            a.start();
            b.start();
            ContactId[] ids = MessengerIT.connect(a, b);
            // The receiver runs in a child JVM that is killed: it accepts by itself (its setting).
            b.messenger.files().setAutoAcceptBytes(ids[1], 1L << 30);
            b.stop();
            List<String> childArgs = List.of(b.dir.resolve("profile").toString(), torrc.toString());
            ChildProcess child = ChildProcess.start(FileChild.class, childArgs, log);
            child.awaitReady();
            awaitOnlineAgain(a, 2);
            long start = System.nanoTime();
            MessageId id = a.messenger.files().offer(ids[0], src).id();
            String prefix = "FILE " + id + " ";
            List<Long> resentAt = new ArrayList<>();
            FileEngine sender = (FileEngine) a.messenger.files();
            for (int k = 1; k <= 2; k++) {
                long threshold = (long) LARGE * k / 3;
                child.awaitLine("progress " + k, l -> l.startsWith(prefix) && bytesIn(l) >= threshold);
                child.killHard();
                resentAt.add(sender.chunksSent());
                child = ChildProcess.start(FileChild.class, childArgs, log);
                child.awaitLine("ready again", ChildProcess.READY::equals);
            }
            child.awaitLine("completion", l -> l.startsWith(prefix + "COMPLETE"));
            double seconds = (System.nanoTime() - start) / 1e9;
            child.stop();
            long resent = sender.chunksSent() - chunks(LARGE);
            System.out.println("FILECRASH receiver-kill size=" + LARGE + " resent=" + resent
                    + " chunks over 2 interruptions, sent at the kills " + resentAt + ", " + (int) seconds + " s");
            assertTrue(resent <= 2L * FileEngine.WINDOW_CHUNKS,
                    "re-sent " + resent + " chunks for 2 interruptions (window " + FileEngine.WINDOW_CHUNKS + ")");
            FileTransferIT.awaitState(a, id, FileTransfer.State.COMPLETE);
            b.start();
            Path saved = b.messenger.files().export(id, Files.createDirectories(tmp.resolve("out")));
            assertArrayEquals(FileTransferIT.sha256(src), FileTransferIT.sha256(saved));
        }
    }

    /**
     * What a failed wait shows: the receiver's view of the transfer, whether the contact is
     * online, and the end of the children's stderr (core's FINE lines, see {@link FileChild}).
     */
    static String diagnostics(Node n, MessageId id, Path childLog) {
        StringBuilder s = new StringBuilder();
        try {
            s.append(n.name).append(" sees ").append(n.messenger.files().get(id).orElse(null));
            s.append(", contacts ").append(n.messenger.contacts());
        } catch (RuntimeException | org.allium.core.api.MessengerException e) {
            s.append(", state unknown: ").append(e);
        }
        s.append("\n--- this JVM's core log (both in-process nodes), last lines ---\n").append(TestLogs.coreTail(80));
        return s.append(ChildProcess.stderrTail(childLog, 80)).toString();
    }

    private static void awaitOnlineAgain(Node n, int times) throws InterruptedException {
        n.events.await(MessengerEvent.PresenceChanged.class,
                e -> e.online() && n.events.count(MessengerEvent.PresenceChanged.class, p -> p.online()) >= times,
                Node.LONG, "peer online again at " + n.name);
    }

    /** The testnet's torrc lines, plus tor's rend log at info in {@code files.crash.torlog} (a directory) if set. */
    private static List<String> torrc(Testnet testnet, String who) {
        List<String> lines = new ArrayList<>(testnet.clientTorrcLines());
        String dir = System.getProperty("files.crash.torlog");
        if (dir != null) {
            lines.add("Log [rend]info notice file " + Path.of(dir, who + "-tor.log").toAbsolutePath());
        }
        return lines;
    }

    @Test
    void senderKilledTwiceMidTransferCompletesByItself(Testnet testnet, @TempDir Path tmp) throws Exception {
        Path torrc = tmp.resolve("torrc-lines");
        Files.write(torrc, torrc(testnet, "sender-child"));
        Path log = tmp.resolve("child-stderr.log");
        Path src = FileTransferIT.makeFile(Files.createDirectories(tmp.resolve("src")), "big.bin", LARGE, 8);
        try (Node a = new Node("jack", tmp, torrc(testnet, "sender"), Timings.testnet());
             Node b = new Node("kate", tmp, torrc(testnet, "receiver"), Timings.testnet())) {
            a.start();
            b.start();
            ContactId[] ids = MessengerIT.connect(a, b);
            a.stop();
            List<String> childArgs = List.of(a.dir.resolve("profile").toString(), torrc.toString());
            ChildProcess child = ChildProcess.start(FileChild.class, childArgs, log);
            child.awaitReady();
            awaitOnlineAgain(b, 2);
            child.send("offer " + ids[0] + " " + src);
            MessageId id = new MessageId(child.awaitLine("offered", l -> l.startsWith("OFFERED ")).substring(8));
            FileTransferIT.awaitState(b, id, FileTransfer.State.OFFERED);
            b.messenger.files().accept(id, null);
            for (int k = 1; k <= 2; k++) {
                long deadline = System.nanoTime() + Node.LONG.toNanos();
                while (b.messenger.files().get(id).orElseThrow().bytesDone() < (long) LARGE * k / 3) {
                    if (System.nanoTime() >= deadline) {
                        throw new AssertionError("progress at the receiver before kill " + k + ": "
                                + diagnostics(b, id, log));
                    }
                    Thread.sleep(50);
                }
                child.killHard();
                child = ChildProcess.start(FileChild.class, childArgs, log);
                child.awaitLine("ready again after kill " + k, ChildProcess.READY::equals);
            }
            try {
                FileTransferIT.awaitState(b, id, FileTransfer.State.COMPLETE);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + diagnostics(b, id, log), e);
            }
            long resent = ((FileEngine) b.messenger.files()).chunksReceived() - chunks(LARGE);
            assertTrue(resent <= 2L * FileEngine.WINDOW_CHUNKS, "received " + resent
                    + " chunks twice over 2 interruptions (window " + FileEngine.WINDOW_CHUNKS + ")");
            System.out.println("FILECRASH sender-kill duplicates=" + resent);
            Path saved = b.messenger.files().export(id, Files.createDirectories(tmp.resolve("out")));
            assertArrayEquals(FileTransferIT.sha256(src), FileTransferIT.sha256(saved));
            child.awaitLine("sender sees completion", l -> l.startsWith("FILE " + id + " COMPLETE"));
            child.stop();
        }
    }
}
