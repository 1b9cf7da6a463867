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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.allium.core.Messengers;
import org.allium.core.api.ContactId;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;
import org.allium.core.api.Profiles;
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
 * Messenger figures on the private Tor network, as JSON on stdout:
 * <ul>
 * <li>message latency (send → MessageReceived event at the other messenger, same JVM clock),
 *     median and p95, against the raw onion round trip / 2 measured in the same run between
 *     the same kind of tor clients;</li>
 * <li>messages/s over one contact link (send → every message received);</li>
 * <li>time from start and from tor bootstrapped to every contact connected, for 1, 10 and
 *     N (default 50) contacts, the measured messenger alone in a child JVM;</li>
 * <li>that child's heap (after GC) and RSS, idle with N contacts.</li>
 * </ul>
 * The contacts are N messengers in this JVM, ten per shared tor (external-tor mode), so the
 * machine runs N/10 + 8 tor processes instead of N + 8.
 * Usage: {@code bench/run MessengerFigures [N] [--hub-only] [--child-log=FINE]}: {@code --hub-only}
 * skips the latency and throughput phases; {@code --child-log} sets the hub child's
 * org.allium log level (its stderr goes to {@code hub-<k>.log} in the work directory, with a
 * progress line every 10 s).
 */
public final class MessengerFigures {
    private static final char[] PASS = "figures only".toCharArray();
    private static final Duration LONG = Duration.ofMinutes(10);
    /** java.util.logging level of org.allium in the hub child ({@code --child-log=FINE}), or null. */
    private static String childLogLevel;
    /**
     * Contacts per shared external tor. With all 50 on one tor (~110 onion services, all
     * re-uploading their descriptors at once at every 4-minute testnet time period) most
     * uploads failed and tor, which schedules the next upload 60-120 min after starting one,
     * did not retry: the hub's tor and an idle tor both got NOT_FOUND from all 5 HSDirs for
     * the contacts' endpoints while the service side held them. 10 per tor worked.
     */
    private static final int PEERS_PER_TOR = 10;
    private static Path childLogConfig;

    private MessengerFigures() {
    }

    /** A contact messenger in this JVM with a log of received message arrival times. */
    private static final class Peer {
        final Messenger messenger;
        final Profile profile;
        final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        final AtomicInteger received = new AtomicInteger();
        final BlockingQueue<MessengerEvent> events = new LinkedBlockingQueue<>();

        Peer(Messenger messenger, Profile profile) {
            this.messenger = messenger;
            this.profile = profile;
            messenger.subscribe(e -> {
                if (e instanceof MessengerEvent.MessageReceived r) {
                    receivedAt.put(r.message().text(), System.nanoTime());
                    received.incrementAndGet();
                    synchronized (receivedAt) {
                        receivedAt.notifyAll();
                    }
                }
                if (!(e instanceof MessengerEvent.TorProgress)) {
                    events.add(e);
                }
            });
        }

