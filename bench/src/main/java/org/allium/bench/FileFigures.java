package org.allium.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.allium.contacts.ContactsModule;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.ContactId;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.KdfParams;
import org.allium.contacts.api.Message;
import org.allium.contacts.api.Profile;
import org.allium.contacts.api.ProfileManager;
import org.allium.core.api.FileTransfer;
import org.allium.core.api.MessageId;
import org.allium.core.files.FileEngine;
import org.allium.core.files.FileLink;
import org.allium.core.files.FileLinks;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.FrameReader;
import org.allium.protocol.FrameWriter;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.proto.Envelope;

/**
 * File transfer figures (issue 14). On the private Tor network ({@link FileOnionFigures}): a
 * file between two messengers against the raw onion stream of the same run, heap/RSS/CPU per MB
 * while it runs, and the time to resume after kill -9 of the receiver. Without tor: the real
 * {@link FileEngine} on both sides with real encrypted profiles, its FILE_STREAM messages over
 * TCP on loopback:
 * <ol>
 * <li>Through a delaying, rate-limited relay (default 300 ms round trip, 2 MB/s, as on the
 *     real Tor network; this kernel has no netem): Allium's windowed transfer against a
 *     stop-and-wait transfer of 63 KiB chunks with an ack each (what Ricochet Refresh does),
 *     same relay, same run.</li>
 * <li>A large transfer straight over loopback: throughput, the JVM's peak heap and RSS while
 *     it runs (both engines in this one JVM), CPU time per MB (both sides together).</li>
 * </ol>
 * Args: {@code [relayMiB=16] [largeMiB=256] [rttMs=300] [rateBytesPerSecond=2000000] [onionMiB=64]}
 * (onionMiB 0 skips the Tor part).
 * Prints one JSON object.
 */
public final class FileFigures {
    private static final char[] PASS = "bench".toCharArray();

    private FileFigures() {
    }

    public static void main(String[] args) throws Exception {
        int relayMiB = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int largeMiB = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int rttMs = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        long rate = args.length > 3 ? Long.parseLong(args[3]) : 2_000_000L;
        int onionMiB = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        Path work = Files.createTempDirectory("allium-filefigures-");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("figure", "FileFigures");
        try {
            if (onionMiB > 0) {
                json.put("over_onion", FileOnionFigures.run(work.resolve("onion"), onionMiB));
            }
            Path relayFile = randomFile(work.resolve("relay.bin"), relayMiB << 20);
            Map<String, Object> relay = new LinkedHashMap<>();
            relay.put("rtt_ms", rttMs);
            relay.put("rate_bytes_per_s", rate);
            relay.put("file_bytes", Files.size(relayFile));
            double stopAndWait;
            try (DelayRelay r = new DelayRelay(rttMs / 2, rate)) {
                stopAndWait = stopAndWait(relayFile, r);
            }
            double windowed;
            try (DelayRelay r = new DelayRelay(rttMs / 2, rate); Pair p = new Pair(work.resolve("relay"), r)) {
                windowed = p.transfer(relayFile, null).mbPerS;
            }
            relay.put("allium_windowed_mb_per_s", FigureKit.round(windowed));
            relay.put("stop_and_wait_63k_mb_per_s", FigureKit.round(stopAndWait));
            relay.put("ratio_windowed_to_stop_and_wait", FigureKit.round(windowed / stopAndWait));
            json.put("through_delaying_relay", relay);

            Path large = randomFile(work.resolve("large.bin"), (long) largeMiB << 20);
            Map<String, Object> big = new LinkedHashMap<>();
            try (Pair p = new Pair(work.resolve("large"), null)) {
                Result res = p.transfer(large, big);
                big.put("file_bytes", Files.size(large));
                big.put("mb_per_s", FigureKit.round(res.mbPerS));
                big.put("cpu_ms_per_mb_both_sides", FigureKit.round(res.cpuMsPerMb));
            }
            big.put("raw_loopback_tcp_mb_per_s", FigureKit.round(rawLoopback(large)));
            json.put("large_over_loopback", big);
            json.put("notes", "over_onion: private Tor network on loopback, both messengers in this JVM (heap/RSS/CPU"
                    + " cover both sides, not the tor processes), the raw baseline between two fresh tors of the same"
                    + " network; the resume figure restarts the receiver's JVM (its tor too). through_delaying_relay"
                    + " and large_over_loopback: no tor, the engine's FILE_STREAM messages over TCP, both engines and"
                    + " profiles in one JVM; the relay delays each direction by rtt/2 and paces to the rate");
        } catch (Exception e) {
            json.put("error", e.toString());
        } finally {
            deleteTree(work);
        }
        System.out.println(FigureKit.toJson(json));
        System.exit(json.containsKey("error") ? 1 : 0);
    }

