package org.allium.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import org.allium.contacts.api.KdfParams;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;

/** One user in a test: a profile directory and, while running, a messenger on it. */
final class Node implements AutoCloseable {
    static final char[] PASS = "correct horse battery staple".toCharArray();
    static final Duration LONG = Duration.ofSeconds(180);

    final String name;
    final Path dir;
    final List<String> torrcLines;
    final Timings timings;
    /** How this node reaches tor: its own tor on the test network, or a tor shared with other nodes. */
    final TorSettings tor;
    private final ProfilesImpl profiles = ProfilesImpl.create(Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-store-events");
        t.setDaemon(true);
        return t;
    }), KdfParams.FAST_INSECURE_FOR_TESTS);
    Profile profile;
    MessengerImpl messenger;
    EventLog events;
    /** Set before {@link #start} to keep this node's contact sessions for raw writes ({@link TapWire}). */
    TapWire tap;

    Node(String name, Path base, List<String> torrcLines, Timings timings) throws Exception {
        this.name = name;
        this.dir = Files.createDirectories(base.resolve(name));
        this.torrcLines = torrcLines;
        this.timings = timings;
        this.tor = TorSettings.ownTor().withTestnetLines(torrcLines);
        profiles.create(dir.resolve("profile"), PASS, nickname()).close();
    }

    /** A node on a tor it shares with other nodes ({@link SharedTor}). */
    Node(String name, Path base, SharedTor shared, Timings timings) throws Exception {
        this.name = name;
        this.dir = Files.createDirectories(base.resolve(name));
        this.torrcLines = shared.torrcLines();
        this.timings = timings;
        this.tor = shared.settings();
        profiles.create(dir.resolve("profile"), PASS, nickname()).close();
    }

    /** Opens the profile, starts a messenger and waits until it is ready. */
    Node start() throws Exception {
        profile = profiles.open(dir.resolve("profile"), PASS);
        if (tap == null) {
            messenger = Messengers.create(profile, tor, timings);
        } else {
            ProfileImpl p = (ProfileImpl) profile;
            messenger = new MessengerImpl(p.store(), p.identityKey(), Messengers.torFactory(p, tor), tap, timings);
        }
        events = new EventLog(name);
        messenger.subscribe(events::add);
        messenger.start();
        events.await(MessengerEvent.Ready.class, e -> true, LONG, name + " ready");
        return this;
    }

    /** The profile's nickname: distinct from every path so a log scan for it is meaningful. */
    String nickname() {
        return "Nick" + name.toUpperCase(java.util.Locale.ROOT) + "q7";
    }

    /** Makes the next {@link #start} use a {@link TapWire}; returns it. */
    TapWire tap() {
        tap = new TapWire(new ProtocolWire(TAP_TIMERS, new java.security.SecureRandom()));
        return tap;
    }

    private static final java.util.concurrent.ScheduledExecutorService TAP_TIMERS =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "test-tap-handshake-timers");
                t.setDaemon(true);
                return t;
            });

    String address() {
        return profile.identity().serviceId();
    }

    void stop() {
        if (messenger != null) {
            messenger.stop();
            messenger = null;
        }
        if (profile != null) {
            profile.close();
            profile = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
