package org.allium.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.allium.core.Messengers;
import org.allium.core.api.ContactId;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;
import org.allium.core.api.Profiles;
import org.allium.core.api.TorSettings;
import org.allium.core.groups.GroupEvent;
import org.allium.core.groups.GroupId;
import org.allium.core.groups.GroupMember;
import org.allium.testnet.Testnet;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.Tor;

/**
 * Private-group figures on the private Tor network (issue 16), against the same run's one-hop
 * chat latency between the same two messengers (the baseline):
 * <ul>
 * <li>fan-out: the creator posts; time until every other member has stored it (median, p95),
 *     and its ratio to the median one-hop chat latency creator → member 1;</li>
 * <li>a second same-run baseline, what the machine itself allows for reaching every member: the
 *     creator sends one chat message with the same text to every other member at once (one
 *     hop each, the chat's commit-log store at each); time until all have stored it (median,
 *     p95), and the group fan-out's ratio to it;</li>
 * <li>messages/s: a burst of posts by the creator until every member has all of them;</li>
 * <li>catch-up: member 2 is away while members 1 and 3 write K posts between them (relayed by
 *     the creator, as the members are no contacts of each other; two authors, as one writes at
 *     most 1,000 a day); time from member 2's restart (and from its session with the creator
 *     coming up) until it has all K;</li>
 * <li>memory: all members share this JVM, so heap (used after a full GC) and RSS are measured
 *     for the whole JVM before any messenger, with every messenger up and connected (the chat
 *     baseline: per messenger), and after the group's fan-out and burst (per member); the ratio
 *     is group per member / chat per messenger.</li>
 * </ul>
 * Members are the creator's contacts only (a star, as an invited group starts); every
 * {@value #PER_TOR} members share one external tor (as MessengerFigures).
 * Usage: {@code bench/run GroupFigures [members=10] [samples=20] [burst=200] [catchUp=500]}
 */
public final class GroupFigures {
    private static final Duration LONG = Duration.ofMinutes(10);
    private static final char[] PASS = "group figures only".toCharArray();
    private static final int PER_TOR = 10;

    private GroupFigures() {
    }

    /** One member messenger with the arrival time of every group entry it stored, by text. */
    private static final class Member {
        final Path dir;
        final TorSettings tor;
        Profile profile;
        Messenger messenger;
        FigureKit.Recorder events;
        final Map<String, Long> storedAt = new ConcurrentHashMap<>();

        Member(Path dir, TorSettings tor) {
            this.dir = dir;
            this.tor = tor;
        }

        void start(Profiles profiles, boolean create) throws Exception {
            profile = create ? profiles.create(dir, PASS, null) : profiles.open(dir, PASS);
            messenger = Messengers.create(profile, tor);
            events = new FigureKit.Recorder(messenger);
            messenger.groups().subscribe(e -> {
                if (e instanceof GroupEvent.Posted p) {
                    storedAt.put(p.post().text(), System.nanoTime());
                    synchronized (storedAt) {
                        storedAt.notifyAll();
                    }
                }
            });
            messenger.start();
        }

        void stop() {
            messenger.stop();
            profile.close();
        }

        String address() {
            return messenger.myIdentity().serviceId();
        }

