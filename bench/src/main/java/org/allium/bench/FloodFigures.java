package org.allium.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.allium.core.Messengers;
import org.allium.core.api.ContactId;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;
import org.allium.core.api.Profiles;
import org.allium.core.api.TorSettings;
import org.allium.testnet.Testnet;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.Tor;

/**
 * The request channel under a flood (issue 11 §3), as JSON on stdout.
 *
 * <pre>bench/run FloodFigures [attackerProcesses] [threadsEach] [floodSeconds] [fresh|reuse]</pre>
 *
 * On the private Tor network: the victim V runs alone in a child JVM ({@link FloodVictim}, own
 * tor, testnet limits: 50 pending requests, 30 new strangers a minute, tor's PoW queue 1/s).
 * Its contact A (own tor, this JVM) sends a message every 500 ms and times send → DELIVERED
 * (V stored and acknowledged it). Strangers (one shared tor, this JVM) each send V one
 * request and time send → delivered (V acknowledged it). Both are measured twice in the same
 * run: without a flood (baseline) and while attacker processes ({@link FloodAttacker}, their
 * own tor, fresh identity and endpoint keys per request) flood V's identity onion for a
 * bounded time. V's heap (after GC) and RSS are read before and during the flood.
 */
public final class FloodFigures {
    private static final char[] PASS = "figures only".toCharArray();
    private static final Duration LONG = Duration.ofMinutes(6);
    private static final int STRANGERS_PER_PHASE = 3;
    private static final int MESSAGES_PER_PHASE = 40;

    private FloodFigures() {
    }

    public static void main(String[] args) throws Exception {
        int procs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 120;
        String mode = args.length > 3 ? args[3] : "fresh";
        Map<String, Object> json = new LinkedHashMap<>();
        try {
            run(procs, threads, seconds, mode, json);
        } catch (Exception e) {
            json.put("error", e.toString());
        }
        System.out.println(FigureKit.toJson(json));
        System.exit(json.containsKey("error") ? 1 : 0);
    }

