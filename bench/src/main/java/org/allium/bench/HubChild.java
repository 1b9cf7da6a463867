package org.allium.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.allium.core.Messengers;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.MessengerException;
import org.allium.core.api.Profile;
import org.allium.core.api.Profiles;
import org.allium.core.api.TorSettings;

/**
 * The messenger under measurement in {@link MessengerFigures}, alone in its JVM so that its
 * heap and RSS are its own. Args: profile dir, torrc-lines file, {@code setup|measure},
 * expected contacts. Prints ADDRESS/ALLONLINE (setup) or CONNECTED/MEMORY (measure) on
 * stdout; {@code stop} on stdin ends it.
 */
public final class HubChild {
    private static final char[] PASS = "figures only".toCharArray();

    private HubChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<String> lines = Files.readAllLines(Path.of(args[1]));
        boolean setup = args[2].equals("setup");
        int expected = Integer.parseInt(args[3]);
        Profiles profiles = Messengers.profiles();
        Profile profile = profiles.exists(dir) ? profiles.open(dir, PASS) : profiles.create(dir, PASS, null);
        Messenger m = Messengers.create(profile, TorSettings.ownTor().withTestnetLines(lines));
        AtomicInteger online = new AtomicInteger();
        AtomicBoolean all = new AtomicBoolean();
        long[] readyAt = {0};
        long startAt = System.nanoTime();
        m.subscribe(e -> {
            if (e instanceof MessengerEvent.Ready && readyAt[0] == 0) {
                readyAt[0] = System.nanoTime();
                out("ADDRESS " + m.myIdentity().serviceId());
            } else if (e instanceof MessengerEvent.RequestReceived r && setup) {
                try {
                    m.accept(r.request().id());
                } catch (MessengerException ex) {
                    out("ERROR " + ex.getMessage());
                }
            } else if (e instanceof MessengerEvent.PresenceChanged p) {
                int n = p.online() ? online.incrementAndGet() : online.decrementAndGet();
                if (n >= expected && all.compareAndSet(false, true)) {
                    long now = System.nanoTime();
                    out(setup ? "ALLONLINE" : "CONNECTED " + (now - readyAt[0]) / 1_000_000 + " "
                            + (now - startAt) / 1_000_000);
                    if (!setup) {
                        new Thread(HubChild::reportMemory, "memory").start();
                    }
                }
            }
        });
        m.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String l; (l = in.readLine()) != null; ) {
            if (l.equals("stop")) {
                break;
            }
        }
        m.stop();
        profile.close();
        out("STOPPED");
        System.exit(0);
    }

    private static void reportMemory() {
        try {
            Thread.sleep(10_000); // idle: keepalives only
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            Runtime rt = Runtime.getRuntime();
            long heap = rt.totalMemory() - rt.freeMemory();
            long rssKb = 0;
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    rssKb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
            out("MEMORY " + heap + " " + rssKb * 1024);
        } catch (Exception e) {
            out("ERROR memory: " + e.getMessage());
        }
    }

    private static synchronized void out(String s) {
        System.out.println(s);
        System.out.flush();
    }
}
