package org.allium.desktop;

import java.awt.AWTException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.RenderingHints;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.image.BufferedImage;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.allium.core.api.Contact;
import org.allium.core.api.Message;
import org.allium.desktop.notify.DesktopNotifications;

/**
 * The system tray icon (when the desktop has a tray) and desktop notifications: through the
 * desktop's notification service on the session bus ({@link DesktopNotifications}: GNOME,
 * Tails and others without a tray) when there is one, else as a tray balloon. By default a
 * notification says only "New message" — no sender, no text — because notifications show on
 * locked screens and in screen shares; the user can opt in to details. While the window is
 * minimised or hidden a notification is sent as urgent (it stays until seen). Event thread
 * only; the bus is used from the background executor.
 */
final class Notifier {
    private static final Logger LOG = Logger.getLogger(Notifier.class.getName());

    /** One notification: what a tray balloon or a test sees. */
    record Note(String title, String text) {
    }

    private final UiContext ctx;
    private final Runnable open;
    private final Runnable quit;
    private final BooleanSupplier windowHidden;
    private TrayIcon icon;
    private Note last;
    /** The session bus's notification service, once found; null while there is none. */
    private DesktopNotifications bus;
    private boolean busLookupStarted;
    private final java.util.List<Runnable> changeListeners = new java.util.ArrayList<>();

    Notifier(UiContext ctx, Runnable open, Runnable quit, BooleanSupplier windowHidden) {
        this.ctx = ctx;
        this.open = open;
        this.quit = quit;
        this.windowHidden = windowHidden;
    }

    /** What to show for a new message, following the user's privacy choice. */
    static Note forMessage(UiContext ctx, Contact fromOrNull, Message m) {
        if (!ctx.preferences().notificationDetails() || fromOrNull == null) {
            return new Note(ctx.text("app.name"), ctx.text("notify.message"));
        }
        return new Note(ctx.format("notify.message.from", PlainText.name(fromOrNull.nickname(), ctx.text("contacts.noName"))),
                PlainText.line(m.text(), 120));
    }

    /** A drop line's new submission: never more than that (issue 15). */
    static Note forDropSubmission(UiContext ctx) {
        return new Note(ctx.text("app.name"), ctx.text("notify.dropSubmission"));
    }

    /** A group's new posts or the user's removal: nothing of the group unless the user asked for details. */
    static Note forGroup(UiContext ctx, org.allium.desktop.groups.GroupAlert a) {
        boolean details = ctx.preferences().notificationDetails();
        if (a.kind() == org.allium.desktop.groups.GroupAlert.Kind.REMOVED) {
            return new Note(ctx.text("app.name"), details ? ctx.format("notify.groupRemoved.from", a.group())
                    : ctx.text("notify.groupRemoved"));
        }
        if (!details) {
            return new Note(ctx.text("app.name"), ctx.text("notify.groupPost"));
        }
        return new Note(ctx.format("notify.groupPost.from", a.author(), a.group()), a.text());
    }

    static Note forRequest(UiContext ctx) {
        return new Note(ctx.text("app.name"), ctx.text("notify.request"));
    }

    /**
     * Adds the tray icon if the desktop has a tray, and looks for the notification service on
     * this desktop's session bus (in the background); harmless where there is neither.
     */
    void install() {
        if (!busLookupStarted) {
            DesktopNotifications.sessionBusAddress().ifPresent(this::connectBus);
        }
        if (icon != null || !SystemTray.isSupported()) {
            return;
        }
        PopupMenu menu = new PopupMenu();
        MenuItem show = new MenuItem(Ui.plain(ctx.text("tray.open")));
        show.addActionListener(e -> open.run());
        MenuItem exit = new MenuItem(Ui.plain(ctx.text("tray.quit")));
        exit.addActionListener(e -> quit.run());
        menu.add(show);
        menu.add(exit);
        TrayIcon t = new TrayIcon(image(32), ctx.text("app.name"), menu);
        t.setImageAutoSize(true);
        t.addActionListener(e -> open.run());
        try {
            SystemTray.getSystemTray().add(t);
            icon = t;
        } catch (AWTException e) {
            LOG.log(Level.INFO, "no system tray available");
        }
    }

    /** Uses the notification service on the bus at {@code address}, if one is there (looked up in the background). */
    private volatile boolean busLookupDone;

    void connectBus(String address) {
        busLookupStarted = true;
        busLookupDone = false;
        ctx.background().run(() -> DesktopNotifications.connect(address, ctx.text("app.name"),
                Ui.plain(ctx.text("tray.open")), () -> javax.swing.SwingUtilities.invokeLater(open)).orElse(null), found -> {
            busLookupDone = true;
            if (found == null) {
                return;
            }
            if (bus != null) {
                DesktopNotifications old = bus;
                ctx.background().run(old::close, () -> { }, e -> { });
            }
            bus = found;
            changeListeners.forEach(Runnable::run);
        }, e -> busLookupDone = true);
    }

    /** Whether the last {@link #connectBus} has its answer, a service or none (tests). */
    boolean busLookupDone() {
        return busLookupDone;
    }

    /** Calls {@code l} (event thread) when a tray or notification service appears. */
    void onChange(Runnable l) {
        changeListeners.add(l);
    }

    /** Whether notifications reach the user with the window closed: a tray icon or a notification service. */
    boolean reachesUserInBackground() {
        return icon != null || bus != null;
    }

    /** Whether notification {@code id} on the bus is one of ours (for tests: its reply has arrived). */
    boolean busShowed(long id) {
        DesktopNotifications b = bus;
        return b != null && b.isOurs(id);
    }

    boolean hasNotificationService() {
        return bus != null;
    }

    boolean hasTray() {
        return icon != null;
    }

    void remove() {
        if (icon != null) {
            SystemTray.getSystemTray().remove(icon);
            icon = null;
        }
        if (bus != null) {
            DesktopNotifications b = bus;
            bus = null;
            ctx.background().run(b::close, () -> { }, e -> { });
        }
    }

    void show(Note note) {
        if (!ctx.preferences().notificationsEnabled()) {
            return;
        }
        last = note;
        if (bus != null) {
            DesktopNotifications b = bus;
            boolean urgent = windowHidden.getAsBoolean();
            ctx.background().run(() -> b.show(note.title(), note.text(), urgent), id -> { }, e -> { });
        } else if (icon != null) {
            icon.displayMessage(note.title(), note.text(), TrayIcon.MessageType.NONE);
        }
    }

    /** The last notification shown (for tests), or null. */
    Note last() {
        return last;
    }

    /** Allium's icon: a purple bulb, drawn so no image file is needed. */
    static Image image(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(0x6b3fa0));
        g.fillOval(size / 8, size / 4, size * 3 / 4, size * 3 / 4);
        g.setColor(new Color(0x4e8a3e));
        g.fillRect(size / 2 - size / 16, 0, size / 8, size / 3);
        g.setColor(new Color(0xffffff));
        g.fillOval(size * 3 / 8, size / 2, size / 4, size / 4);
        g.dispose();
        return img;
    }
}