    record Result(double mbPerS, double cpuMsPerMb) { }

    /** Two profiles that are contacts, a FileEngine each, the sender listening on TCP. */
    static final class Pair implements AutoCloseable {
        final SecureRandom random = new SecureRandom();
        final ExecutorService io = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-io");
            t.setDaemon(true);
            return t;
        });
        final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        final ExecutorService events = Executors.newSingleThreadExecutor();
        final Profile pa;
        final Profile pb;
        final ContactId bAtA;
        final ContactId aAtB;
        final FileEngine a;
        final FileEngine b;
        final ServerSocket listener;

        Pair(Path dir, DelayRelay relay) throws Exception {
            ProfileManager m = ContactsModule.profileManager(Runnable::run, Clock.systemUTC(), random,
                    KdfParams.FAST_INSECURE_FOR_TESTS);
            pa = m.create(dir.resolve("a"), PASS, null);
            pb = m.create(dir.resolve("b"), PASS, null);
            bAtA = contact(pa, pb);
            aAtB = contact(pb, pa);
            listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            int port = relay == null ? listener.getLocalPort() : relay.forwardTo(listener.getLocalPort());
            FileEngine[] engines = new FileEngine[2];
            a = new FileEngine(pa, new FileLinks() {
                @Override
                public boolean isOnline(ContactId c) {
                    return true;
                }

                @Override
                public FileLink dial(ContactId c) throws IOException {
                    throw new IOException("the sender does not dial");
                }

                @Override
                public boolean sendOnSession(ContactId c, Envelope e) {
                    io.execute(() -> session(engines[1], aAtB, e));
                    return true;
                }
            }, io, timers, events, Duration.ofSeconds(1));
            b = new FileEngine(pb, new FileLinks() {
                @Override
                public boolean isOnline(ContactId c) {
                    return true;
                }

                @Override
                public FileLink dial(ContactId c) throws IOException {
                    return link(new Socket(InetAddress.getLoopbackAddress(), port));
                }

                @Override
                public boolean sendOnSession(ContactId c, Envelope e) {
                    io.execute(() -> session(engines[0], bAtA, e));
                    return true;
                }
            }, io, timers, events, Duration.ofSeconds(1));
            engines[0] = a;
            engines[1] = b;
            a.load();
            b.load();
            Thread t = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket s = listener.accept();
                        io.execute(() -> a.serve(bAtA, link(s)));
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "bench-accept");
            t.setDaemon(true);
            t.start();
        }

        private static void session(FileEngine e, ContactId from, Envelope m) {
            try {
                e.onSessionMessage(from, m);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }

        private ContactId contact(Profile me, Profile them) throws Exception {
            Contact c = me.contacts().addOutgoingRequest(them.identity().address(), null, null, null,
                    EndpointKeys.ours(IdentityKeyPair.generate(random),
                            ClientAuthKeyPair.generate(random).publicKeyBase32()));
            return me.contacts().accept(c.id(), EndpointKeys.theirs(IdentityKeyPair.generate(random).address(),
                    ClientAuthKeyPair.generate(random))).id();
        }

        /** Offers, delivers the offer, accepts, waits for completion; samples heap and RSS into {@code mem}. */
        Result transfer(Path file, Map<String, Object> mem) throws Exception {
            FileTransfer t = a.offer(new org.allium.core.api.ContactId(bAtA.value()), file);
            Message m = pa.messages().pendingFor(bAtA).stream().filter(x -> x.id().toHex().equals(t.id().hex()))
                    .findFirst().orElseThrow();
            b.onSessionMessage(aAtB, a.offerFor(m));
            System.gc();
            long heapBefore = usedHeap();
            long peakHeap = heapBefore;
            long peakRss = rss();
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            b.accept(t.id(), null);
            MessageId id = t.id();
            while (true) {
                FileTransfer s = b.get(id).orElseThrow();
                if (s.state() == FileTransfer.State.COMPLETE) {
                    break;
                }
                if (s.state().isFinal()) {
                    throw new IllegalStateException("transfer ended " + s.state() + ": " + s.reason());
                }
                peakHeap = Math.max(peakHeap, usedHeap());
                peakRss = Math.max(peakRss, rss());
                Thread.sleep(100);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double mb = Files.size(file) / 1e6;
            double cpuMs = (cpuNanos() - cpu0) / 1e6;
            if (mem != null) {
                mem.put("heap_used_before_mb", FigureKit.round(heapBefore / 1e6));
                mem.put("heap_used_peak_mb", FigureKit.round(peakHeap / 1e6));
                mem.put("rss_peak_mb", FigureKit.round(peakRss / 1e6));
                mem.put("max_heap_mb", FigureKit.round(Runtime.getRuntime().maxMemory() / 1e6));
            }
            return new Result(mb / secs, cpuMs / mb);
        }

        @Override
        public void close() throws Exception {
            listener.close();
            a.stop();
            b.stop();
            timers.shutdownNow();
            io.shutdown();
            io.awaitTermination(10, TimeUnit.SECONDS);
            events.shutdown();
            pa.close();
            pb.close();
        }
    }

    static FileLink link(Socket s) {
        try {
            s.setTcpNoDelay(true);
            FrameReader r = new FrameReader(new BufferedInputStream(s.getInputStream(), 1 << 16), 65536);
            FrameWriter w = new FrameWriter(s.getOutputStream());
            return new FileLink() {
                @Override
                public void send(Envelope m) throws IOException {
                    w.write(m);
                }

                @Override
                public Envelope receive() throws IOException {
                    Envelope e = r.read();
                    if (e == null) {
                        throw new java.io.EOFException();
                    }
                    return e.hasClose() ? null : e;
                }

                @Override
                public boolean inputPending() throws IOException {
                    return r.hasBufferedInput();
                }

                @Override
                public void setReadTimeout(Duration t) throws IOException {
                    s.setSoTimeout((int) t.toMillis());
                }

                @Override
                public void finish() {
                    close();
                }

                @Override
                public void close() {
                    try {
                        s.close();
                    } catch (IOException e) {
                        // closing
                    }
                }
            };
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ricochet Refresh's way: 63 KiB chunk, wait for the ack, next chunk. Returns MB/s. */
    static double stopAndWait(Path file, DelayRelay relay) throws Exception {
        int chunk = 63 * 1024;
        try (ServerSocket sink = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = relay.forwardTo(sink.getLocalPort());
            Thread t = new Thread(() -> {
                try (Socket s = sink.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    byte[] buf = new byte[chunk];
                    while (true) {
                        int got = 0;
                        while (got < chunk) {
                            int n = in.read(buf, got, chunk - got);
                            if (n < 0) {
                                return;
                            }
                            got += n;
                        }
                        out.write(1);
                        out.flush();
                    }
                } catch (IOException e) {
                    // done
                }
            });
            t.setDaemon(true);
            t.start();
            byte[] data = Files.readAllBytes(file);
            long t0 = System.nanoTime();
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
                c.setTcpNoDelay(true);
                OutputStream out = c.getOutputStream();
                InputStream in = c.getInputStream();
                for (int off = 0; off < data.length; off += chunk) {
                    byte[] b = new byte[chunk];
                    System.arraycopy(data, off, b, 0, Math.min(chunk, data.length - off));
                    out.write(b);
                    out.flush();
                    if (in.read() < 0) {
                        throw new IOException("sink closed");
                    }
                }
            }
            return data.length / 1e6 / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** Raw TCP on loopback: the same bytes through a socket to a sink. MB/s. */
    static double rawLoopback(Path file) throws Exception {
        try (ServerSocket sink = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = sink.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[1 << 16];
                    while (in.read(buf) >= 0) {
                        // discard
                    }
                } catch (IOException e) {
                    // done
                }
            });
            t.setDaemon(true);
            t.start();
            long t0 = System.nanoTime();
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), sink.getLocalPort());
                 InputStream in = Files.newInputStream(file)) {
                in.transferTo(c.getOutputStream());
            }
            t.join(60_000);
            return Files.size(file) / 1e6 / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * A TCP relay on loopback that delays every byte by {@code oneWayMs} in each direction and
     * paces each direction to {@code rate} bytes per second.
     */
    static final class DelayRelay implements AutoCloseable {
        final int oneWayMs;
        final long rate;
        final java.util.List<ServerSocket> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        DelayRelay(int oneWayMs, long rate) {
            this.oneWayMs = oneWayMs;
            this.rate = rate;
        }

        int forwardTo(int targetPort) throws IOException {
            ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            servers.add(ss);
            Thread t = new Thread(() -> {
                while (!ss.isClosed()) {
                    try {
                        Socket in = ss.accept();
                        Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                        in.setTcpNoDelay(true);
                        out.setTcpNoDelay(true);
                        sockets.add(in);
                        sockets.add(out);
                        pump(in, out);
                        pump(out, in);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "relay-accept");
            t.setDaemon(true);
            t.start();
            return ss.getLocalPort();
        }

        private record Piece(long due, byte[] data) { }

        private void pump(Socket from, Socket to) {
            LinkedBlockingQueue<Piece> q = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (InputStream in = from.getInputStream()) {
                    byte[] buf = new byte[16 * 1024];
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        q.add(new Piece(System.nanoTime() + oneWayMs * 1_000_000L, java.util.Arrays.copyOf(buf, n)));
                    }
                } catch (IOException e) {
                    // closed
                }
                q.add(new Piece(0, null));
            }, "relay-read");
            Thread writer = new Thread(() -> {
                long sentBytes = 0;
                long start = 0;
                try (OutputStream out = to.getOutputStream()) {
                    while (true) {
                        Piece p = q.take();
                        if (p.data == null) {
                            break;
                        }
                        long wait = p.due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        long now = System.nanoTime();
                        if (start == 0 || q.isEmpty() && now - start > 1_000_000_000L * sentBytes / rate + 50_000_000L) {
                            start = now; // idle: the pacing budget does not accumulate
                            sentBytes = 0;
                        }
                        sentBytes += p.data.length;
                        long earliest = start + 1_000_000_000L * sentBytes / rate;
                        long pace = earliest - System.nanoTime();
                        if (pace > 0) {
                            TimeUnit.NANOSECONDS.sleep(pace);
                        }
                        out.write(p.data);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // closed
                }
                try {
                    to.shutdownOutput();
                } catch (IOException e) {
                    // closed
                }
            }, "relay-write");
            reader.setDaemon(true);
            writer.setDaemon(true);
            reader.start();
            writer.start();
        }

        @Override
        public void close() throws IOException {
            for (ServerSocket s : servers) {
                s.close();
            }
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    static Path randomFile(Path p, long size) throws IOException {
        Random r = new Random(1);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(p)) {
            for (long left = size; left > 0; left -= buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
        return p;
    }

    static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static long rss() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }

    static long cpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : -1;
    }

    static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
