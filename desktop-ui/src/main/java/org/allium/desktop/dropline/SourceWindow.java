package org.allium.desktop.dropline;

import java.awt.Dimension;
import java.awt.Window;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import javax.swing.JDialog;
import javax.swing.WindowConstants;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * The window in which a source writes to a drop line ("Write to a drop line…" on the first
 * screen, no profile needed). Closing it stops the source's tor, deletes its directory and
 * forgets the codename. Event thread only.
 */
public final class SourceWindow {
    /** The window's component name (tests find it by it). */
    public static final String NAME = "dropSourceWindow";

    private SourceWindow() {
    }

    /** Opens a new source window over {@code owner}. */
    public static JDialog open(UiContext ctx, Window owner, DropAccess drops) {
        SourceClient client = drops.newSource();
        JDialog d = new JDialog(owner, Ui.plain(ctx.text("drop.source.window")), java.awt.Dialog.ModalityType.MODELESS);
        d.setName(NAME);
        d.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        SourcePanel panel = new SourcePanel(ctx, client, d::dispose);
        d.setContentPane(panel);
        d.getRootPane().setDefaultButton(panel.writeNew);
        d.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosed(WindowEvent e) {
                panel.forget();
                ctx.background().run(client::close, () -> { }, x -> { });
            }
        });
        d.setMinimumSize(new Dimension(680, 640));
        d.pack();
        d.setLocationRelativeTo(owner);
        d.setVisible(true);
        return d;
    }
}
