package org.allium.desktop;

import java.awt.FlowLayout;
import java.awt.GridBagLayout;
import java.nio.file.Path;
import java.util.Arrays;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.JProgressBar;

/** Later starts: the passphrase of the last profile, or another profile. Event thread only. */
final class UnlockScreen extends JPanel {
    interface Listener {
        /** Unlock with this passphrase (the array belongs to the listener). */
        void unlock(char[] passphrase);

        /** Show the first-run screen to create or open another profile. */
        void otherProfile();
    }

    private final UiContext ctx;
    private final Listener listener;
    final JPasswordField passphrase = new JPasswordField(24);
    final JButton unlockButton;
    final JButton otherButton;
    final JLabel error = Ui.colored("Allium.error.foreground");
    private final JLabel folder = Ui.small(" ");
    private final JProgressBar busy = new JProgressBar();
    /** Below the buttons: what another screen offers here (the repair of a damaged profile). */
    final JPanel extra = new JPanel(new java.awt.BorderLayout());

    UnlockScreen(UiContext ctx, Listener listener) {
        super(new GridBagLayout());
        this.ctx = ctx;
        this.listener = listener;
        setName("unlock");
        JPanel column = new JPanel();
        column.setLayout(new BoxLayout(column, BoxLayout.Y_AXIS));
        column.setOpaque(false);
        column.add(Ui.title(ctx.text("unlock.title")));
        column.add(Box.createVerticalStrut(Ui.gap()));
        column.add(PlainText.guard(new JLabel(ctx.text("unlock.intro"))));
        column.add(Box.createVerticalStrut(Ui.gap() * 2));

        unlockButton = Ui.button(ctx.text("unlock.button"), e -> unlock());
        otherButton = Ui.button(ctx.text("unlock.other"), e -> listener.otherProfile());
        Ui.Form f = new Ui.Form();
        f.row(ctx.text("unlock.passphrase"), passphrase);
        f.full(error);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        buttons.setOpaque(false);
        buttons.add(otherButton);
        buttons.add(unlockButton);
        f.full(buttons);
        extra.setOpaque(false);
        f.full(extra);
        f.full(folder);
        f.panel.setAlignmentX(LEFT_ALIGNMENT);
        column.add(f.panel);
        busy.setIndeterminate(true);
        busy.setVisible(false);
        busy.getAccessibleContext().setAccessibleName(ctx.text("busy.name"));
        busy.setAlignmentX(LEFT_ALIGNMENT);
        column.add(busy);
        for (java.awt.Component c : column.getComponents()) {
            ((javax.swing.JComponent) c).setAlignmentX(LEFT_ALIGNMENT);
        }
        add(column);
        passphrase.addActionListener(e -> unlock());
        error.setText(" ");
    }

    void setProfileDirectory(Path dir) {
        folder.setText(ctx.format("unlock.folder", dir.toString()));
    }

    void unlock() {
        char[] p = passphrase.getPassword();
        if (p.length == 0) {
            Arrays.fill(p, '\0');
            showError(ctx.text("unlock.empty"));
            return;
        }
        setBusy(true);
        listener.unlock(p);
    }

    void showError(String text) {
        setBusy(false);
        error.setText(text);
        error.getAccessibleContext().setAccessibleName(text);
        passphrase.selectAll();
        passphrase.requestFocusInWindow();
    }

    void setBusy(boolean on) {
        busy.setVisible(on);
        unlockButton.setEnabled(!on);
        otherButton.setEnabled(!on);
        passphrase.setEnabled(!on);
        if (on) {
            error.setText(" ");
        }
    }

    void reset() {
        setBusy(false);
        passphrase.setText("");
        error.setText(" ");
    }
}
