package org.allium.bench;

import java.awt.EventQueue;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;
import org.allium.contacts.ContactsModule;
import org.allium.contacts.api.Contact;
import org.allium.contacts.api.EndpointKeys;
import org.allium.contacts.api.IncomingRequestOutcome;
import org.allium.contacts.api.MessageId;
import org.allium.contacts.api.ProfileManager;
import org.allium.core.Messengers;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;
import org.allium.desktop.AlliumApp;
import org.allium.desktop.Background;
import org.allium.desktop.CoreAccess;
import org.allium.desktop.DesktopMain;
import org.allium.desktop.Messages;
import org.allium.desktop.Theme;
import org.allium.desktop.ThemeChoice;
import org.allium.desktop.UiContext;
import org.allium.desktop.UiPreferences;
import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.allium.testnet.Testnet;

/**
 * Figures of the desktop app (run under a display: {@code xvfb-run -a bench/run DesktopFigures}):
 * <ul>
 * <li>JVM start → unlock window shown, in a fresh child JVM; baseline: a child JVM showing a
 *     plain Swing window with one label;</li>
 * <li>unlock → main window usable (contact list loaded) with tor already running (an
 *     external tor on the private Tor network); baseline: opening the same profile alone
 *     (Argon2id key derivation + encrypted store), measured in the same run;</li>
 * <li>resident memory of the app idle with 50 contacts and 10,000 messages; baseline: the
 *     plain Swing child JVM's.</li>
 * </ul>
 * Prints one JSON object. Arguments: {@code [runs]} (default 3; medians are reported).
 */
public final class DesktopFigures {
    static final char[] PASS = "desktop figures long passphrase".toCharArray();
    static final int CONTACTS = 50;
    static final int MESSAGES = 10_000;
    static final long IDLE_MS = 10_000;

