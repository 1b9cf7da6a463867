package org.allium.desktop.store;

import java.awt.BorderLayout;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JPanel;
import org.allium.core.api.MessengerEvent;
import org.allium.desktop.Theme;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * A banner across the main window while the profile's disk is full: nothing new can be saved
 * (sending and receiving wait), reading still works, and it goes on by itself once there is
 * room again — the banner then goes away. Event thread only.
 */
public final class DiskFullBanner extends JPanel {
    /** The banner's label: the message, wrapped (escaped, see {@link Ui#wrap}). */
    public final JLabel text = Ui.ownHtml(Ui.colored("Allium.warning.foreground"));
    private final UiContext ctx;
    private String message = "";

    public DiskFullBanner(UiContext ctx) {
        super(new BorderLayout(Ui.gap(), 0));
        this.ctx = ctx;
        setName("diskFullBanner");
        setBackground(Theme.color("Allium.banner.background", new java.awt.Color(0xfff4d6)));
        setBorder(BorderFactory.createEmptyBorder(Ui.gap() / 2, Ui.padding(), Ui.gap() / 2, Ui.padding()));
        text.setFont(text.getFont().deriveFont(java.awt.Font.BOLD));
        add(text, BorderLayout.CENTER);
        setVisible(false);
    }

    /** Shows or hides the banner for {@link MessengerEvent.DiskFull} / {@link MessengerEvent.DiskSpaceRestored}. */
    public void onEvent(MessengerEvent event) {
        if (event instanceof MessengerEvent.DiskFull f) {
            show(f.bytesNeeded());
        } else if (event instanceof MessengerEvent.DiskSpaceRestored) {
            clear();
        }
    }

    /** Shows the banner: {@code bytesNeeded} more must be free (0 or less: hides it). */
    public void show(long bytesNeeded) {
        if (bytesNeeded <= 0) {
            clear();
            return;
        }
        long mb = (bytesNeeded + (1 << 20) - 1) >> 20;
        String t = ctx.format("store.diskFull.banner", mb);
        message = t;
        text.setText(Ui.wrap(t, 680)); // the window is at least 760 wide
        text.getAccessibleContext().setAccessibleName(t);
        setVisible(true);
        revalidate();
    }

    /** The message shown (plain text), or "" while hidden. */
    public String message() {
        return isVisible() ? message : "";
    }

    public void clear() {
        if (isVisible()) {
            setVisible(false);
            revalidate();
        }
    }
}