        /** Waits until every text is stored here; returns the latest arrival time among them. */
        long await(List<String> texts, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (storedAt) {
                while (true) {
                    long latest = 0;
                    boolean all = true;
                    for (String t : texts) {
                        Long at = storedAt.get(t);
                        if (at == null) {
                            all = false;
                            break;
                        }
                        latest = Math.max(latest, at);
                    }
                    if (all) {
                        return latest;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("timed out: a member lacks group entries");
                    }
                    storedAt.wait(Math.max(1, Math.min(100, left / 1_000_000)));
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int burst = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int catchUp = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        if (n < 4 || samples + burst > 900 || catchUp > 1900) {
            throw new IllegalArgumentException("members ≥ 4; an author writes at most 1,000 entries a day in a group");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "GroupFigures");
        json.put("utc", Instant.now().toString());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("load_average_1m", FigureKit.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage()));
        json.put("members", n);
        try {
            run(n, samples, burst, catchUp, json);
        } catch (Exception e) {
            json.put("error", e.toString()); // what was measured before is still printed
        }
        System.out.println(FigureKit.toJson(json));
        System.exit(json.containsKey("error") ? 1 : 0);
    }

    private static void run(int n, int samples, int burst, int catchUp, Map<String, Object> json) throws Exception {
        Path work = Files.createTempDirectory("allium-group-bench-");
        List<Member> members = new ArrayList<>();
        List<Tor> tors = new ArrayList<>();
        try (Testnet net = Testnet.start(work.resolve("net"))) {
            List<String> lines = net.clientTorrcLines();
            for (int t = 0; t * PER_TOR < n; t++) {
                Path dir = work.resolve("tor-" + t);
                Tor tor = FigureKit.startTor(dir, lines);
                tors.add(tor);
                HostPort control = controlPort(Files.readString(dir.resolve("control-port.txt")));
                TorSettings s = TorSettings.externalTor(control.host(), control.port(),
                        dir.resolve("data").resolve("control_auth_cookie"), null,
                        ((HostPort) tor.socksAddress()).port()).withTestnetLines(lines);
                for (int i = t * PER_TOR; i < Math.min(n, (t + 1) * PER_TOR); i++) {
                    members.add(new Member(work.resolve("member-" + i), s));
                }
            }
            Profiles profiles = Messengers.profiles();
            Memory before = Memory.now();
            for (Member m : members) {
                m.start(profiles, true);
            }
            for (Member m : members) {
                m.events.await(0, MessengerEvent.Ready.class, e -> true, LONG, "ready");
            }
            Member a = members.get(0);
            long t0 = System.nanoTime();
            List<ContactId> ids = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                ids.add(connect(a, members.get(i)));
            }
            json.put("connect_contacts_s", FigureKit.round((System.nanoTime() - t0) / 1e9));
            Memory chatOnly = Memory.now();

            // Baseline: one-hop chat latency creator → member 1, the same link the group uses first.
            Member one = members.get(1);
            List<Double> chat = new ArrayList<>();
            for (int i = 0; i < samples + 5; i++) {
                int mark = one.events.mark();
                String text = "chat " + i;
                long s = System.nanoTime();
                a.messenger.sendMessage(ids.get(0), text);
                long at = one.events.await(mark, MessengerEvent.MessageReceived.class,
                        e -> e.message().text().equals(text), LONG, "a chat message");
                if (i >= 5) { // warm-up
                    chat.add((at - s) / 1e6);
                }
            }
            Map<String, Object> base = new LinkedHashMap<>();
            base.put("samples", chat.size());
            base.put("chat_one_hop_median_ms", FigureKit.round(FigureKit.percentile(chat, 50)));
            base.put("chat_one_hop_p95_ms", FigureKit.round(FigureKit.percentile(chat, 95)));
            json.put("baseline", base);

            // The group: everyone invited, everyone joined (as every member sees it at the creator).
            t0 = System.nanoTime();
            GroupId g = a.messenger.groups().create("figures");
            for (ContactId c : ids) {
                a.messenger.groups().invite(g, c);
            }
            for (int i = 1; i < n; i++) {
                Member m = members.get(i);
                m.events.await(0, MessengerEvent.Ready.class, e -> true, LONG, "ready");
                awaitInvitation(m, g);
                m.messenger.groups().accept(g);
            }
            long deadline = System.nanoTime() + LONG.toNanos();
            while (a.messenger.groups().members(g).stream().filter(GroupMember::joined).count() < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not every member joined");
                }
                Thread.sleep(20);
            }
            json.put("invite_and_join_all_s", FigureKit.round((System.nanoTime() - t0) / 1e9));

            // 1. Fan-out latency.
            List<Double> fan = new ArrayList<>();
            List<Double> each = new ArrayList<>();
            for (int i = 0; i < samples + 3; i++) {
                String text = "fan " + i;
                long s = System.nanoTime();
                a.messenger.groups().send(g, text);
                long last = 0;
                for (Member m : members.subList(1, n)) {
                    long at = m.await(List.of(text), LONG);
                    last = Math.max(last, at);
                    if (i >= 3) {
                        each.add((at - s) / 1e6);
                    }
                }
                if (i >= 3) {
                    fan.add((last - s) / 1e6);
                }
            }
            Map<String, Object> f = new LinkedHashMap<>();
            double chatMedian = FigureKit.percentile(chat, 50);
            f.put("samples", fan.size());
            f.put("to_all_median_ms", FigureKit.round(FigureKit.percentile(fan, 50)));
            f.put("to_all_p95_ms", FigureKit.round(FigureKit.percentile(fan, 95)));
            f.put("median_ratio_to_chat_median", FigureKit.round(FigureKit.percentile(fan, 50) / chatMedian));
            f.put("p95_ratio_to_chat_median", FigureKit.round(FigureKit.percentile(fan, 95) / chatMedian));
            // Each member's own arrival (not the last of them): what one member waits, in a JVM where
            // every member shares the same two cores and disk.
            f.put("per_member_median_ms", FigureKit.round(FigureKit.percentile(each, 50)));
            f.put("per_member_p95_ms", FigureKit.round(FigureKit.percentile(each, 95)));
            f.put("per_member_median_ratio_to_chat_median", FigureKit.round(FigureKit.percentile(each, 50) / chatMedian));
            json.put("fan_out", f);

            // 1b. The second baseline: the same kind of text as chat from the creator to every other
            // member at once (the group's members, sessions, tors and JVM), until all have stored it.
            List<Double> chatAll = new ArrayList<>();
            for (int i = 0; i < samples + 3; i++) {
                String text = "fan " + i + " as chat";
                int[] marks = new int[n];
                for (int j = 1; j < n; j++) {
                    marks[j] = members.get(j).events.mark();
                }
                long s0 = System.nanoTime();
                for (ContactId c : ids) {
                    a.messenger.sendMessage(c, text);
                }
                long last = 0;
                for (int j = 1; j < n; j++) {
                    long at = members.get(j).events.await(marks[j], MessengerEvent.MessageReceived.class,
                            e -> e.message().text().equals(text), LONG, "a chat message to all");
                    last = Math.max(last, at);
                }
                if (i >= 3) {
                    chatAll.add((last - s0) / 1e6);
                }
            }
            Map<String, Object> ca = new LinkedHashMap<>();
            double chatAllMedian = FigureKit.percentile(chatAll, 50);
            ca.put("samples", chatAll.size());
            ca.put("to_all_median_ms", FigureKit.round(chatAllMedian));
            ca.put("to_all_p95_ms", FigureKit.round(FigureKit.percentile(chatAll, 95)));
            ca.put("ratio_to_chat_one_hop_median", FigureKit.round(chatAllMedian / chatMedian));
            json.put("baseline_chat_to_all", ca);
            f.put("median_ratio_to_chat_to_all_median", FigureKit.round(FigureKit.percentile(fan, 50) / chatAllMedian));
            f.put("p95_ratio_to_chat_to_all_p95",
                    FigureKit.round(FigureKit.percentile(fan, 95) / FigureKit.percentile(chatAll, 95)));
            // The author's own sends during the fan-out (live from memory / read back from the store).
            if (a.messenger.groups() instanceof org.allium.core.groups.GroupsImpl gi) {
                f.put("creator_sends", gi.sends().toString());
            }

            // 2. A burst: posts per second until every member holds all.
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                texts.add("burst " + i);
            }
            long s = System.nanoTime();
            for (String text : texts) {
                a.messenger.groups().send(g, text);
            }
            long written = System.nanoTime();
            long last = 0;
            for (Member m : members.subList(1, n)) {
                last = Math.max(last, m.await(texts, LONG));
            }
            Map<String, Object> tp = new LinkedHashMap<>();
            tp.put("posts", burst);
            tp.put("writing_s", FigureKit.round((written - s) / 1e9));
            tp.put("until_all_members_s", FigureKit.round((last - s) / 1e9));
            tp.put("posts_per_s_to_all", FigureKit.round(burst / ((last - s) / 1e9)));
            tp.put("stored_per_s_over_all_members", FigureKit.round(burst * (n - 1) / ((last - s) / 1e9)));
            json.put("burst", tp);
            Memory grouped = Memory.now();
            Map<String, Object> mem = new LinkedHashMap<>();
            mem.put("jvm_before_messengers_heap_mb", FigureKit.round(before.heapMb));
            mem.put("jvm_before_messengers_rss_mb", FigureKit.round(before.rssMb));
            double chatHeap = (chatOnly.heapMb - before.heapMb) / n;
            double chatRss = (chatOnly.rssMb - before.rssMb) / n;
            double groupHeap = (grouped.heapMb - before.heapMb) / n;
            double groupRss = (grouped.rssMb - before.rssMb) / n;
            mem.put("chat_only_heap_mb_per_messenger", FigureKit.round(chatHeap));
            mem.put("chat_only_rss_mb_per_messenger", FigureKit.round(chatRss));
            mem.put("group_heap_mb_per_member", FigureKit.round(groupHeap));
            mem.put("group_rss_mb_per_member", FigureKit.round(groupRss));
            mem.put("heap_ratio_group_to_chat", FigureKit.round(groupHeap / chatHeap));
            mem.put("rss_ratio_group_to_chat", FigureKit.round(groupRss / chatRss));
            mem.put("group_entries_held_per_member", samples + 3 + burst + n + 1);
            json.put("memory", mem);

