package org.allium.desktop.notify;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * The part of the desktop notification service ({@code org.freedesktop.Notifications},
 * Desktop Notifications Specification 1.2) that Allium calls. Public only because the D-Bus
 * library builds proxies of it (and a test exports a fake of it).
 */
@DBusInterfaceName("org.freedesktop.Notifications")
public interface Notifications extends DBusInterface {
    /** Shows a notification; returns its id. (Not named notify: the proxy would take it for Object.notify.) */
    @DBusMemberName("Notify")
    UInt32 showNotification(String appName, UInt32 replacesId, String appIcon, String summary, String body,
                  List<String> actions, Map<String, Variant<?>> hints, int expireTimeout);

    /** Closes a notification shown before. */
    @DBusMemberName("CloseNotification")
    void closeNotification(UInt32 id);

    /** What the server supports ("body", "actions", …). */
    @DBusMemberName("GetCapabilities")
    List<String> getCapabilities();
}
