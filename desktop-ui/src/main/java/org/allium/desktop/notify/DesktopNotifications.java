package org.allium.desktop.notify;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * Notifications through the desktop's notification service over the session bus
 * ({@code org.freedesktop.Notifications}): works where there is no system tray (GNOME,
 * Tails). Every method blocks on the bus: call it off the event thread. Thread-safe.
 *
 * <p>What is shown is decided by the caller (by default only "New message"): this class adds
 * no text of its own and logs neither summary nor body.
 */
public final class DesktopNotifications implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DesktopNotifications.class.getName());
    static final String SERVICE = "org.freedesktop.Notifications";
    static final String PATH = "/org/freedesktop/Notifications";
    /** "urgency" hint values of the specification. */
    private static final byte NORMAL = 1;
    private static final byte CRITICAL = 2;

    private final DBusConnection connection;
    private final Notifications service;
    private final String appName;
    /** Id of our last notification (0: none), replaced by the next one. */
    private long lastId;

    private final String openLabel;
    /** Ids of the notifications we showed (the service numbers them for every sender). */
    private final java.util.Set<Long> ours = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static final String DEFAULT_ACTION = "default";

    private DesktopNotifications(DBusConnection connection, Notifications service, String appName, String openLabel) {
        this.connection = connection;
        this.service = service;
        this.appName = appName;
        this.openLabel = openLabel;
    }

    /** Whether the service gave {@code id} to one of our notifications (its reply has arrived). */
    public boolean isOurs(long id) {
        return ours.contains(id);
    }

    /** The session bus address of this desktop ({@code DBUS_SESSION_BUS_ADDRESS}), if any. */
    public static Optional<String> sessionBusAddress() {
        String a = System.getenv("DBUS_SESSION_BUS_ADDRESS");
        return a == null || a.isBlank() ? Optional.empty() : Optional.of(a);
    }

    /**
     * Connects to the bus at {@code busAddress} and returns the notification service if one
     * is running there (or can be started by the bus); empty when there is no bus or no
     * service. Blocking.
     */
    public static Optional<DesktopNotifications> connect(String busAddress, String appName) {
        return connect(busAddress, appName, appName, () -> { });
    }

    /**
     * Like {@link #connect(String, String)}; clicking one of our notifications (or its
     * {@code openLabel} button) calls {@code onOpen} on a bus thread.
     */
    public static Optional<DesktopNotifications> connect(String busAddress, String appName, String openLabel,
                                                         Runnable onOpen) {
        Objects.requireNonNull(busAddress, "busAddress");
        DBusConnection c = null;
        try {
            c = DBusConnectionBuilder.forAddress(busAddress).withShared(false).build();
            DBus bus = c.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            boolean running = bus.NameHasOwner(SERVICE);
            boolean startable = !running && List.of(bus.ListActivatableNames()).contains(SERVICE);
            if (!running && !startable) {
                closeQuietly(c);
                return Optional.empty();
            }
            Notifications n = c.getRemoteObject(SERVICE, PATH, Notifications.class);
            DesktopNotifications d = new DesktopNotifications(c, n, appName, openLabel);
            c.addSigHandler(Notifications.ActionInvoked.class, sig -> {
                if (d.isOurs(sig.id()) && DEFAULT_ACTION.equals(sig.actionKey())) {
                    onOpen.run();
                }
            });
            return Optional.of(d);
        } catch (DBusException | RuntimeException e) {
            LOG.log(Level.INFO, "no desktop notification service: " + e.getClass().getSimpleName());
            if (c != null) {
                closeQuietly(c);
            }
            return Optional.empty();
        }
    }

    private static void closeQuietly(DBusConnection c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "closing the session bus connection: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Shows one notification, replacing our previous one so a burst of messages is one
     * notification, not a pile. {@code urgent}: the window is minimised or hidden, the
     * notification should stay until seen. Returns the id the service gave, or 0 on failure.
     */
    public synchronized long show(String summary, String body, boolean urgent) {
        try {
            UInt32 id = service.showNotification(appName, new UInt32(lastId), "", summary, body,
                    List.of(DEFAULT_ACTION, openLabel),
                    Map.of("urgency", new Variant<>(urgent ? CRITICAL : NORMAL),
                            "category", new Variant<>("im.received"),
                            "desktop-entry", new Variant<>("allium")),
                    -1);
            lastId = id.longValue();
            if (ours.size() > 1000) {
                ours.clear();
            }
            ours.add(lastId);
            return lastId;
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "notification not shown: " + e.getClass().getSimpleName());
            return 0;
        }
    }

    /** Whether the connection to the bus is still up. */
    public boolean connected() {
        return connection.isConnected();
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }
}
