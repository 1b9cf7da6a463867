package org.allium.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.allium.core.Messengers;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;
import org.allium.core.api.Profiles;
import org.allium.core.api.TorSettings;
import org.allium.testnet.Testnet;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.Tor;

/**
 * Late arrival (issue 12), as JSON on stdout: a contact request sent while the recipient is
 * unreachable, and the time from the recipient being back to the request arriving there.
 *
 * <pre>bench/run ArrivalFigures [toggleTrials] [restartTrials] [offlineSeconds]</pre>
 *
 * Requester A and recipient B run on the private Tor network, each with its own tor. Per trial:
 * A's tor already holds B's descriptor from the previous trial (a warm-up trial first); B goes
 * away — either "accepting contacts" off (the identity onion is withdrawn; {@code toggle}) or
 * the whole messenger and its tor stopped ({@code restart}); A sends a new request and keeps
 * retrying for {@code offlineSeconds}; B comes back (accepting on / Ready after a restart)
 * and the clock runs until B's RequestReceived. Same-run baseline: a third tor dials B's
 * identity onion every 250 ms from the same instant (HSFETCH before each try), giving the
 * moment B was reachable at all; the figure that matters is arrival minus reachable.
 */
public final class ArrivalFigures {
    private static final char[] PASS = "figures only".toCharArray();
    private static final Duration LONG = Duration.ofMinutes(6);

    private ArrivalFigures() {
    }

    public static void main(String[] args) throws Exception {
        int toggles = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int restarts = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int offline = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Map<String, Object> json = new LinkedHashMap<>();
        try {
            run(toggles, restarts, offline, json);
        } catch (Exception e) {
            json.put("error", e.toString());
        }
        System.out.println(FigureKit.toJson(json));
        System.exit(json.containsKey("error") ? 1 : 0);
    }

    private static final class Side {
        final Path dir;
        final TorSettings tor;
        Profile profile;
        Messenger messenger;
        FigureKit.Recorder events;

        Side(Path dir, TorSettings tor) {
            this.dir = dir;
            this.tor = tor;
        }

        void start(Profiles profiles) throws Exception {
            profile = profiles.open(dir, PASS);
            messenger = Messengers.create(profile, tor);
            events = new FigureKit.Recorder(messenger);
            int m = events.mark();
            messenger.start();
            events.await(m, MessengerEvent.Ready.class, e -> true, LONG, "ready");
        }

        void stop() {
            messenger.stop();
            profile.close();
        }

        String address() {
            return messenger.myIdentity().serviceId();
        }
    }