    private static void run(int procs, int threads, int seconds, String mode, Map<String, Object> json)
            throws Exception {
        Path work = Files.createTempDirectory("allium-flood-");
        System.err.println("work dir: " + work);
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("attacker_processes", procs);
        setup.put("threads_each", threads);
        setup.put("flood_seconds", seconds);
        setup.put("isolation", mode);
        json.put("setup", setup);
        try (Testnet net = Testnet.start(work.resolve("net"))) {
            List<String> lines = net.clientTorrcLines();
            Path linesFile = work.resolve("torrc-lines");
            Files.write(linesFile, lines);
            Child victim = new Child(List.of(FloodVictim.class.getName(), work.resolve("victim").toString(),
                    linesFile.toString()), work.resolve("victim.log"));
            String v = victim.await("ADDRESS ").substring(8);

            Profiles profiles = Messengers.profiles();
            Profile ap = profiles.create(work.resolve("a"), PASS, null);
            Messenger a = Messengers.create(ap, TorSettings.ownTor().withTestnetLines(lines));
            FigureKit.Recorder aEvents = new FigureKit.Recorder(a);
            a.start();
            aEvents.await(0, MessengerEvent.Ready.class, e -> true, LONG, "A ready");
            ContactId va = a.sendContactRequest(v, null, "contact-please");
            aEvents.await(0, MessengerEvent.ContactAdded.class, e -> e.contact().id().equals(va), LONG, "A accepted");
            aEvents.await(0, MessengerEvent.PresenceChanged.class, e -> e.online(), LONG, "A online");

            Path strangerTorDir = work.resolve("stranger-tor");
            Tor strangerTor = FigureKit.startTor(strangerTorDir, lines);
            TorSettings strangerSettings = external(strangerTorDir, strangerTor, lines);
            List<Messenger> strangers = new ArrayList<>();
            List<FigureKit.Recorder> strangerEvents = new ArrayList<>();
            List<Profile> strangerProfiles = new ArrayList<>();
            for (int i = 0; i < 2 * STRANGERS_PER_PHASE; i++) {
                Profile p = profiles.create(work.resolve("stranger-" + i), PASS, null);
                Messenger m = Messengers.create(p, strangerSettings);
                FigureKit.Recorder r = new FigureKit.Recorder(m);
                m.start();
                r.await(0, MessengerEvent.Ready.class, e -> true, LONG, "stranger ready");
                strangers.add(m);
                strangerEvents.add(r);
                strangerProfiles.add(p);
            }
            Path attackTorDir = work.resolve("attack-tor");
            Tor attackTor = FigureKit.startTor(attackTorDir, lines);
            HostPort attackControl = controlPort(attackTorDir);

            // 1. Baseline: no flood.
            Map<String, Object> base = phase(a, aEvents, va, v, strangers.subList(0, STRANGERS_PER_PHASE),
                    strangerEvents.subList(0, STRANGERS_PER_PHASE), victim);
            json.put("baseline", base);

            // 2. The same while attacker processes flood V's identity onion.
            List<Child> attackers = new ArrayList<>();
            for (int i = 0; i < procs; i++) {
                attackers.add(new Child(List.of(FloodAttacker.class.getName(), attackControl.toString(),
                        attackTorDir.resolve("data").resolve("control_auth_cookie").toString(), v,
                        Integer.toString(threads), Integer.toString(seconds), mode), work.resolve("attacker-" + i + ".log")));
            }
            Thread.sleep(Math.min(20, seconds / 4) * 1000L); // the flood fills V's list and drains its buckets first
            Map<String, Object> flood = phase(a, aEvents, va, v, strangers.subList(STRANGERS_PER_PHASE, 2 * STRANGERS_PER_PHASE),
                    strangerEvents.subList(STRANGERS_PER_PHASE, 2 * STRANGERS_PER_PHASE), victim);
            json.put("flood", flood);
            long attempts = 0;
            long acked = 0;
            long refused = 0;
            long failed = 0;
            for (Child c : attackers) {
                String[] d = c.await("DONE ").split(" ");
                attempts += Long.parseLong(d[1]);
                acked += Long.parseLong(d[2]);
                refused += Long.parseLong(d[3]);
                failed += Long.parseLong(d[4]);
            }
            Map<String, Object> att = new LinkedHashMap<>();
            att.put("attempts", attempts);
            att.put("acked", acked);
            att.put("refused_with_close", refused);
            att.put("failed", failed);
            att.put("acked_per_minute", FigureKit.round(acked * 60.0 / seconds));
            json.put("attackers", att);
            json.put("victim_after_flood", memory(victim));
            Map<String, Object> ratios = new LinkedHashMap<>();
            ratios.put("message_median_flood_over_baseline",
                    FigureKit.round((double) flood.get("message_median_ms") / (double) base.get("message_median_ms")));
            ratios.put("request_median_flood_over_baseline",
                    FigureKit.round((double) flood.get("request_median_s") / (double) base.get("request_median_s")));
            ratios.put("victim_rss_flood_over_baseline", FigureKit.round(
                    (double) ((Map<?, ?>) flood.get("victim")).get("rss_mb")
                            / (double) ((Map<?, ?>) base.get("victim")).get("rss_mb")));
            json.put("ratios", ratios);
            json.put("notes", "testnet on loopback; victim alone in a child JVM (default heap), its tor not"
                    + " counted; attackers: fresh identity + endpoint keys per request, " + mode
                    + " SOCKS isolation; baseline and flood phases in the same run");

            victim.stop();
            a.stop();
            ap.close();
            for (int i = 0; i < strangers.size(); i++) {
                strangers.get(i).stop();
                strangerProfiles.get(i).close();
            }
            strangerTor.close();
            attackTor.close();
        }
    }

