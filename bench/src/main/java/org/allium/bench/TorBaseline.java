package org.allium.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.allium.protocol.IdentityKeyPair;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetException;
import org.allium.tor.Tors;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.OnionServiceSpec;
import org.allium.tor.api.OwnTorSettings;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.SocksException;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.Tor;
import org.allium.tor.api.TorException;
import org.allium.tor.api.TorObserver;

/**
 * The Tor baseline every later performance goal is measured against. Starts a private Tor
 * network, two of our own tors (tor-control) joining it, publishes an onion service from our
 * own key on one and dials it from the other, and measures, printing JSON on stdout:
 * <ul>
 * <li>testnet start: key generation, launch → every node bootstrapped;</li>
 * <li>ADD_ONION → first HS_DESC UPLOADED → first successful connect (dialling with retry);</li>
 * <li>small-message round trip (median, p95) over one onion stream on a fresh circuit;</li>
 * <li>bulk MB/s over one onion stream on a fresh circuit (median of {@value #BULK_RUNS}, each
 *     on its own circuit);</li>
 * <li>the same round trip and bulk over plain loopback TCP in the same run, with ratios.</li>
 * </ul>
 * Run: {@code bench/run TorBaseline [bulkMiB] [rttSamples]}. Figures vary a lot run to run;
 * compare ratios from one run, never absolute numbers across machines.
 */
public final class TorBaseline {
    private static final int VIRTUAL_PORT = 80;
    private static final int MESSAGE_BYTES = 32;
    private static final int RTT_WARMUP = 10;
    private static final int BULK_RUNS = 3;
    private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECT_DEADLINE = Duration.ofMinutes(3);

    private TorBaseline() {
    }