    private static void run(int toggles, int restarts, int offline, Map<String, Object> json) throws Exception {
        Path work = Files.createTempDirectory("allium-arrival-");
        System.err.println("work dir: " + work);
        try (Testnet net = Testnet.start(work.resolve("net"))) {
            List<String> lines = net.clientTorrcLines();
            Profiles profiles = Messengers.profiles();
            profiles.create(work.resolve("a"), PASS, null).close();
            profiles.create(work.resolve("b"), PASS, null).close();
            Side a = new Side(work.resolve("a"), TorSettings.ownTor().withTestnetLines(lines));
            Side b = new Side(work.resolve("b"), TorSettings.ownTor().withTestnetLines(lines));
            a.start(profiles);
            b.start(profiles);
            Tor probe = FigureKit.startTor(work.resolve("probe-tor"), lines);
            String bAddress = b.address();

            // Warm-up: A's tor fetches B's descriptor; every trial after starts from that stale copy.
            trial(a, b, profiles, probe, bAddress, false, 0, "warm-up");

            Map<String, Object> kinds = new LinkedHashMap<>();
            for (String kind : List.of("toggle", "restart")) {
                int n = kind.equals("toggle") ? toggles : restarts;
                List<Double> arrival = new ArrayList<>();
                List<Double> reachable = new ArrayList<>();
                List<Double> late = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    double[] r = trial(a, b, profiles, probe, bAddress, kind.equals("restart"), offline,
                            kind + " " + (i + 1) + "/" + n);
                    arrival.add(r[0]);
                    reachable.add(r[1]);
                    late.add(r[0] - r[1]);
                }
                Map<String, Object> k = new LinkedHashMap<>();
                k.put("trials", n);
                k.put("arrival_s", arrival.stream().map(FigureKit::round).toList());
                k.put("arrival_median_s", FigureKit.round(FigureKit.percentile(arrival, 50)));
                k.put("arrival_p95_s", FigureKit.round(FigureKit.percentile(arrival, 95)));
                k.put("reachable_median_s", FigureKit.round(FigureKit.percentile(reachable, 50)));
                k.put("arrival_minus_reachable_median_s", FigureKit.round(FigureKit.percentile(late, 50)));
                k.put("arrival_minus_reachable_p95_s", FigureKit.round(FigureKit.percentile(late, 95)));
                kinds.put(kind, k);
            }
            json.put("back_online_to_request_received", kinds);
            json.put("offline_seconds_per_trial", offline);
            json.put("notes", "testnet on loopback, own tor per side; toggle = accepting contacts off/on"
                    + " (identity onion withdrawn and published again), restart = messenger and tor stopped"
                    + " and started (clock from Ready); reachable = a third tor's first successful dial of"
                    + " B's identity onion (HSFETCH + dial every 250 ms) from the same instant");
            a.stop();
            b.stop();
            probe.close();
        }
    }

    /** One trial; returns {arrival seconds, reachable seconds}. */
    private static double[] trial(Side a, Side b, Profiles profiles, Tor probe, String bAddress, boolean restart,
                                  int offline, String label) throws Exception {
        // Clean slate: no earlier request on either side.
        for (ContactRequest r : a.messenger.requests()) {
            a.messenger.remove(r.id());
        }
        for (ContactRequest r : b.messenger.requests()) {
            b.messenger.reject(r.id());
        }
        if (restart) {
            b.stop();
        } else {
            int m = b.events.mark();
            b.messenger.setAcceptingContacts(false);
            b.events.await(m, MessengerEvent.AcceptingContactsChanged.class, e -> !e.accepting(), LONG, "off");
        }
        ContactId id = a.messenger.sendContactRequest(bAddress, null, "arrival");
        Thread.sleep(offline * 1000L);
        long t0;
        int mark;
        if (restart) {
            b.profile = null;
            b.start(profiles);
            mark = 0;
            t0 = b.events.await(0, MessengerEvent.Ready.class, e -> true, LONG, "ready");
        } else {
            mark = b.events.mark();
            b.messenger.setAcceptingContacts(true);
            t0 = b.events.await(mark, MessengerEvent.AcceptingContactsChanged.class, e -> e.accepting(), LONG, "on");
        }
        AtomicLong reachableAt = new AtomicLong();
        Thread prober = new Thread(() -> probe(probe, bAddress, reachableAt, label), "probe");
        prober.start();
        long t1 = b.events.await(mark, MessengerEvent.RequestReceived.class,
                e -> e.request().serviceId().equals(a.address()), LONG, "request at B (" + label + ")");
        prober.join(LONG.toMillis());
        double arrival = (t1 - t0) / 1e9;
        double reachable = reachableAt.get() == 0 ? Double.NaN : (reachableAt.get() - t0) / 1e9;
        System.err.printf("%s: arrival %.2f s, reachable %.2f s%n", label, arrival, reachable);
        a.messenger.remove(id);
        return new double[] {arrival, reachable};
    }

    private static void probe(Tor probe, String address, AtomicLong reachableAt, String label) {
        long deadline = System.nanoTime() + LONG.toNanos();
        int n = 0;
        while (System.nanoTime() < deadline) {
            try {
                probe.refetchDescriptor(new ServiceId(address));
                probe.dial(new ServiceId(address), 7878, StreamIsolation.of("probe-" + label + "-" + n++),
                        Duration.ofSeconds(10)).close();
                reachableAt.set(System.nanoTime());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