            // 3. Catch-up of member 2 (away) from the creator, K posts by member 1.
            Member two = members.get(2);
            Member three = members.get(3);
            two.stop();
            List<String> missed = new ArrayList<>();
            for (int i = 0; i < catchUp; i++) {
                missed.add("missed " + i);
                (i % 2 == 0 ? one : three).messenger.groups().send(g, missed.get(i));
            }
            a.await(missed, LONG);
            two.storedAt.clear();
            s = System.nanoTime();
            two.start(profiles, false);
            long online = two.events.await(0, MessengerEvent.PresenceChanged.class, MessengerEvent.PresenceChanged::online,
                    LONG, "member 2 online");
            long done = two.await(missed, LONG);
            Map<String, Object> cu = new LinkedHashMap<>();
            cu.put("posts", catchUp);
            cu.put("authors", 2);
            cu.put("from_restart_s", FigureKit.round((done - s) / 1e9));
            cu.put("from_session_up_s", FigureKit.round((done - online) / 1e9));
            cu.put("posts_per_s_after_session_up", FigureKit.round(catchUp / ((done - online) / 1e9)));
            json.put("catch_up", cu);
            json.put("notes", "testnet on loopback; members are the creator's contacts only; every " + PER_TOR
                    + " members share one external tor; all in one JVM; the catch-up relays members 1 and 3's"
                    + " posts through the creator; memory is the whole JVM's (heap used after a full GC, RSS from"
                    + " /proc/self/status) over the member count");
        } finally {
            for (Member m : members) {
                try {
                    m.stop();
                } catch (RuntimeException e) {
                    // already stopped
                }
            }
            for (Tor t : tors) {
                t.close();
            }
        }
    }

    /** The JVM's heap in use after a full collection, and its resident set. */
    private record Memory(double heapMb, double rssMb) {
        static Memory now() throws Exception {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            double heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
            double rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1e3;
                }
            }
            return new Memory(heap, rss);
        }
    }

    private static void awaitInvitation(Member m, GroupId g) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (m.messenger.groups().list().stream().noneMatch(x -> x.id().equals(g))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no invitation");
            }
            Thread.sleep(20);
        }
    }

    /** {@code b} becomes {@code a}'s accepted contact, both online; returns b's id at a. */
    private static ContactId connect(Member a, Member b) throws Exception {
        int markA = a.events.mark();
        int markB = b.events.mark();
        ContactId bAtA = a.messenger.sendContactRequest(b.address(), null, "");
        b.events.await(markB, MessengerEvent.RequestReceived.class, e -> true, LONG, "a request");
        MessengerEvent.RequestReceived r = b.events.last(markB, MessengerEvent.RequestReceived.class, e -> true);
        b.messenger.accept(r.request().id());
        a.events.await(markA, MessengerEvent.PresenceChanged.class, e -> e.contact().equals(bAtA) && e.online(), LONG,
                "the contact online");
        return bAtA;
    }

    private static HostPort controlPort(String content) {
        for (String line : content.split("\n")) {
            if (line.strip().startsWith("PORT=")) {
                return HostPort.parse(line.strip().substring(5));
            }
        }
        throw new IllegalStateException("no control port");
    }
}