    public static void main(String[] args) throws Exception {
        int bulkMib = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int rttSamples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        try {
            System.out.println(TorBaselineStats.json(run(bulkMib * 1024L * 1024L, rttSamples), ""));
        } catch (TestnetException | IOException e) {
            System.err.println("TorBaseline failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static Map<String, Object> run(long bulkBytes, int rttSamples) throws Exception {
        Map<String, Object> out = TorBaselineStats.map();
        out.put("benchmark", "TorBaseline");
        out.put("utc", Instant.now().toString());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        Path work = Files.createTempDirectory("allium-bench-");
        ExecutorService serverThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-server");
            t.setDaemon(true);
            return t;
        });
        List<AutoCloseable> toClose = new ArrayList<>();
        try {
            long s0 = System.nanoTime();
            Testnet net = Testnet.start(work.resolve("net"));
            toClose.add(net);
            Map<String, Object> tn = TorBaselineStats.map();
            tn.put("key_generation_ms", (double) net.keyGenerationTime().toMillis());
            tn.put("launch_to_all_bootstrapped_ms", (double) net.bootstrapTime().toMillis());
            tn.put("start_total_ms", (System.nanoTime() - s0) / 1e6);
            tn.put("nodes", net.nodes().size());
            out.put("testnet", tn);

            Tor host = ownTor(work.resolve("host"), net);
            toClose.add(host);
            Tor dialer = ownTor(work.resolve("dialer"), net);
            toClose.add(dialer);
            Map<String, Object> clients = TorBaselineStats.map();
            clients.put("host_bootstrap_ms", bootstrap(host));
            clients.put("dialer_bootstrap_ms", bootstrap(dialer));
            clients.put("tor_version", host.version());
            out.put("clients", clients);
            Map<String, Object> memory = TorBaselineStats.map();
            memory.put("testnet_nodes_rss_mb", residentMb(net.pids()));
            memory.put("clients_rss_mb", residentMb(Stream.of(host, dialer)
                    .flatMap(t -> t.processId().stream().boxed()).toList()));
            out.put("memory_after_bootstrap", memory);

            TorBaselineServer server = new TorBaselineServer(serverThreads);
            toClose.add(server);
            IdentityKeyPair identity = IdentityKeyPair.generate(new SecureRandom());
            ServiceId service = new ServiceId(identity.address().serviceId());
            out.put("onion_publish", publishAndConnect(host, dialer, identity, service, server.port()));

            Map<String, Object> rtt = TorBaselineStats.map();
            Map<String, Object> bulk = TorBaselineStats.map();
            try (Socket s = dial(dialer, service, "rtt")) {
                double[] ms = TorBaselineStats.roundTrips(s, MESSAGE_BYTES, RTT_WARMUP, rttSamples);
                rtt.put("onion_median_ms", TorBaselineStats.median(ms));
                rtt.put("onion_p95_ms", TorBaselineStats.percentile(ms, 95));
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                double[] ms = TorBaselineStats.roundTrips(s, MESSAGE_BYTES, RTT_WARMUP, rttSamples);
                rtt.put("tcp_median_ms", TorBaselineStats.median(ms));
                rtt.put("tcp_p95_ms", TorBaselineStats.percentile(ms, 95));
            }
            rtt.put("message_bytes", MESSAGE_BYTES);
            rtt.put("samples", rttSamples);
            rtt.put("onion_over_tcp_median", (double) rtt.get("onion_median_ms") / (double) rtt.get("tcp_median_ms"));
            out.put("round_trip", rtt);

            // each onion run on a fresh circuit: a used circuit's congestion window skews the next
            double[] onion = new double[BULK_RUNS];
            for (int i = 0; i < onion.length; i++) {
                try (Socket s = dial(dialer, service, "bulk-" + i)) {
                    onion[i] = TorBaselineStats.bulk(s, bulkBytes);
                }
            }
            double[] tcp = new double[BULK_RUNS];
            for (int i = -1; i < tcp.length; i++) { // run -1 warms the JIT up, unmeasured
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                    double mbps = TorBaselineStats.bulk(s, bulkBytes);
                    if (i >= 0) {
                        tcp[i] = mbps;
                    }
                }
            }
            double onionMbps = TorBaselineStats.median(onion);
            double tcpMbps = TorBaselineStats.median(tcp);
            bulk.put("bytes", bulkBytes);
            bulk.put("runs", BULK_RUNS);
            bulk.put("onion_mb_per_s_median", onionMbps);
            bulk.put("onion_mb_per_s_runs", onion);
            bulk.put("tcp_mb_per_s_median", tcpMbps);
            bulk.put("tcp_mb_per_s_runs", tcp);
            bulk.put("tcp_over_onion", tcpMbps / onionMbps);
            out.put("bulk", bulk);
            host.unpublish(service);
            return out;
        } finally {
            for (int i = toClose.size() - 1; i >= 0; i--) {
                try {
                    toClose.get(i).close();
                } catch (Exception e) {
                    System.err.println("TorBaseline: cleanup failed: " + e);
                }
            }
            serverThreads.shutdownNow();
            deleteTree(work);
        }
    }

    private static Tor ownTor(Path dir, Testnet net) {
        return Tors.own(OwnTorSettings.builder(dir)
                .extraTorrcLines(net.clientTorrcLines())
                .startTimeout(Duration.ofSeconds(60))
                .build());
    }

    private static double bootstrap(Tor tor) throws TorException, InterruptedException {
        long t0 = System.nanoTime();
        tor.start();
        tor.enableNetwork();
        tor.awaitBootstrapped(Duration.ofMinutes(5));
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Publishes {@code id} from our own key and dials it until a stream works. */
    private static Map<String, Object> publishAndConnect(Tor host, Tor dialer, IdentityKeyPair identity,
                                                         ServiceId id, int targetPort) throws Exception {
        AtomicLong firstUpload = new AtomicLong();
        AtomicInteger uploads = new AtomicInteger();
        CountDownLatch uploaded = new CountDownLatch(1);
        TorObserver observer = new TorObserver() {
            @Override
            public void onDescriptorUploaded(ServiceId service) {
                if (service.equals(id)) {
                    uploads.incrementAndGet();
                    firstUpload.compareAndSet(0, System.nanoTime());
                    uploaded.countDown();
                }
            }
        };
        host.addObserver(observer);
        Map<String, Object> m = TorBaselineStats.map();
        try {
            OnionServiceSpec spec = OnionServiceSpec.builder(identity.expandedSecretKey(), id, VIRTUAL_PORT,
                    HostPort.loopback(targetPort)).build();
            long t0 = System.nanoTime();
            host.publish(spec);
            m.put("add_onion_reply_ms", (System.nanoTime() - t0) / 1e6);
            if (!uploaded.await(CONNECT_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IOException("no HS_DESC UPLOADED within " + CONNECT_DEADLINE);
            }
            m.put("add_onion_to_first_desc_uploaded_ms", (firstUpload.get() - t0) / 1e6);
            // dial from the first upload on, as an app would; the HSDir asked may not have it yet
            long deadline = System.nanoTime() + CONNECT_DEADLINE.toNanos();
            int attempts = 0;
            List<String> failures = new ArrayList<>();
            while (true) {
                attempts++;
                long a0 = System.nanoTime();
                try (Socket s = dial(dialer, id, "connect-" + attempts)) {
                    TorBaselineStats.roundTrips(s, 1, 0, 1);
                    long done = System.nanoTime();
                    m.put("add_onion_to_first_connect_ms", (done - t0) / 1e6);
                    m.put("successful_connect_ms", (done - a0) / 1e6);
                    break;
                } catch (SocksException e) {
                    failures.add(e.reason().name());
                    if (System.nanoTime() - deadline > 0) {
                        throw new IOException("could not connect to the onion: " + failures, e);
                    }
                    Thread.sleep(Math.min(2000, 250L * attempts));
                }
            }
            m.put("connect_attempts", attempts);
            m.put("failed_attempt_reasons", String.join(",", failures));
            m.put("desc_uploads_seen", uploads.get());
            long c0 = System.nanoTime();
            try (Socket s = dial(dialer, id, "cold")) {
                m.put("fresh_circuit_connect_ms", (System.nanoTime() - c0) / 1e6);
                long c1 = System.nanoTime();
                try (Socket again = dial(dialer, id, "cold")) {
                    m.put("same_circuit_connect_ms", (System.nanoTime() - c1) / 1e6);
                }
            }
            return m;
        } finally {
            host.removeObserver(observer);
        }
    }

    /** A connected stream on a circuit of its own (a fresh isolation key gives a fresh circuit). */
    private static Socket dial(Tor dialer, ServiceId id, String isolation) throws Exception {
        Socket s = dialer.dial(id, VIRTUAL_PORT, StreamIsolation.of(isolation), DIAL_TIMEOUT);
        s.setTcpNoDelay(true);
        return s;
    }

    /** Sum of VmRSS of the given processes in MB (Linux /proc), or NaN where unavailable. */
    private static double residentMb(List<Long> pids) {
        long kb = 0;
        for (long pid : pids) {
            try {
                String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
                String line = status.lines().filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();
                kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }
        return kb / 1024.0;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("TorBaseline: could not delete " + dir + ": " + e);
        }
    }
}
