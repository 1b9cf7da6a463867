package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.FlowLayout;
import java.util.function.Consumer;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextField;

/**
 * Our own name for a contact or request: shown only to us, never sent. The current name is
 * pre-filled; empty removes it. Event thread only.
 */
final class RenamePanel extends JPanel {
    final JTextField name = new JTextField(28);
    final JLabel status = Ui.colored("Allium.error.foreground");
    final JButton save;
    final JButton cancel;

    /** @param onSave receives the typed name ("" to remove it) */
    RenamePanel(UiContext ctx, String current, Consumer<String> onSave, Runnable onCancel) {
        super(new BorderLayout());
        setName("rename");
        Ui.pad(this);
        name.setText(current);
        name.selectAll();
        save = Ui.button(ctx.text("rename.save"), e -> {
            if (Nickname.fits(Nickname.typed(name.getText()))) {
                onSave.accept(Nickname.typed(name.getText()));
            }
        });
        cancel = Ui.button(ctx.text("common.cancel"), e -> onCancel.run());
        Ui.onChange(name, () -> {
            String problem = Nickname.problem(ctx, Nickname.typed(name.getText()));
            status.setText(problem == null ? " " : problem);
            status.setForeground(Theme.color("Allium.error.foreground", Color.RED));
            save.setEnabled(problem == null);
        });
        Ui.Form f = new Ui.Form();
        f.full(Ui.title(ctx.text("rename.title")));
        f.row(ctx.text("rename.field"), name);
        f.full(Ui.wrapped(ctx.text("rename.hint"), 360));
        f.full(status);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        buttons.setOpaque(false);
        buttons.add(cancel);
        buttons.add(save);
        f.full(buttons);
        add(f.panel, BorderLayout.CENTER);
    }

    void showError(String text) {
        status.setText(text);
    }
}
