package org.allium.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.allium.contacts.ContactsModule;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.ProfileManager;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;

/**
 * The daemon's resident memory (RSS) with the launchers' heap limit, as JSON on stdout: the
 * real {@code allium run} (the runnable jar, {@code java -Xmx256m -jar}, as {@code ./allium}
 * and the systemd unit start it) on a fresh profile with one contact, sampled from
 * /proc/PID/status every second — first idle, then while a client sends messages on its
 * control socket as fast as it answers; beside it, the same run's baseline: an idle JVM with
 * the same options doing nothing. The daemon's tor is pointed at a closed port (it keeps
 * retrying), so sending means queueing into the store and the outbox, not the network: the
 * store is where the sending daemon of issue 12 grew (900 MB RSS, 179 MB heap in use).
 * Usage: {@code bench/run DaemonRssFigures [idleSeconds=60] [busySeconds=60] [jar]} after
 * {@code ./mvnw -q -B -pl packaging -am package -DskipTests}.
 */
public final class DaemonRssFigures {
    private static final String PASS = "daemon rss figures passphrase";
    private static final String HEAP = "-Xmx256m";

    private DaemonRssFigures() {
    }

    public static void main(String[] args) throws Exception {
        int idleSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int busySeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path jar = Path.of(args.length > 2 ? args[2] : "packaging/target/allium.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no runnable jar at " + jar
                    + ": ./mvnw -q -B -pl packaging -am package -DskipTests");
        }
        Path dir = Files.createTempDirectory("allium-rss-");
        Path profile = dir.resolve("p");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        run(java, HEAP, "-jar", jar.toString(), "--profile", profile.toString(), "init");
        addContact(profile);

        Process baseline = start(java, HEAP, "-cp", System.getProperty("java.class.path"),
                Idle.class.getName());
        ProcessBuilder daemonBuilder = new ProcessBuilder(java, HEAP, "-jar", jar.toString(), "--profile",
                profile.toString(), "--tor-control", "127.0.0.1:9", "run");
        daemonBuilder.environment().put("ALLIUM_PASSPHRASE", PASS);
        daemonBuilder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process daemon = daemonBuilder.start();
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            Path socket = profile.resolve("control").resolve("allium.sock");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(socket) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            if (!Files.exists(socket)) {
                throw new IllegalStateException("the daemon did not open its control socket");
            }
            List<Long> idle = new ArrayList<>();
            List<Long> base = new ArrayList<>();
            for (int s = 0; s < idleSeconds; s++) {
                Thread.sleep(1000);
                idle.add(rss(daemon.pid()));
                base.add(rss(baseline.pid()));
            }
            List<Long> busy = new ArrayList<>();
            int sent = 0;
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                OutputStream w = Channels.newOutputStream(ch);
                BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                        StandardCharsets.UTF_8));
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(busySeconds);
                long nextSample = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                String text = "a message of about a hundred characters, like a chat line in a busy conversation."
                        + " #";
                while (System.nanoTime() < end) {
                    String req = "{\"id\":" + sent + ",\"cmd\":\"send\",\"contact\":1,\"text\":\"" + text + sent
                            + "\"}\n";
                    w.write(req.getBytes(StandardCharsets.UTF_8));
                    w.flush();
                    String resp = r.readLine();
                    if (resp == null || !resp.contains("\"ok\":true")) {
                        throw new IllegalStateException("send failed: " + resp);
                    }
                    sent++;
                    if (System.nanoTime() >= nextSample) {
                        busy.add(rss(daemon.pid()));
                        base.add(rss(baseline.pid()));
                        nextSample += TimeUnit.SECONDS.toNanos(1);
                    }
                }
                w.write("{\"id\":\"stop\",\"cmd\":\"stop\"}\n".getBytes(StandardCharsets.UTF_8));
                w.flush();
            }
            daemon.waitFor(60, TimeUnit.SECONDS);
            out.put("heap_option", HEAP);
            out.put("idle_seconds", idleSeconds);
            out.put("idle_rss_mb_median", mb(median(idle)));
            out.put("idle_rss_mb_max", mb(Collections.max(idle)));
            out.put("busy_seconds", busySeconds);
            out.put("busy_messages_sent", sent);
            out.put("busy_messages_per_s", round(sent / (double) busySeconds));
            out.put("busy_rss_mb_median", mb(median(busy)));
            out.put("busy_rss_mb_max", mb(Collections.max(busy)));
            out.put("baseline_idle_jvm_rss_mb_median", mb(median(base)));
            out.put("idle_vs_baseline", round(median(idle) / (double) median(base)));
            out.put("busy_max_vs_idle_median", round(Collections.max(busy) / (double) median(idle)));
            out.put("cores", Runtime.getRuntime().availableProcessors());
            out.put("load_average_1min", loadAverage());
        } finally {
            daemon.destroyForcibly();
            baseline.destroyForcibly();
            daemon.waitFor(30, TimeUnit.SECONDS);
            deleteTree(dir);
        }
        System.out.println(json(out));
    }

    /** A JVM that does nothing: the baseline. */
    public static final class Idle {
        private Idle() {
        }

        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static void addContact(Path profile) throws Exception {
        SecureRandom random = new SecureRandom();
        ProfileManager m = ContactsModule.profileManager(Runnable::run, Clock.systemUTC(), random);
        try (org.allium.contacts.api.Profile p = m.open(profile, PASS.toCharArray())) {
            Contact c = p.contacts().addOutgoingRequest(IdentityKeyPair.generate(random).address(), "Bob", null, null,
                    EndpointKeys.ours(IdentityKeyPair.generate(random),
                            ClientAuthKeyPair.generate(random).publicKeyBase32()));
            p.contacts().accept(c.id(), EndpointKeys.theirs(IdentityKeyPair.generate(random).address(),
                    ClientAuthKeyPair.generate(random)));
        }
    }

    private static void run(String... cmd) throws Exception {
        ProcessBuilder b = new ProcessBuilder(cmd);
        b.environment().put("ALLIUM_PASSPHRASE", PASS);
        Process p = b.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }

    private static Process start(String... cmd) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Resident set size of {@code pid} in bytes (VmRSS of /proc/PID/status). */
    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] f = line.trim().split("\\s+");
                return Long.parseLong(f[1]) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static double mb(long bytes) {
        return round(bytes / 1048576.0);
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static String json(Map<String, Object> m) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append('"').append(e.getKey()).append("\": ");
            Object v = e.getValue();
            b.append(v instanceof String ? "\"" + v + "\"" : String.format(Locale.ROOT, "%s", v));
        }
        return b.append('}').toString();
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