        <T extends MessengerEvent> T await(Class<T> type, java.util.function.Predicate<T> p) throws Exception {
            long deadline = System.nanoTime() + LONG.toNanos();
            List<MessengerEvent> skipped = new ArrayList<>();
            try {
                while (true) {
                    MessengerEvent e = events.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000),
                            TimeUnit.MILLISECONDS);
                    if (e == null) {
                        throw new IllegalStateException("timed out waiting for " + type.getSimpleName());
                    }
                    if (type.isInstance(e) && p.test(type.cast(e))) {
                        return type.cast(e);
                    }
                    skipped.add(e);
                }
            } finally {
                for (int i = skipped.size() - 1; i >= 0; i--) {
                    ((LinkedBlockingQueue<MessengerEvent>) events).offer(skipped.get(i));
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int n = 50;
        boolean hubOnly = false;
        for (String a : args) {
            if (a.equals("--hub-only")) {
                hubOnly = true;
            } else if (a.startsWith("--child-log=")) {
                childLogLevel = a.substring("--child-log=".length());
            } else {
                n = Integer.parseInt(a);
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        try {
            run(n, hubOnly, json);
        } catch (Exception e) {
            // What was measured before the failure is still worth printing.
            json.put("error", e.toString());
        }
        System.out.println(toJson(json));
        System.exit(json.containsKey("error") ? 1 : 0);
    }

    private static void run(int n, boolean hubOnly, Map<String, Object> json) throws Exception {
        Path work = Files.createTempDirectory("allium-figures-");
        System.err.println("work dir: " + work);
        if (childLogLevel != null) {
            childLogConfig = work.resolve("hub-logging.properties");
            Files.writeString(childLogConfig, "handlers=java.util.logging.ConsoleHandler\n"
                    + "java.util.logging.ConsoleHandler.level=" + childLogLevel + "\n"
                    + "org.allium.level=" + childLogLevel + "\n");
        }
        List<Peer> peers = new ArrayList<>();
        try (Testnet net = Testnet.start(work.resolve("net"))) {
            List<String> lines = net.clientTorrcLines();
            Path linesFile = work.resolve("torrc-lines");
            Files.write(linesFile, lines);
            // One tor per PEERS_PER_TOR contacts: a single tor hosting all ~2N onion services
            // (N identities + N endpoints) lost its descriptors on the HSDirs (see PEERS_PER_TOR).
            List<Tor> shared = new ArrayList<>();
            List<TorSettings> external = new ArrayList<>();
            for (int t = 0; t * PEERS_PER_TOR < Math.max(n, 1); t++) {
                Path sharedDir = work.resolve("shared-tor-" + t);
                Tor tor = startTor(sharedDir, lines);
                shared.add(tor);
                HostPort control = parsePort(Files.readString(sharedDir.resolve("control-port.txt")));
                external.add(TorSettings.externalTor(control.host(), control.port(),
                        sharedDir.resolve("data").resolve("control_auth_cookie"), null, ((HostPort) tor.socksAddress()).port())
                        .withTestnetLines(lines)); // only selects the short testnet timers for external tor
            }
            Tor client = startTor(work.resolve("client-tor"), lines);

            // 1. Raw onion round trip between the two kinds of clients used below.
            List<Double> rawRtt = hubOnly ? List.of() : rawRoundTrips(shared.get(0), client, 200);

            Profiles profiles = Messengers.profiles();
            for (int i = 0; i < n; i++) {
                Profile p = profiles.create(work.resolve("peer-" + i), PASS, null);
                Peer peer = new Peer(Messengers.create(p, external.get(i / PEERS_PER_TOR)), p);
                peer.messenger.start();
                peers.add(peer);
            }
            for (Peer p : peers) {
                p.await(MessengerEvent.Ready.class, e -> true);
            }

            // 2. Latency and throughput between an own-tor messenger and a peer.
            if (!hubOnly) {
                latencyAndThroughput(work, profiles, lines, peers.get(0), rawRtt, json);
            }

            // 3. Connect-all time and idle memory of a child messenger with k contacts.
            connectAll(work, linesFile, peers, n, json);
            json.put("raw_onion_rtt_samples", rawRtt.size());
            json.put("notes", "testnet on loopback; every " + PEERS_PER_TOR
                    + " contacts share one external tor; the measured messenger runs"
                    + " alone in a child JVM (default heap settings); RSS excludes its tor process");
            for (Peer p : peers) {
                p.messenger.stop();
                p.profile.close();
            }
            for (Tor t : shared) {
                t.close();
            }
            client.close();
        }
    }

    private static void latencyAndThroughput(Path work, Profiles profiles, List<String> lines, Peer p0,
                                             List<Double> rawRtt, Map<String, Object> json) throws Exception {
        {
            Profile ap = profiles.create(work.resolve("sender"), PASS, null);
            Messenger a = Messengers.create(ap, TorSettings.ownTor().withTestnetLines(lines));
            Peer sender = new Peer(a, ap);
            a.start();
            sender.await(MessengerEvent.Ready.class, e -> true);
            ContactId p0AtA = a.sendContactRequest(p0.messenger.myIdentity().serviceId(), null, "");
            MessengerEvent.RequestReceived req = p0.await(MessengerEvent.RequestReceived.class, e -> true);
            p0.messenger.accept(req.request().id());
            sender.await(MessengerEvent.ContactAdded.class, e -> true);
            sender.await(MessengerEvent.PresenceChanged.class, e -> e.online());
            List<Double> latency = new ArrayList<>();
            for (int i = 0; i < 220; i++) {
                String text = "lat " + i;
                long t0 = System.nanoTime();
                a.sendMessage(p0AtA, text);
                long deadline = t0 + Duration.ofSeconds(60).toNanos();
                synchronized (p0.receivedAt) {
                    while (!p0.receivedAt.containsKey(text)) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("latency message lost");
                        }
                        p0.receivedAt.wait(100);
                    }
                }
                if (i >= 20) { // warm-up
                    latency.add((p0.receivedAt.get(text) - t0) / 1e6);
                }
            }
            int burst = 1000;
            int before = p0.received.get();
            long t0 = System.nanoTime();
            for (int i = 0; i < burst; i++) {
                a.sendMessage(p0AtA, "tp " + i);
            }
            long deadline = t0 + LONG.toNanos();
            while (p0.received.get() < before + burst) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("throughput burst incomplete");
                }
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            a.stop();
            ap.close();

            Map<String, Object> lat = new LinkedHashMap<>();
            double rawHalfMedian = percentile(rawRtt, 50) / 2;
            double rawHalfP95 = percentile(rawRtt, 95) / 2;
            lat.put("samples", latency.size());
            lat.put("median_ms", round(percentile(latency, 50)));
            lat.put("p95_ms", round(percentile(latency, 95)));
            lat.put("raw_onion_rtt_half_median_ms", round(rawHalfMedian));
            lat.put("raw_onion_rtt_half_p95_ms", round(rawHalfP95));
            lat.put("median_minus_raw_half_ms", round(percentile(latency, 50) - rawHalfMedian));
            lat.put("median_ratio_to_raw_half", round(percentile(latency, 50) / rawHalfMedian));
            json.put("latency", lat);
            Map<String, Object> tp = new LinkedHashMap<>();
            tp.put("messages", burst);
            tp.put("seconds", round(seconds));
            tp.put("messages_per_s", round(burst / seconds));
            json.put("throughput_one_link", tp);
        }
    }

