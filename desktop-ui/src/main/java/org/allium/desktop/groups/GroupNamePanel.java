package org.allium.desktop.groups;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextField;
import org.allium.core.groups.Groups;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * The name of a new group, or a group's new name: checked as typed against core's limit
 * ({@link Groups#MAX_NAME_BYTES} UTF-8 bytes, not blank). Every member sees it. Event thread only.
 */
final class GroupNamePanel extends JPanel {
    private final UiContext ctx;
    final JTextField name = new JTextField(28);
    final JLabel status = Ui.colored("Allium.meta.foreground");
    final JLabel error = Ui.colored("Allium.error.foreground");
    final JButton ok;
    final JButton cancel;

    /** @param done called with the stripped name when the user confirms */
    GroupNamePanel(UiContext ctx, String intro, String current, String okText, Consumer<String> done, Runnable cancel) {
        super(new BorderLayout());
        this.ctx = ctx;
        setName("groupName");
        Ui.pad(this);
        name.setText(current == null ? "" : current);
        ok = Ui.button(okText, e -> {
            if (valid()) {
                done.accept(name.getText().strip());
            }
        });
        this.cancel = Ui.button(ctx.text("common.cancel"), e -> cancel.run());
        Ui.Form f = new Ui.Form();
        f.full(Ui.wrapped(intro, 380));
        f.row(ctx.text("group.name.label"), name);
        f.full(status);
        f.full(error);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        buttons.setOpaque(false);
        buttons.add(this.cancel);
        buttons.add(ok);
        f.full(buttons);
        add(f.panel, BorderLayout.CENTER);
        Ui.onChange(name, this::update);
        update();
    }

    private boolean valid() {
        String n = name.getText().strip();
        return !n.isEmpty() && n.getBytes(StandardCharsets.UTF_8).length <= Groups.MAX_NAME_BYTES;
    }

    private void update() {
        int bytes = name.getText().strip().getBytes(StandardCharsets.UTF_8).length;
        boolean tooLong = bytes > Groups.MAX_NAME_BYTES;
        status.setText(tooLong ? ctx.text("group.name.tooLong") : ctx.text("group.name.hint"));
        status.setForeground(org.allium.desktop.Theme.color(tooLong ? "Allium.error.foreground" : "Allium.meta.foreground",
                java.awt.Color.GRAY));
        ok.setEnabled(valid());
    }

    void showError(String text) {
        error.setText(text);
    }
}
