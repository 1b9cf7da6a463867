package org.allium.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.allium.contacts.api.DropStore;
import org.allium.core.Messengers;
import org.allium.core.api.ContactId;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;
import org.allium.core.api.DropLine;
import org.allium.core.dropline.DropSource;
import org.allium.core.dropline.SourceTor;
import org.allium.protocol.DropCodename;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.testnet.Testnet;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.OnionServiceSpec;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.Tor;

/**
 * Drop line figures on the private Tor network (issue 15), with the same run's baselines:
 * the raw onion round trip (64-byte echo) and bulk rate (1 MiB) between two fresh tors.
 * <ul>
 * <li>source send → both operators have it: a source on its own tor submits text to a drop
 *     line (own tor) with two operators (own tor each, team mode); time from the submit call
 *     to the case appearing at both operators, and the submit call alone;</li>
 * <li>source send with a 10 MiB attachment → the drop line, then both operators (which fetch
 *     it from the drop line), hold the complete attachment; against the time 10 MiB takes at
 *     the raw onion bulk rate; the operator's export is checked byte for byte (not timed);</li>
 * <li>a source's check-in from a cold start: tor start + bootstrap, Argon2id of the
 *     codename, the check-in exchange;</li>
 * <li>submissions per second from fresh keys the drop line stores before its limits refuse
 *     (8 concurrent sources for {@code floodSeconds}), and this JVM's heap and RSS (the drop
 *     line and both operators run in it).</li>
 * </ul>
 * Usage: {@code bench/run DropLineFigures [samples=5] [floodSeconds=20]}
 */
public final class DropLineFigures {
    private static final Duration LONG = Duration.ofMinutes(6);
    private static final String PASS = "drop line figures only";
    private static final SecureRandom RANDOM = new SecureRandom();