    private DesktopFigures() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--app-child")) {
            appChild(Path.of(args[1]));
            return;
        }
        if (args.length > 0 && args[0].equals("--baseline-child")) {
            baselineChild();
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path work = Files.createTempDirectory("allium-desktop-figures");
        Process tor = null;
        try (Testnet testnet = Testnet.start(work.resolve("testnet"))) {
            int control = freePort();
            int socks = freePort();
            Path torDir = Files.createDirectories(work.resolve("tor"));
            tor = startTor(testnet, torDir, control, socks);

            Path profileDir = work.resolve("profile");
            Messengers.profiles().create(profileDir, PASS.clone(), "Figures").close();
            long openNanos = System.nanoTime();
            try (Profile p = Messengers.profiles().open(profileDir, PASS.clone())) {
                openNanos = System.nanoTime() - openNanos;
                p.setTorSettings(TorSettings.externalTor("127.0.0.1", control,
                        torDir.resolve("control_auth_cookie"), null, socks));
            }
            populate(profileDir);

            List<Long> baselineShown = new ArrayList<>();
            List<Long> baselineRss = new ArrayList<>();
            List<Long> shown = new ArrayList<>();
            List<Long> usable = new ArrayList<>();
            List<Long> rss = new ArrayList<>();
            List<Long> opens = new ArrayList<>();
            opens.add(TimeUnit.NANOSECONDS.toMillis(openNanos));
            int failed = 0;
            for (int i = 0; i < runs; i++) {
                Map<String, Long> b = child("--baseline-child");
                baselineShown.add(b.get("shownMs"));
                baselineRss.add(b.get("rssKb"));
                Map<String, Long> a = child("--app-child", profileDir.toString());
                if (a.getOrDefault("contacts", 0L) != CONTACTS || !a.containsKey("rssKb")) {
                    failed++;
                    System.err.println("DesktopFigures: app run failed: " + a);
                    continue;
                }
                shown.add(a.get("unlockShownMs"));
                usable.add(a.get("mainUsableMs"));
                rss.add(a.get("rssKb"));
                long t = System.nanoTime();
                Messengers.profiles().open(profileDir, PASS.clone()).close();
                opens.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
            }
            if (shown.isEmpty()) {
                throw new IllegalStateException("every app run failed");
            }
            long mShown = median(shown);
            long mBaseShown = median(baselineShown);
            long mUsable = median(usable);
            long mOpen = median(opens);
            long mRss = median(rss);
            long mBaseRss = median(baselineRss);
            StringBuilder json = new StringBuilder("{\n");
            json.append("  \"benchmark\": \"DesktopFigures\",\n");
            json.append("  \"runs\": ").append(runs).append(", \"failedRuns\": ").append(failed).append(",\n");
            json.append("  \"contacts\": ").append(CONTACTS).append(", \"messages\": ").append(MESSAGES).append(",\n");
            json.append("  \"jvmStartToUnlockWindowMs\": ").append(mShown).append(",\n");
            json.append("  \"baselinePlainSwingWindowMs\": ").append(mBaseShown).append(",\n");
            json.append("  \"unlockWindowRatio\": ").append(ratio(mShown, mBaseShown)).append(",\n");
            json.append("  \"unlockToMainUsableMs\": ").append(mUsable).append(",\n");
            json.append("  \"baselineProfileOpenMs\": ").append(mOpen).append(",\n");
            json.append("  \"unlockToMainRatio\": ").append(ratio(mUsable, mOpen)).append(",\n");
            json.append("  \"idleRssMb\": ").append(mRss / 1024).append(",\n");
            json.append("  \"baselinePlainSwingRssMb\": ").append(mBaseRss / 1024).append(",\n");
            json.append("  \"idleRssRatio\": ").append(ratio(mRss, mBaseRss)).append(",\n");
            json.append("  \"samples\": {\"unlockShownMs\": ").append(shown).append(", \"mainUsableMs\": ")
                    .append(usable).append(", \"rssKb\": ").append(rss).append(", \"baselineShownMs\": ")
                    .append(baselineShown).append(", \"baselineRssKb\": ").append(baselineRss)
                    .append(", \"profileOpenMs\": ").append(opens).append("}\n");
            json.append("}");
            System.out.println(json);
        } finally {
            if (tor != null) {
                tor.destroy();
                tor.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static String ratio(long a, long b) {
        return b <= 0 ? "null" : String.format(Locale.ROOT, "%.2f", (double) a / b);
    }

    static long median(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A tor client on the private network, with a control port: "tor already running". */
    static Process startTor(Testnet testnet, Path dir, int control, int socks) throws Exception {
        List<String> torrc = new ArrayList<>(testnet.clientTorrcLines());
        torrc.add("DataDirectory " + dir);
        torrc.add("ControlPort 127.0.0.1:" + control);
        torrc.add("SocksPort 127.0.0.1:" + socks);
        torrc.add("CookieAuthentication 1");
        torrc.add("Log notice file " + dir.resolve("notice.log"));
        Path file = dir.resolve("torrc");
        Files.write(file, torrc);
        Process p = new ProcessBuilder("tor", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        Path log = dir.resolve("notice.log");
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("Bootstrapped 100%")) {
                return p;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("tor exited: " + Files.readString(dir.resolve("stdout.log")));
            }
            Thread.sleep(200);
        }
        p.destroy();
        throw new IllegalStateException("tor did not bootstrap in time");
    }

    /** Writes 50 accepted contacts with 200 messages each straight into the closed profile's store. */
    static void populate(Path profileDir) throws Exception {
        SecureRandom random = new SecureRandom();
        ProfileManager manager = ContactsModule.profileManager(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "figures-store-events");
            t.setDaemon(true);
            return t;
        }));
        org.allium.contacts.api.Profile p = manager.open(profileDir, PASS.clone());
        try {
            int perContact = MESSAGES / CONTACTS;
            for (int c = 0; c < CONTACTS; c++) {
                IdentityKeyPair them = IdentityKeyPair.generate(random);
                IdentityKeyPair theirEndpoint = IdentityKeyPair.generate(random);
                ClientAuthKeyPair ourAuth = ClientAuthKeyPair.generate(random);
                ClientAuthKeyPair theirAuth = ClientAuthKeyPair.generate(random);
                IncomingRequestOutcome out = p.contacts().recordIncomingRequest(them.address(), "Contact " + c,
                        "hello", EndpointKeys.theirs(theirEndpoint.address(), ourAuth));
                Contact contact = p.contacts().accept(out.contact().id(), EndpointKeys.ours(
                        IdentityKeyPair.generate(random),
                        ClientAuthKeyPair.encodePublicKeyBase32(theirAuth.publicKey())));
                Instant t0 = Instant.now().minusSeconds(perContact * 60L);
                List<org.allium.contacts.api.MessageId> outgoing = new ArrayList<>();
                for (int m = 0; m < perContact; m++) {
                    String body = "Message " + m + " of a long conversation, about as long as a real one.";
                    if (m % 2 == 0) {
                        p.messages().acceptIncoming(contact.id(), MessageId.random(random), m / 2 + 1,
                                t0.plusSeconds(m * 60L), body);
                    } else {
                        outgoing.add(p.messages().enqueueOutgoing(contact.id(), body).id());
                    }
                }
                p.messages().markDelivered(contact.id(), outgoing);
                p.messages().markRead(contact.id());
            }
        } finally {
            p.close();
        }
    }

    /** Runs this class in a child JVM with {@code args}; returns its "figure name value" lines. */
    static Map<String, Long> child(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // As the jar's manifest does for the app (desktop-ui's X11 urgency hint).
        cmd.add("--add-exports=java.desktop/sun.awt=ALL-UNNAMED");
        cmd.add("--add-exports=java.desktop/sun.awt.X11=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DesktopFigures.class.getName());
        Collections.addAll(cmd, args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, Long> figures = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 3 && parts[0].equals("figure")) {
                    figures.put(parts[1], Long.parseLong(parts[2]));
                }
            }
        }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("child did not finish: " + String.join(" ", args));
        }
        return figures;
    }

    static long sinceJvmStart() {
        return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    static void idle() throws Exception {
        Thread.sleep(IDLE_MS);
        System.gc();
        Thread.sleep(2_000);
    }

    /** Child JVM: a plain Swing window with a label; prints when it is shown, then its idle RSS. */
    static void baselineChild() throws Exception {
        CountDownLatch opened = new CountDownLatch(1);
        AtomicReference<JFrame> frame = new AtomicReference<>();
        SwingUtilities.invokeLater(() -> {
            JFrame f = new JFrame("baseline");
            f.add(new JLabel("Plain Swing window"));
            f.setSize(1040, 720);
            f.addWindowListener(new WindowAdapter() {
                @Override
                public void windowOpened(WindowEvent e) {
                    opened.countDown();
                }
            });
            f.setVisible(true);
            frame.set(f);
        });
        opened.await(60, TimeUnit.SECONDS);
        System.out.println("figure shownMs " + sinceJvmStart());
        idle();
        System.out.println("figure rssKb " + rssKb());
        System.exit(0);
    }

    /** Child JVM: the desktop app on the populated profile; unlocks it and measures. */
    static void appChild(Path profileDir) throws Exception {
        Theme.setSystemProperties();
        UiPreferences prefs = UiPreferences.inMemory();
        prefs.setProfileDirectory(profileDir);
        prefs.setTheme(ThemeChoice.LIGHT);
        UiContext ctx = new UiContext(new Messages(Locale.ENGLISH), new Background(DesktopMain.backgroundExecutor()),
                prefs, CoreAccess.production(), Clock.systemDefaultZone());
        CountDownLatch unlockShown = new CountDownLatch(1);
        CountDownLatch mainLoaded = new CountDownLatch(1);
        AtomicLong contacts = new AtomicLong(-1);
        AtomicReference<AlliumApp> app = new AtomicReference<>();
        EventQueue.invokeLater(() -> {
            Theme.install(ThemeChoice.LIGHT);
            AlliumApp a = new AlliumApp(ctx, () -> System.exit(0));
            a.frame().addWindowListener(new WindowAdapter() {
                @Override
                public void windowOpened(WindowEvent e) {
                    if ("unlock".equals(a.shownScreen())) {
                        unlockShown.countDown();
                    }
                }
            });
            a.onMainLoaded(n -> {
                contacts.set(n);
                mainLoaded.countDown();
            });
            app.set(a);
            a.start();
        });
        if (!unlockShown.await(120, TimeUnit.SECONDS)) {
            System.err.println("DesktopFigures: the unlock window did not show");
            System.exit(1);
        }
        System.out.println("figure unlockShownMs " + sinceJvmStart());
        long t = System.nanoTime();
        EventQueue.invokeLater(() -> app.get().unlock(PASS.clone()));
        if (!mainLoaded.await(240, TimeUnit.SECONDS)) {
            AtomicReference<String> state = new AtomicReference<>();
            EventQueue.invokeAndWait(() -> state.set(app.get().shownScreen()));
            System.err.println("DesktopFigures: the main window did not become usable; screen: " + state.get());
            System.exit(1);
        }
        System.out.println("figure mainUsableMs " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
        System.out.println("figure contacts " + contacts.get());
        idle();
        System.out.println("figure rssKb " + rssKb());
        EventQueue.invokeLater(() -> app.get().quit());
        Thread.sleep(60_000);
        System.exit(0);
    }
}
