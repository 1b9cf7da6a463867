package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import javax.swing.JButton;
import javax.swing.JPanel;

/**
 * Shown the first time the window is closed while Allium can keep running (a tray or a
 * notification service exists): says that Allium stays online and how to quit. Event thread only.
 */
final class BackgroundNoticePanel extends JPanel {
    final JButton keepRunning;
    final JButton quit;

    BackgroundNoticePanel(UiContext ctx, boolean tray, Runnable onKeepRunning, Runnable onQuit) {
        super(new BorderLayout());
        setName("background");
        Ui.pad(this);
        keepRunning = Ui.button(ctx.text("background.keep"), e -> onKeepRunning.run());
        quit = Ui.button(ctx.text("background.quit"), e -> onQuit.run());
        Ui.Form f = new Ui.Form();
        f.full(Ui.title(ctx.text("background.title")));
        f.full(Ui.wrapped(ctx.text("background.text"), 420));
        f.full(Ui.wrapped(ctx.text(tray ? "background.back.tray" : "background.back.notification"), 420));
        f.full(Ui.wrapped(ctx.text("background.how.quit"), 420));
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        buttons.setOpaque(false);
        buttons.add(quit);
        buttons.add(keepRunning);
        f.full(buttons);
        add(f.panel, BorderLayout.CENTER);
    }
}