    private DropLineFigures() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int floodSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path work = Files.createTempDirectory("allium-drop-bench-");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "DropLineFigures");
        json.put("utc", Instant.now().toString());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("load_average_1m", FigureKit.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage()));
        try (Testnet net = Testnet.start(work.resolve("net"))) {
            List<String> lines = net.clientTorrcLines();
            TorSettings own = TorSettings.ownTor().withTestnetLines(lines);

            // Baselines of this run: raw onion round trip and bulk rate between two fresh tors.
            Map<String, Object> base = new LinkedHashMap<>();
            try (Tor server = FigureKit.startTor(work.resolve("raw-server"), lines);
                 Tor client = FigureKit.startTor(work.resolve("raw-client"), lines)) {
                ExecutorService pool = Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "bench-echo");
                    t.setDaemon(true);
                    return t;
                });
                try (TorBaselineServer echo = new TorBaselineServer(pool)) {
                    IdentityKeyPair key = IdentityKeyPair.generate(RANDOM);
                    ServiceId id = new ServiceId(key.address().serviceId());
                    server.publish(OnionServiceSpec.builder(key.expandedSecretKey(), id, 80,
                            HostPort.loopback(echo.port())).build());
                    try (Socket s = dialUntilUp(client, id)) {
                        double[] ms = TorBaselineStats.roundTrips(s, 64, 5, 30);
                        base.put("raw_onion_round_trip_median_ms", FigureKit.round(TorBaselineStats.median(ms)));
                    }
                }
                pool.shutdownNow();
                base.put("raw_onion_bulk_mb_per_s", FigureKit.round(FileOnionFigures.rawOnionStream(server, client, 1 << 20)));
            }
            json.put("baseline", base);
            double rtt = (double) base.get("raw_onion_round_trip_median_ms");

            // The drop line and two operators, contacts, team mode on.
            Messenger line = start(work.resolve("line"), "desk", own);
            Messenger op1 = start(work.resolve("op1"), "olga", own);
            Messenger op2 = start(work.resolve("op2"), "otto", own);
            DropLine drop = Messengers.dropLine(line);
            drop.setEnabled(true);
            drop.addOperator(connect(line, op1).value());
            drop.addOperator(connect(line, op2).value());
            DropLine d1 = Messengers.dropLine(op1);
            DropLine d2 = Messengers.dropLine(op2);
            OnionAddress address = OnionAddress.parse(line.myIdentity().serviceId());

            // 1. Source send → both operators have the case.
            List<Double> notified = new ArrayList<>();
            List<Double> submitCall = new ArrayList<>();
            DropCodename kept = null;
            try (SourceTor tor = SourceTor.start(own, LONG)) {
                DropSource source = new DropSource(tor::dial, RANDOM, Duration.ofSeconds(30));
                // the first dial waits for the descriptor; not measured
                untilReachable(() -> source.checkIn(address, IdentityKeyPair.generate(RANDOM)));
                for (int i = 0; i < samples; i++) {
                    DropCodename c = DropCodename.generate(RANDOM);
                    kept = c;
                    IdentityKeyPair key = c.sourceKey(address);
                    int before1 = d1.cases().size();
                    int before2 = d2.cases().size();
                    long t0 = System.nanoTime();
                    DropSource.Answer a = source.submit(address, key, source.newId(), "sample " + i);
                    long t1 = System.nanoTime();
                    if (!a.stored()) {
                        throw new IllegalStateException("a sample was refused: " + a.refusal());
                    }
                    long deadline = System.nanoTime() + LONG.toNanos();
                    while (d1.cases().size() <= before1 || d2.cases().size() <= before2) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("the operators did not get the submission");
                        }
                        Thread.sleep(5);
                    }
                    long t2 = System.nanoTime();
                    submitCall.add((t1 - t0) / 1e6);
                    notified.add((t2 - t0) / 1e6);
                }
            }
            Map<String, Object> send = new LinkedHashMap<>();
            send.put("samples", samples);
            send.put("submit_call_median_ms", FigureKit.round(FigureKit.percentile(submitCall, 50)));
            send.put("send_to_both_operators_median_ms", FigureKit.round(FigureKit.percentile(notified, 50)));
            send.put("send_to_both_operators_p95_ms", FigureKit.round(FigureKit.percentile(notified, 95)));
            send.put("ratio_to_raw_onion_round_trip", FigureKit.round(FigureKit.percentile(notified, 50) / rtt));
            json.put("text_submission", send);

            // 1b. Source send of text with a 10 MiB attachment → the drop line, then both operators,
            // hold the complete attachment; against 10 MiB at this run's raw onion bulk rate.
            Map<String, Object> attached = new LinkedHashMap<>();
            long size = 10L << 20;
            Path file = work.resolve("attachment.bin");
            try (java.io.OutputStream out = Files.newOutputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (long left = size; left > 0; left -= buf.length) {
                    RANDOM.nextBytes(buf);
                    out.write(buf, 0, (int) Math.min(buf.length, left));
                }
            }
            DropSource.Attachment attachment = DropSource.attach(file);
            try (SourceTor tor = SourceTor.start(own, LONG)) {
                DropSource source = new DropSource(tor::dial, RANDOM, Duration.ofSeconds(30));
                untilReachable(() -> source.checkIn(address, IdentityKeyPair.generate(RANDOM))); // not measured
                IdentityKeyPair key = DropCodename.generate(RANDOM).sourceKey(address);
                java.util.Set<Long> before = caseIds(drop);
                java.util.Set<Long> before1 = caseIds(d1);
                java.util.Set<Long> before2 = caseIds(d2);
                long t0 = System.nanoTime();
                DropSource.Answer a = source.submit(address, key, "with a 10 MiB attachment", List.of(attachment), null);
                long t1 = System.nanoTime();
                if (!a.stored()) {
                    throw new IllegalStateException("the submission with an attachment was refused: " + a.refusal());
                }
                long deadline = System.nanoTime() + LONG.toNanos();
                long atLine = 0;
                long atOperators = 0;
                while (atLine == 0 || atOperators == 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the attachment did not complete at the drop line and both operators");
                    }
                    if (atLine == 0 && complete(drop, before) != null) {
                        atLine = System.nanoTime();
                    }
                    if (atOperators == 0 && complete(d1, before1) != null && complete(d2, before2) != null) {
                        atOperators = System.nanoTime();
                    }
                    Thread.sleep(20);
                }
                // Not timed: the operator's copy exports to the very bytes the source sent.
                DropStore.Attachment copy = complete(d1, before1);
                Path exported = d1.export(copy.caseId(), copy.fileId(), Files.createDirectories(work.resolve("export")));
                if (Files.mismatch(file, exported) != -1) {
                    throw new IllegalStateException("the operator's exported attachment differs from the source's file");
                }
                double rawMs = size / 1e6 / (double) base.get("raw_onion_bulk_mb_per_s") * 1000;
                double lineMs = (atLine - t0) / 1e6;
                double opsMs = (atOperators - t0) / 1e6;
                attached.put("attachment_bytes", size);
                attached.put("submit_call_with_upload_ms", FigureKit.round((t1 - t0) / 1e6));
                attached.put("send_to_drop_line_complete_ms", FigureKit.round(lineMs));
                attached.put("send_to_both_operators_complete_ms", FigureKit.round(opsMs));
                attached.put("raw_onion_bulk_ms_for_same_bytes", FigureKit.round(rawMs));
                attached.put("drop_line_ratio_to_raw_onion_bulk", FigureKit.round(lineMs / rawMs));
                attached.put("both_operators_ratio_to_raw_onion_bulk", FigureKit.round(opsMs / rawMs));
                attached.put("exported_bytes_identical", true);
            }
            json.put("attachment_submission", attached);

            // 2. Check-in from a cold start: tor, Argon2id, the exchange.
            Map<String, Object> cold = new LinkedHashMap<>();
            long c0 = System.nanoTime();
            try (SourceTor tor = SourceTor.start(own, LONG)) {
                long c1 = System.nanoTime();
                IdentityKeyPair key = DropCodename.parse(String.join(" ", kept.words())).sourceKey(address);
                long c2 = System.nanoTime();
                DropSource source = new DropSource(tor::dial, RANDOM, Duration.ofSeconds(30));
                DropSource.Answer a = untilReachable(() -> source.checkIn(address, key));
                long c3 = System.nanoTime();
                cold.put("status", a.status().name().toLowerCase(java.util.Locale.ROOT));
                cold.put("tor_start_ms", (c1 - c0) / 1_000_000);
                cold.put("argon2id_ms", (c2 - c1) / 1_000_000);
                cold.put("check_in_ms", (c3 - c2) / 1_000_000);
                cold.put("total_ms", (c3 - c0) / 1_000_000);
                cold.put("check_in_ratio_to_raw_onion_round_trip", FigureKit.round((c3 - c2) / 1e6 / rtt));
            }
            json.put("cold_check_in", cold);

            // 3. A flood of fresh keys: what is stored per second before the limits refuse.
            Map<String, Object> flood = new LinkedHashMap<>();
            try (SourceTor tor = SourceTor.start(own, LONG)) {
                DropSource source = new DropSource(tor::dial, RANDOM, Duration.ofSeconds(30));
                untilReachable(() -> source.checkIn(address, IdentityKeyPair.generate(RANDOM)));
                AtomicInteger stored = new AtomicInteger();
                AtomicInteger refused = new AtomicInteger();
                AtomicInteger failed = new AtomicInteger();
                long[] firstRefusal = {0};
                long peakRss = FileFigures.rss();
                long peakHeap = FileFigures.usedHeap();
                ExecutorService pool = Executors.newFixedThreadPool(8);
                long f0 = System.nanoTime();
                long end = f0 + TimeUnit.SECONDS.toNanos(floodSeconds);
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    workers.add(pool.submit(() -> {
                        while (System.nanoTime() < end) {
                            try {
                                DropSource.Answer a = source.submit(address, IdentityKeyPair.generate(RANDOM),
                                        source.newId(), "flood");
                                if (a.stored()) {
                                    stored.incrementAndGet();
                                } else {
                                    refused.incrementAndGet();
                                }
                            } catch (IOException e) {
                                refused.incrementAndGet(); // rate limits close the connection
                                synchronized (firstRefusal) {
                                    if (firstRefusal[0] == 0) {
                                        firstRefusal[0] = System.nanoTime();
                                    }
                                }
                            } catch (Exception e) {
                                failed.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                while (System.nanoTime() < end) {
                    peakRss = Math.max(peakRss, FileFigures.rss());
                    peakHeap = Math.max(peakHeap, FileFigures.usedHeap());
                    Thread.sleep(200);
                }
                for (Future<?> f : workers) {
                    f.get();
                }
                pool.shutdown();
                double secs = (System.nanoTime() - f0) / 1e9;
                flood.put("seconds", FigureKit.round(secs));
                flood.put("concurrent_sources", 8);
                flood.put("stored", stored.get());
                flood.put("refused_or_closed", refused.get());
                flood.put("other_errors", failed.get());
                flood.put("stored_per_s", FigureKit.round(stored.get() / secs));
                flood.put("first_refusal_after_ms", firstRefusal[0] == 0 ? -1 : (firstRefusal[0] - f0) / 1_000_000);
                flood.put("heap_used_peak_mb_three_messengers", FigureKit.round(peakHeap / 1e6));
                flood.put("rss_peak_mb_three_messengers", FigureKit.round(peakRss / 1e6));
                flood.put("max_heap_mb", FigureKit.round(Runtime.getRuntime().maxMemory() / 1e6));
                long deadline = System.nanoTime() + LONG.toNanos();
                int want = drop.cases().size();
                while (d1.cases().size() < want || d2.cases().size() < want) {
                    if (System.nanoTime() > deadline) {
                        break;
                    }
                    Thread.sleep(50);
                }
                flood.put("operators_caught_up_ms_after_flood", (System.nanoTime() - f0) / 1_000_000 - (long) (secs * 1000));
            }
            json.put("flood", flood);
            for (Messenger m : List.of(line, op1, op2)) {
                m.stop();
            }
        }
        System.out.println(FigureKit.toJson(json));
        System.exit(0);
    }

    private static java.util.Set<Long> caseIds(DropLine d) throws Exception {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (DropStore.Case c : d.cases()) {
            ids.add(c.id());
        }
        return ids;
    }

    /** The attachment of a case not in {@code before} once it is complete there, else null. */
    private static DropStore.Attachment complete(DropLine d, java.util.Set<Long> before)
            throws Exception {
        for (DropStore.Case c : d.cases()) {
            if (!before.contains(c.id())) {
                for (DropStore.Attachment a : d.attachments(c.id())) {
                    if (a.complete()) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    private static Socket dialUntilUp(Tor client, ServiceId id) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (true) {
            try {
                return client.dial(id, 80, StreamIsolation.of("rtt"), Duration.ofSeconds(30));
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    private interface Call {
        DropSource.Answer call() throws IOException, InterruptedException;
    }

    private static DropSource.Answer untilReachable(Call c) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (true) {
            try {
                return c.call();
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    private static final Map<Messenger, BlockingQueue<MessengerEvent>> EVENTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Messenger start(Path dir, String nick, TorSettings tor) throws Exception {
        Profile p = Messengers.profiles().create(dir, PASS.toCharArray(), nick);
        Messenger m = Messengers.create(p, tor);
        BlockingQueue<MessengerEvent> q = new LinkedBlockingQueue<>();
        m.subscribe(q::add);
        EVENTS.put(m, q);
        m.start();
        await(m, MessengerEvent.Ready.class::isInstance, "ready");
        return m;
    }

    private static MessengerEvent await(Messenger m, Predicate<MessengerEvent> p, String what) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        BlockingQueue<MessengerEvent> q = EVENTS.get(m);
        while (System.nanoTime() < deadline) {
            MessengerEvent e = q.poll(1, TimeUnit.SECONDS);
            if (e != null && p.test(e)) {
                return e;
            }
        }
        throw new IllegalStateException("timed out: " + what);
    }

    /** Makes {@code b} a contact of {@code a}; returns b's contact id at a once both are online. */
    private static ContactId connect(Messenger a, Messenger b) throws Exception {
        ContactId bAtA = a.sendContactRequest(b.myIdentity().serviceId(), null, "");
        MessengerEvent.RequestReceived req = (MessengerEvent.RequestReceived) await(b,
                MessengerEvent.RequestReceived.class::isInstance, "request");
        b.accept(req.request().id());
        await(a, e -> e instanceof MessengerEvent.ContactAdded ca && ca.contact().id().equals(bAtA), "acceptance");
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!a.contacts().stream().anyMatch(c -> c.id().equals(bAtA) && c.online())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("contact not online");
            }
            Thread.sleep(100);
        }
        return bAtA;
    }
}