    /** A's messages and the strangers' requests, timed; V's memory at the end. */
    private static Map<String, Object> phase(Messenger a, FigureKit.Recorder aEvents, ContactId va, String v,
                                             List<Messenger> strangers, List<FigureKit.Recorder> events,
                                             Child victim) throws Exception {
        List<Long> sentAt = new ArrayList<>();
        List<ContactId> ids = new ArrayList<>();
        List<Integer> marks = new ArrayList<>();
        for (int i = 0; i < strangers.size(); i++) {
            marks.add(events.get(i).mark());
            sentAt.add(System.nanoTime());
            ids.add(strangers.get(i).sendContactRequest(v, null, "hello " + i));
        }
        List<Double> latency = new ArrayList<>();
        for (int i = 0; i < MESSAGES_PER_PHASE; i++) {
            int mark = aEvents.mark();
            long t0 = System.nanoTime();
            MessageId id = a.sendMessage(va, "m" + i);
            long t1 = aEvents.await(mark, MessengerEvent.MessageStatusChanged.class,
                    e -> e.message().equals(id) && e.status() == MessageStatus.DELIVERED, LONG, "delivered");
            latency.add((t1 - t0) / 1e6);
            Thread.sleep(500);
        }
        List<Double> arrival = new ArrayList<>();
        int lost = 0;
        for (int i = 0; i < strangers.size(); i++) {
            ContactId id = ids.get(i);
            try {
                long t = events.get(i).await(marks.get(i), MessengerEvent.RequestChanged.class,
                        e -> e.request().id().equals(id) && e.request().delivered(), LONG, "request delivered");
                arrival.add((t - sentAt.get(i)) / 1e9);
            } catch (IllegalStateException e) {
                lost++;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messages", latency.size());
        m.put("message_median_ms", FigureKit.round(FigureKit.percentile(latency, 50)));
        m.put("message_p95_ms", FigureKit.round(FigureKit.percentile(latency, 95)));
        m.put("requests", strangers.size());
        m.put("request_arrival_s", arrival.stream().map(FigureKit::round).toList());
        m.put("request_median_s", FigureKit.round(FigureKit.percentile(arrival, 50)));
        m.put("requests_not_arrived_in_6_min", lost);
        m.put("victim", memory(victim));
        return m;
    }

    private static Map<String, Object> memory(Child victim) throws Exception {
        victim.send("memory");
        String[] p = victim.await("MEMORY ").split(" ");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heap_mb", FigureKit.round(Long.parseLong(p[1]) / 1048576.0));
        m.put("rss_mb", FigureKit.round(Long.parseLong(p[2]) / 1048576.0));
        m.put("pending_requests", Integer.parseInt(p[3]));
        return m;
    }

    private static TorSettings external(Path dir, Tor tor, List<String> lines) throws Exception {
        HostPort control = controlPort(dir);
        return TorSettings.externalTor(control.host(), control.port(),
                dir.resolve("data").resolve("control_auth_cookie"), null, ((HostPort) tor.socksAddress()).port())
                .withTestnetLines(lines);
    }

    private static HostPort controlPort(Path dir) throws IOException {
        for (String line : Files.readString(dir.resolve("control-port.txt")).split("\n")) {
            if (line.strip().startsWith("PORT=")) {
                return HostPort.parse(line.strip().substring(5));
            }
        }
        throw new IllegalStateException("no control port");
    }

    /** A child JVM on the bench's class path; stdout lines queued, stderr to a log file. */
    private static final class Child {
        final Process process;
        final Writer in;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Child(List<String> mainAndArgs, Path log) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
            cmd.addAll(mainAndArgs);
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // ended
                }
            }, "child-stdout");
            t.setDaemon(true);
            t.start();
        }

        void send(String line) throws IOException {
            in.write(line + "\n");
            in.flush();
        }

        String await(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + LONG.toNanos();
            while (true) {
                String l = lines.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (l == null) {
                    throw new IllegalStateException("child: no '" + prefix.strip() + "' in time");
                }
                if (l.startsWith(prefix)) {
                    return l;
                }
                if (l.startsWith("ERROR")) {
                    System.err.println("child: " + l);
                }
            }
        }

        void stop() throws Exception {
            send("stop");
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