    private static void connectAll(Path work, Path linesFile, List<Peer> peers, int n, Map<String, Object> json)
            throws Exception {
        {
            Map<String, Object> connect = new LinkedHashMap<>();
            json.put("connect_all_and_idle_memory", connect);
            List<Integer> sizes = new ArrayList<>(List.of(1, 10, n));
            sizes.removeIf(k -> k > n);
            for (int k : sizes.stream().distinct().toList()) {
                Path hubDir = work.resolve("hub-" + k);
                Child setup = new Child(hubDir, linesFile, "setup", k, work.resolve("hub-" + k + ".log"));
                String address = setup.await("ADDRESS ").substring(8);
                for (int i = 0; i < k; i++) {
                    peers.get(i).messenger.sendContactRequest(address, null, "");
                }
                Thread watch = peerProgress(peers.subList(0, k), address);
                try {
                    setup.await("ALLONLINE");
                } finally {
                    watch.interrupt();
                }
                setup.stop();
                Child measure = new Child(hubDir, linesFile, "measure", k, work.resolve("hub-" + k + ".log"));
                String[] c = measure.await("CONNECTED ").split(" ");
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("contacts", k);
                one.put("ms_from_tor_ready", Long.parseLong(c[1]));
                one.put("ms_from_start", Long.parseLong(c[2]));
                String[] mem = measure.await("MEMORY ").split(" ");
                one.put("idle_heap_mb", round(Long.parseLong(mem[1]) / 1048576.0));
                one.put("idle_rss_mb", round(Long.parseLong(mem[2]) / 1048576.0));
                measure.stop();
                connect.put(Integer.toString(k), one);
                // The stopped hub would otherwise stay a contact that these peers redial for the
                // rest of the run, loading their tor during the next, larger case.
                for (int i = 0; i < k; i++) {
                    Messenger m = peers.get(i).messenger;
                    for (org.allium.core.api.Contact hub : m.contacts()) {
                        if (hub.serviceId().equals(address)) {
                            m.remove(hub.id());
                        }
                    }
                }
            }
        }
    }

