package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.util.Locale;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import org.allium.core.api.MessengerEvent;

/**
 * A visible banner across the main window while Tor is lost or cannot connect after the
 * start (not a small grey text): what happened, and the actions — Tor settings (bridges),
 * Try again. Hidden again when tor is ready. Event thread only.
 */
final class TorBanner extends JPanel {
    final JLabel text = Ui.colored("Allium.warning.foreground");
    final JButton settings;
    final JButton retry;

    TorBanner(UiContext ctx, Runnable openSettings, Runnable tryAgain) {
        super(new BorderLayout(Ui.gap(), 0));
        setName("torBanner");
        setBackground(Theme.color("Allium.banner.background", new java.awt.Color(0xfff4d6)));
        setBorder(BorderFactory.createEmptyBorder(Ui.gap() / 2, Ui.padding(), Ui.gap() / 2, Ui.padding()));
        text.setFont(text.getFont().deriveFont(java.awt.Font.BOLD));
        settings = Ui.button(ctx.text("banner.tor.settings"), e -> openSettings.run());
        retry = Ui.button(ctx.text("banner.tor.retry"), e -> tryAgain.run());
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        buttons.setOpaque(false);
        buttons.add(settings);
        buttons.add(retry);
        add(text, BorderLayout.CENTER);
        add(buttons, BorderLayout.EAST);
        this.ctx = ctx;
        setVisible(false);
    }

    private final UiContext ctx;

    /** Shows the banner for a problem reported while the main window is in use. */
    void show(MessengerEvent.TorProblem p) {
        if (p.kind() == MessengerEvent.TorProblem.Kind.POW_UNAVAILABLE) {
            return;
        }
        text.setText(ctx.text("tor.problem." + p.kind().name().toLowerCase(Locale.ROOT) + ".title")
                + " — " + ctx.text("banner.tor.advice"));
        setBackground(Theme.color("Allium.banner.background", new java.awt.Color(0xfff4d6)));
        setVisible(true);
        revalidate();
    }

    void clear() {
        if (isVisible()) {
            setVisible(false);
            revalidate();
        }
    }
}
