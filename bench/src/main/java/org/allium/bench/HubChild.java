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
        Thread progress = new Thread(() -> progress(m, expected, online), "progress");
        progress.setDaemon(true);
        progress.start();
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

    /**
     * Every 10 s to stderr (the run's hub log): how many contacts are online by the events and
     * by the engine's own view, and which contact ids are not (ids only, never addresses).
     */
    private static void progress(Messenger m, int expected, AtomicInteger online) {
        long t0 = System.nanoTime();
        while (true) {
            try {
                Thread.sleep(10_000);
                int accepted = 0;
                int up = 0;
                List<Long> missing = new java.util.ArrayList<>();
                for (org.allium.core.api.Contact c : m.contacts()) {
                    if (c.state() == org.allium.core.api.ContactState.ACCEPTED) {
                        accepted++;
                        if (c.online()) {
                            up++;
                        } else {
                            missing.add(c.id().value());
                        }
                    }
                }
                System.err.printf("PROGRESS t=%ds expected=%d accepted=%d online(engine)=%d online(events)=%d"
                                + " requests=%d offline-ids=%s%n", (System.nanoTime() - t0) / 1_000_000_000L,
                        expected, accepted, up, online.get(), m.requests().size(),
                        missing.size() > 20 ? missing.subList(0, 20) + "..." : missing);
            } catch (InterruptedException e) {
                return;
            } catch (MessengerException | RuntimeException e) {
                System.err.println("PROGRESS failed: " + e);
            }
        }
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
