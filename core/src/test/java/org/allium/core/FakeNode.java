package org.allium.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.allium.contacts.api.KdfParams;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;

/**
 * One user in an engine test on the {@link FakeOnionNetwork}: a real profile (fast KDF)
 * and, while running, the real engine ({@link MessengerImpl} with the real
 * {@link ProtocolWire}) whose tor is a fake tor of this node.
 */
final class FakeNode implements AutoCloseable {
    static final char[] PASS = "correct horse battery staple".toCharArray();
    /** Generous: the box is a loaded 2-core machine; on an idle one everything takes milliseconds. */
    static final Duration LONG = Duration.ofSeconds(60);

    /**
     * Short timers for the fake network: redial after 50 ms doubling to 500 ms, a keepalive
     * of 5 s (15 s of silence closes a session), the testnet's request limits, an unanswered
     * request asked again after 2 s doubling to 10 s.
     */
    static final Timings TIMINGS = new Timings(Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(2),
            Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(5),
            Duration.ofSeconds(20), Duration.ofMillis(50), Duration.ofMillis(500),
            Duration.ofSeconds(30), 30, 30, 3, 3, 50, 16, Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofDays(30), Duration.ofSeconds(10), Timings.IDENTITY_POW, Timings.BULK_GROUP_LIMITS);

    private static final ScheduledExecutorService HANDSHAKE_TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-handshake-timers");
        t.setDaemon(true);
        return t;
    });

    final String name;
    final Path dir;
    final FakeOnionNetwork net;
    final Timings timings;
    /** Each store event waits this long before it is handed on (a store event executor that lags). */
    volatile Duration storeEventLag = Duration.ZERO;
    private final java.util.concurrent.ExecutorService storeEvents = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-store-events");
        t.setDaemon(true);
        return t;
    });
    private final ProfilesImpl profiles = ProfilesImpl.create(r -> storeEvents.execute(() -> {
        long ms = storeEventLag.toMillis();
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        r.run();
    }), KdfParams.FAST_INSECURE_FOR_TESTS);
    /**
     * Runs before every group message append of the next runs' engine (a test holds a receiver
     * inside its store write). Only while {@link #hookGroupStore} was set at start.
     */
    volatile Runnable beforeGroupAppend;
    /** Set before {@link #start}: the engine's group store goes through {@link #beforeGroupAppend}. */
    boolean hookGroupStore;
    Profile profile;
    MessengerImpl messenger;
    EventLog events;
    /** Set before {@link #start}: the messenger's contact sessions are kept in {@link #tap} for raw writes. */
    boolean tapped;
    TapWire tap;

    FakeNode(String name, Path base, FakeOnionNetwork net) throws Exception {
        this(name, base, net, TIMINGS);
    }

    FakeNode(String name, Path base, FakeOnionNetwork net, Timings timings) throws Exception {
        this.timings = timings;
        this.name = name;
        this.dir = Files.createDirectories(base.resolve(name));
        this.net = net;
        profiles.create(dir.resolve("profile"), PASS, nickname()).close();
    }

    /** Opens the profile, starts a messenger (a new fake tor) and waits until it is ready. Fresh event log. */
    FakeNode start() throws Exception {
        profile = profiles.open(dir.resolve("profile"), PASS);
        ProfileImpl p = (ProfileImpl) profile;
        Wire wire = new ProtocolWire(HANDSHAKE_TIMERS, new SecureRandom());
        if (tapped) {
            tap = new TapWire(wire);
            wire = tap;
        }
        org.allium.contacts.api.Profile store = hookGroupStore ? hooked(p.store()) : p.store();
        messenger = new MessengerImpl(store, p.identityKey(), net.factory(name), wire, timings);
        events = new EventLog(name);
        messenger.subscribe(events::add);
        messenger.start();
        events.await(MessengerEvent.Ready.class, e -> true, LONG, name + " ready");
        return this;
    }

    /** {@code store} whose group store runs {@link #beforeGroupAppend} before each append. */
    private org.allium.contacts.api.Profile hooked(org.allium.contacts.api.Profile store) {
        org.allium.contacts.api.GroupStore groups = store.groups();
        org.allium.contacts.api.GroupStore hookedGroups = (org.allium.contacts.api.GroupStore) java.lang.reflect.Proxy
                .newProxyInstance(getClass().getClassLoader(), new Class<?>[] {org.allium.contacts.api.GroupStore.class},
                        (proxy, method, args) -> {
                            Runnable hook = beforeGroupAppend;
                            if (hook != null && method.getName().equals("append")) {
                                hook.run();
                            }
                            return invoke(method, groups, args);
                        });
        return (org.allium.contacts.api.Profile) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {org.allium.contacts.api.Profile.class},
                (proxy, method, args) -> method.getName().equals("groups") && (args == null || args.length == 0)
                        ? hookedGroups : invoke(method, store, args));
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Stops the messenger and closes the profile (as quitting the app does). */
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

    org.allium.contacts.api.Profile store() {
        return ((ProfileImpl) profile).store();
    }

    String nickname() {
        return "Nick" + name.toUpperCase(java.util.Locale.ROOT) + "q7";
    }

    String address() {
        return profile.identity().serviceId();
    }

    @Override
    public void close() {
        stop();
    }
}
