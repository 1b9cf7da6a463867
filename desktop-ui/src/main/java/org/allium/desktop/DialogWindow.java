package org.allium.desktop;

import java.awt.Window;
import java.awt.event.KeyEvent;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.KeyStroke;
import javax.swing.WindowConstants;

/**
 * Shows a screen panel in its own window (modeless, so core events keep arriving and tests can
 * drive it); Escape closes it. Event thread only.
 */
public final class DialogWindow {
    private DialogWindow() {
    }

    public static JDialog show(Window owner, String title, JComponent content, JButton defaultButton) {
        JDialog d = new JDialog(owner, title, java.awt.Dialog.ModalityType.MODELESS);
        d.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        d.setContentPane(content);
        d.getRootPane().setDefaultButton(defaultButton);
        Ui.bindKey(d.getRootPane(), JComponent.WHEN_IN_FOCUSED_WINDOW,
                KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), "close", e -> d.dispose());
        d.pack();
        d.setLocationRelativeTo(owner);
        d.setVisible(true);
        return d;
    }
}
