package org.allium.desktop.store;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.Window;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JPanel;
import org.allium.desktop.DialogWindow;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/** The one-message outcome dialog that "Back up…" and "Repair…" show (wrapped text, a Close button). EDT only. */
final class ReportDialog {
    private ReportDialog() {
    }

    /**
     * Disposes {@code previous} (if any) and shows {@code message} under {@code title}.
     *
     * @param name the content's component name (tests find the dialog by it)
     * @return the dialog shown
     */
    static JDialog show(UiContext ctx, Window owner, JDialog previous, String name, String title, String message,
            int width) {
        if (previous != null) {
            previous.dispose();
        }
        JPanel content = new JPanel(new BorderLayout(0, Ui.gap()));
        content.setName(name);
        content.setBorder(BorderFactory.createEmptyBorder(Ui.padding(), Ui.padding(), Ui.padding(), Ui.padding()));
        content.add(Ui.wrapped(message, width), BorderLayout.CENTER);
        JDialog[] shown = new JDialog[1];
        JButton close = Ui.button(ctx.text("store.close"), e -> shown[0].dispose());
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, 0, 0));
        buttons.setOpaque(false);
        buttons.add(close);
        content.add(buttons, BorderLayout.SOUTH);
        shown[0] = DialogWindow.show(owner, Ui.plain(title), content, close);
        return shown[0];
    }
}