    /** Every 10 s to stderr: how the first k peers see the hub (request pending, accepted, online). */
    private static Thread peerProgress(List<Peer> peers, String hub) {
        Thread t = new Thread(() -> {
            long t0 = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    return;
                }
                int outgoing = 0;
                int accepted = 0;
                int online = 0;
                List<Integer> offline = new ArrayList<>();
                for (int i = 0; i < peers.size(); i++) {
                    try {
                        for (org.allium.core.api.Contact c : peers.get(i).messenger.contacts()) {
                            if (!c.serviceId().equals(hub)) {
                                continue;
                            }
                            if (c.state() == org.allium.core.api.ContactState.OUTGOING_REQUEST) {
                                outgoing++;
                            } else if (c.state() == org.allium.core.api.ContactState.ACCEPTED) {
                                accepted++;
                                if (c.online()) {
                                    online++;
                                } else {
                                    offline.add(i);
                                }
                            }
                        }
                    } catch (Exception e) {
                        System.err.println("peer progress: " + e);
                    }
                }
                System.err.printf("PEERS t=%ds peers=%d outgoing=%d accepted=%d online=%d offline-peers=%s%n",
                        (System.nanoTime() - t0) / 1_000_000_000L, peers.size(), outgoing, accepted, online,
                        offline.size() > 20 ? offline.subList(0, 20) + "..." : offline);
            }
        }, "peer-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Tor startTor(Path dir, List<String> lines) throws Exception {
        // Loopback TCP ports: these tors are shared with the peers as external tors.
        Tor t = Tors.own(OwnTorSettings.builder(dir).tcpPorts(true).extraTorrcLines(lines).build());
        t.start();
        t.enableNetwork();
        t.awaitBootstrapped(Duration.ofMinutes(3));
        return t;
    }

    private static HostPort parsePort(String content) {
        for (String line : content.split("\n")) {
            if (line.strip().startsWith("PORT=")) {
                return HostPort.parse(line.strip().substring(5));
            }
        }
        throw new IllegalStateException("no control port");
    }

    /** Round trips of one byte over a raw onion stream: echo service on {@code server}, dialled from {@code client}. */
    private static List<Double> rawRoundTrips(Tor server, Tor client, int count) throws Exception {
        ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = echo.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                s.setTcpNoDelay(true);
                for (int b; (b = in.read()) >= 0; ) {
                    out.write(b);
                    out.flush();
                }
            } catch (IOException e) {
                // done
            }
        }, "echo");
        t.setDaemon(true);
        t.start();
        IdentityKeyPair key = IdentityKeyPair.generate(new SecureRandom());
        ServiceId id = new ServiceId(key.address().serviceId());
        server.publish(OnionServiceSpec.builder(key.expandedSecretKey(), id, 80,
                HostPort.loopback(echo.getLocalPort())).build());
        Socket s = null;
        long deadline = System.nanoTime() + LONG.toNanos();
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
        List<Double> rtt = new ArrayList<>();
        try (Socket c = s) {
            c.setTcpNoDelay(true);
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            for (int i = 0; i < count + 20; i++) {
                long t0 = System.nanoTime();
                out.write(i & 0x7f);
                out.flush();
                if (in.read() < 0) {
                    throw new IOException("echo closed");
                }
                if (i >= 20) {
                    rtt.add((System.nanoTime() - t0) / 1e6);
                }
            }
        }
        server.unpublish(id);
        echo.close();
        return rtt;
    }

    /** The measured messenger in its own JVM. */
    private static final class Child {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Child(Path profile, Path torrc, String mode, int contacts, Path log) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
            if (childLogConfig != null) {
                cmd.add("-Djava.util.logging.config.file=" + childLogConfig);
            }
            cmd.addAll(List.of(HubChild.class.getName(), profile.toString(), torrc.toString(), mode,
                    Integer.toString(contacts)));
            process = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // ended
                }
            }, "hub-stdout");
            t.setDaemon(true);
            t.start();
        }

        String await(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + LONG.toNanos();
            while (true) {
                String l = lines.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (l == null) {
                    throw new IllegalStateException("hub: no '" + prefix.strip() + "' in time");
                }
                if (l.startsWith(prefix)) {
                    return l;
                }
                if (l.startsWith("ERROR")) {
                    System.err.println("hub: " + l);
                }
            }
        }

        void stop() throws Exception {
            try (Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                w.write("stop\n");
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int idx = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, idx)));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String toJson(Object o) {
        if (o instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(", ");
                }
                first = false;
                b.append('"').append(e.getKey()).append("\": ").append(toJson(e.getValue()));
            }
            return b.append('}').toString();
        }
        if (o instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        if (o instanceof Double d) {
            return String.format(Locale.ROOT, "%.2f", d);
        }
        return String.valueOf(o);
    }

}
