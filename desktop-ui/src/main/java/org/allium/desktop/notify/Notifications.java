package org.allium.desktop.notify;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.DBusSignal;
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

    /** The user clicked a notification (action "default") or one of its buttons. */
    class ActionInvoked extends DBusSignal {
        private final UInt32 id;
        private final String actionKey;

        public ActionInvoked(String path, UInt32 id, String actionKey) throws DBusException {
            super(path, id, actionKey);
            this.id = id;
            this.actionKey = actionKey;
        }

        public long id() {
            return id.longValue();
        }

        public String actionKey() {
            return actionKey;
        }
    }

    /** What the server supports ("body", "actions", …). */
    @DBusMemberName("GetCapabilities")
    List<String> getCapabilities();
}
