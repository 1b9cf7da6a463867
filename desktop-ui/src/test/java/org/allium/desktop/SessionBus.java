package org.allium.desktop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.allium.desktop.notify.Notifications;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * A real session bus for a test: {@code dbus-daemon --session} started by the test (a test
 * FAILS when dbus-daemon is missing: ./run-tests installs it), and, on demand, a fake
 * {@code org.freedesktop.Notifications} service on it that records every Notify call.
 */
final class SessionBus implements AutoCloseable {
    /** One Notify call as the service received it. */
    record Call(long id, String appName, long replacesId, List<String> actions, String summary, String body,
                Map<String, Object> hints) {
    }

    final Process daemon;
    final String address;
    private DBusConnection serviceConnection;
    final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();

    SessionBus() throws IOException {
        Process p;
        try {
            p = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--print-address=1")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException("dbus-daemon is needed for the notification tests (apt-get install dbus-daemon): "
                    + e.getMessage(), e);
        }
        daemon = p;
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = r.readLine();
        if (line == null || !line.startsWith("unix:")) {
            p.destroy();
            fail("dbus-daemon printed no address: " + line);
        }
        address = line.trim();
    }

    /** Registers the fake notification service on this bus. */
    SessionBus withNotificationService() throws Exception {
        serviceConnection = DBusConnectionBuilder.forAddress(address).withShared(false).build();
        AtomicInteger ids = new AtomicInteger();
        serviceConnection.exportObject("/org/freedesktop/Notifications", new Notifications() {
            @Override
            public UInt32 showNotification(String appName, UInt32 replacesId, String appIcon, String summary, String body,
                                 List<String> actions, Map<String, Variant<?>> hints, int expireTimeout) {
                Map<String, Object> plain = new java.util.HashMap<>();
                hints.forEach((k, v) -> plain.put(k, v.getValue()));
                int id = ids.incrementAndGet();
                calls.add(new Call(id, appName, replacesId.longValue(), List.copyOf(actions), summary, body, plain));
                return new UInt32(id);
            }

            @Override
            public void closeNotification(UInt32 id) {
            }

            @Override
            public List<String> getCapabilities() {
                return new ArrayList<>(List.of("body"));
            }

            @Override
            public String getObjectPath() {
                return "/org/freedesktop/Notifications";
            }
        });
        serviceConnection.requestBusName("org.freedesktop.Notifications");
        return this;
    }

    /** Sends a signal from the notification service (a click on a notification). */
    void signal(org.freedesktop.dbus.messages.DBusSignal s) {
        serviceConnection.sendMessage(s);
    }

    Call next(int seconds) throws InterruptedException {
        Call c = calls.poll(seconds, TimeUnit.SECONDS);
        if (c == null) {
            fail("no Notify call reached the notification service within " + seconds + " s");
        }
        return c;
    }

    @Override
    public void close() throws Exception {
        if (serviceConnection != null) {
            serviceConnection.close();
        }
        daemon.destroy();
        daemon.waitFor(5, TimeUnit.SECONDS);
    }
}
