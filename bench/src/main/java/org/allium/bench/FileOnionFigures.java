package org.allium.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.allium.core.Messengers;
import org.allium.core.api.ContactId;
import org.allium.core.api.FileTransfer;
import org.allium.core.api.MessageId;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;
import org.allium.protocol.IdentityKeyPair;
import org.allium.testnet.Testnet;
import org.allium.tor.Tors;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.OnionServiceSpec;
import org.allium.tor.api.OwnTorSettings;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.Tor;

/**
 * The part of {@link FileFigures} on the private Tor network (issue 14):
 * <ol>
 * <li>a file of {@code mib} MiB between two messengers (own tor each) against the raw onion
 *     stream of the same run: a service on one fresh tor writes as many bytes to a client on
 *     another fresh tor, same testnet;</li>
 * <li>heap and RSS of this JVM (both messengers) while that transfer runs, CPU per MB (both
 *     engines; the tor processes are not counted);</li>
 * <li>kill -9 of the receiver (a {@link FileBenchChild} JVM) a third of the way into a second
 *     transfer of the same size: time from its restart to the first newly verified chunk (tor
 *     start, descriptor publication, the session and the FILE_STREAM included), broken down,
 *     and the chunks the sender re-sent.</li>
 * </ol>
 */
final class FileOnionFigures {
    private static final Duration LONG = Duration.ofMinutes(6);
    private static final String PASS = "file figures only";

    private FileOnionFigures() {
    }

    static Map<String, Object> run(Path work, int mib) throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        long size = (long) mib << 20;
        Files.createDirectories(work);
        Path file = FileFigures.randomFile(work.resolve("onion.bin"), size);
        json.put("file_bytes", size);
        try (Testnet net = Testnet.start(work.resolve("net"))) {
            List<String> lines = net.clientTorrcLines();
            Path linesFile = work.resolve("torrc-lines");
            Files.write(linesFile, lines);

            // 1. The raw onion stream baseline, same network, same kind of tor clients.
            double raw;
            try (Tor server = startTor(work.resolve("raw-server"), lines);
                 Tor client = startTor(work.resolve("raw-client"), lines)) {
                raw = rawOnionStream(server, client, size);
            }
            json.put("raw_onion_stream_mb_per_s", FigureKit.round(raw));

            // 2. Two messengers, contacts; the file from a to b.
            Profile ap = Messengers.profiles().create(work.resolve("sender"), PASS.toCharArray(), null);
            Profile bp = Messengers.profiles().create(work.resolve("receiver"), PASS.toCharArray(), null);
            Events ae = new Events();
            Events be = new Events();
            Messenger a = Messengers.create(ap, TorSettings.ownTor().withTestnetLines(lines));
            Messenger b = Messengers.create(bp, TorSettings.ownTor().withTestnetLines(lines));
            a.subscribe(ae::add);
            b.subscribe(be::add);
            a.start();
            b.start();
            ae.await(MessengerEvent.Ready.class::isInstance, "sender ready");
            be.await(MessengerEvent.Ready.class::isInstance, "receiver ready");
            ContactId bAtA = a.sendContactRequest(b.myIdentity().serviceId(), null, "");
            MessengerEvent.RequestReceived req = (MessengerEvent.RequestReceived) be.await(
                    MessengerEvent.RequestReceived.class::isInstance, "request");
            b.accept(req.request().id());
            ContactId aAtB = req.request().id();
            // The session may come up before the acceptance is processed, or after: wait for both.
            long until = System.nanoTime() + LONG.toNanos();
            while (a.contact(bAtA).state() != org.allium.core.api.ContactState.ACCEPTED || !a.contact(bAtA).online()) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("contact not accepted and online within " + LONG);
                }
                Thread.sleep(100);
            }

            MessageId id = a.files().offer(bAtA, file).id();
            awaitState(b, id, FileTransfer.State.OFFERED);
            System.gc();
            long heapBefore = FileFigures.usedHeap();
            long peakHeap = heapBefore;
            long peakRss = FileFigures.rss();
            long cpu0 = FileFigures.cpuNanos();
            long t0 = System.nanoTime();
            b.files().accept(id, null);
            long deadline = System.nanoTime() + LONG.toNanos();
            while (state(b, id) != FileTransfer.State.COMPLETE) {
                check(b, id, deadline);
                peakHeap = Math.max(peakHeap, FileFigures.usedHeap());
                peakRss = Math.max(peakRss, FileFigures.rss());
                Thread.sleep(100);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double mbPerS = size / 1e6 / secs;
            json.put("allium_mb_per_s", FigureKit.round(mbPerS));
            json.put("ratio_to_raw_onion_stream", FigureKit.round(mbPerS / raw));
            json.put("cpu_ms_per_mb_both_engines", FigureKit.round((FileFigures.cpuNanos() - cpu0) / 1e6 / (size / 1e6)));
            json.put("heap_used_before_mb", FigureKit.round(heapBefore / 1e6));
            json.put("heap_used_peak_mb", FigureKit.round(peakHeap / 1e6));
            json.put("rss_peak_mb", FigureKit.round(peakRss / 1e6));
            json.put("max_heap_mb", FigureKit.round(Runtime.getRuntime().maxMemory() / 1e6));

            // 3. kill -9 of the receiver mid-transfer, restart, time to the first new verified chunk.
            b.files().setAutoAcceptBytes(aAtB, b.files().maxIncomingBytes());
            b.stop();
            bp.close();
            Path passFile = work.resolve("pass");
            Files.writeString(passFile, PASS);
            Path log = work.resolve("child.log");
            Child child = new Child(work.resolve("receiver"), passFile, linesFile, log);
            child.await("READY"::equals, "child ready");
            until = System.nanoTime() + LONG.toNanos();
            while (!a.contact(bAtA).online()) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("receiver not back online within " + LONG);
                }
                Thread.sleep(100);
            }
            long sentBefore = ((org.allium.core.files.FileEngine) a.files()).chunksSent();
            MessageId second = a.files().offer(bAtA, file).id();
            String prefix = "FILE " + second + " ";
            String atKill = child.await(l -> l.startsWith(prefix) && bytes(l) >= size / 3, "a third");
            child.killHard();
            long restart = System.nanoTime();
            child = new Child(work.resolve("receiver"), passFile, linesFile, log);
            child.await("READY"::equals, "child ready again");
            long ready = System.nanoTime();
            child.await("ONLINE"::equals, "session again");
            long online = System.nanoTime();
            child.await(l -> l.startsWith(prefix) && l.contains(" PROGRESS "), "first new verified chunk");
            long firstChunk = System.nanoTime();
            child.await(l -> l.startsWith(prefix) && l.contains(" COMPLETE "), "completion");
            long complete = System.nanoTime();
            long childPeakRss = child.peakRssKb();
            child.stop();
            long chunks = (size + org.allium.core.files.FileEngine.CHUNK_SIZE - 1)
                    / org.allium.core.files.FileEngine.CHUNK_SIZE;
            Map<String, Object> resume = new LinkedHashMap<>();
            resume.put("killed_at_bytes", bytes(atKill));
            resume.put("restart_to_first_new_verified_chunk_ms", (firstChunk - restart) / 1_000_000);
            resume.put("restart_to_tor_ready_ms", (ready - restart) / 1_000_000);
            resume.put("restart_to_session_ms", (online - restart) / 1_000_000);
            resume.put("session_to_first_new_verified_chunk_ms", (firstChunk - online) / 1_000_000);
            resume.put("restart_to_complete_ms", (complete - restart) / 1_000_000);
            resume.put("chunks_resent_by_sender", ((org.allium.core.files.FileEngine) a.files()).chunksSent()
                    - sentBefore - chunks);
            resume.put("window_chunks", org.allium.core.files.FileEngine.WINDOW_CHUNKS);
            resume.put("receiver_child_peak_rss_mb", FigureKit.round(childPeakRss / 1e3));
            json.put("receiver_kill9_resume", resume);
            a.stop();
            ap.close();
        }
        return json;
    }

    private static long bytes(String fileLine) {
        return Long.parseLong(fileLine.split(" ")[4]);
    }

    private static FileTransfer.State state(Messenger m, MessageId id) throws Exception {
        return m.files().get(id).map(FileTransfer::state).orElse(null);
    }

    private static void check(Messenger m, MessageId id, long deadline) throws Exception {
        FileTransfer.State s = state(m, id);
        if (s != null && s.isFinal() && s != FileTransfer.State.COMPLETE) {
            throw new IllegalStateException("transfer ended " + s);
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("transfer not complete within " + LONG);
        }
    }

    private static void awaitState(Messenger m, MessageId id, FileTransfer.State want) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (state(m, id) != want) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not " + want + " within " + LONG);
            }
            Thread.sleep(50);
        }
    }

    private static Tor startTor(Path dir, List<String> lines) throws Exception {
        Tor t = Tors.own(OwnTorSettings.builder(dir).extraTorrcLines(lines).build());
        t.start();
        t.enableNetwork();
        t.awaitBootstrapped(Duration.ofMinutes(3));
        return t;
    }

    /** {@code size} bytes written by an onion service on {@code server} to a client on {@code client}. MB/s. */
    static double rawOnionStream(Tor server, Tor client, long size) throws Exception {
        try (ServerSocket source = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[64 * 1024];
                new java.util.Random(3).nextBytes(buf);
                try (Socket s = source.accept(); OutputStream out = s.getOutputStream()) {
                    for (long left = size; left > 0; left -= buf.length) {
                        out.write(buf, 0, (int) Math.min(buf.length, left));
                    }
                    out.flush();
                    s.shutdownOutput();
                    s.getInputStream().read(); // until the client has read everything and closes
                } catch (IOException e) {
                    // done
                }
            }, "raw-source");
            t.setDaemon(true);
            t.start();
            IdentityKeyPair key = IdentityKeyPair.generate(new SecureRandom());
            ServiceId id = new ServiceId(key.address().serviceId());
            server.publish(OnionServiceSpec.builder(key.expandedSecretKey(), id, 80,
                    HostPort.loopback(source.getLocalPort())).build());
            long deadline = System.nanoTime() + LONG.toNanos();
            Socket s = null;
            while (s == null) {
                try {
                    s = client.dial(id, 80, StreamIsolation.of("raw"), Duration.ofSeconds(30));
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(1000); // descriptor not yet on the HSDirs
                }
            }
            long got = 0;
            long t0 = System.nanoTime();
            try (Socket c = s; InputStream in = c.getInputStream()) {
                byte[] buf = new byte[64 * 1024];
                for (int n; got < size && (n = in.read(buf)) >= 0; ) {
                    got += n;
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            if (got < size) {
                throw new IOException("raw stream ended after " + got + " bytes");
            }
            return size / 1e6 / secs;
        }
    }

    /** Core events of one messenger, queued for awaiting. */
    private static final class Events {
        private final BlockingQueue<MessengerEvent> queue = new LinkedBlockingQueue<>();

        void add(MessengerEvent e) {
            queue.add(e);
        }

        MessengerEvent await(Predicate<MessengerEvent> p, String what) throws InterruptedException {
            long deadline = System.nanoTime() + LONG.toNanos();
            while (System.nanoTime() < deadline) {
                MessengerEvent e = queue.poll(1, TimeUnit.SECONDS);
                if (e != null && p.test(e)) {
                    return e;
                }
            }
            throw new IllegalStateException("no " + what + " within " + LONG);
        }
    }

    /** A {@link FileBenchChild} JVM; stdout lines queued. */
    private static final class Child {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Writer stdin;

        Child(Path profile, Path pass, Path torrc, Path log) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    FileBenchChild.class.getName(), profile.toString(), pass.toString(), torrc.toString())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // killed
                }
            }, "file-bench-child-stdout");
            t.setDaemon(true);
            t.start();
        }

        String await(Predicate<String> p, String what) throws InterruptedException {
            long deadline = System.nanoTime() + LONG.toNanos();
            while (System.nanoTime() < deadline) {
                String l = lines.poll(1, TimeUnit.SECONDS);
                if (l != null && p.test(l)) {
                    return l;
                }
            }
            throw new IllegalStateException("child: no " + what + " within " + LONG);
        }

        /** VmHWM of the child, kB (0 where /proc is not there). */
        long peakRssKb() {
            try {
                for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                    if (l.startsWith("VmHWM:")) {
                        return Long.parseLong(l.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
            return 0;
        }

        void killHard() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child did not die");
            }
        }

        void stop() throws Exception {
            stdin.write("stop\n");
            stdin.flush();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
