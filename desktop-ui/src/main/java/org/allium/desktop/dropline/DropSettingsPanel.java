package org.allium.desktop.dropline;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.FlowLayout;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSpinner;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.SpinnerNumberModel;
import org.allium.core.api.Messenger;
import org.allium.core.api.DropLine;
import org.allium.desktop.Theme;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * The drop line's settings: switched on or off (sources then write to this profile's public
 * address), the acknowledgement every source gets at once, and how many days closed cases
 * are kept. Event thread only; the drop line is read and written on the background executor.
 */
final class DropSettingsPanel extends JPanel {
    /** The acknowledgement's UTF-8 byte limit (PROTOCOL.md §13 limits). */
    static final int ACK_LIMIT_BYTES = 1024;

    private final UiContext ctx;
    private final DropLine line;
    private final Messenger messenger;
    private final Consumer<Boolean> saved;
    final JCheckBox on;
    final JTextField address = new JTextField(40);
    final JButton copy;
    final JTextArea acknowledgement = new JTextArea(3, 40);
    final JLabel ackCounter = Ui.colored("Allium.meta.foreground");
    final JSpinner retention = new JSpinner(new SpinnerNumberModel(0, 0, 36500, 1));
    final JButton save;
    final JButton cancel;
    final JLabel error = Ui.colored("Allium.error.foreground");

    /** @param saved called with the new switch after a successful save */
    DropSettingsPanel(UiContext ctx, DropLine line, Messenger messenger, Consumer<Boolean> saved) {
        super(new BorderLayout());
        this.ctx = ctx;
        this.line = line;
        this.messenger = messenger;
        this.saved = saved;
        setName("dropSettings");
        setOpaque(false);
        on = Ui.mnemonic(new JCheckBox(), ctx.text("drop.settings.on"));
        copy = Ui.button(ctx.text("drop.settings.copy"), e -> Toolkit.getDefaultToolkit().getSystemClipboard()
                .setContents(new StringSelection(address.getText()), null));
        save = Ui.button(ctx.text("drop.settings.save"), e -> save());
        cancel = Ui.button(ctx.text("common.cancel"), e -> load());
        address.setEditable(false);
        address.getAccessibleContext().setAccessibleName(Ui.plain(ctx.text("drop.settings.address")));
        acknowledgement.getAccessibleContext().setAccessibleName(Ui.plain(ctx.text("drop.settings.ack")));
        ((JSpinner.DefaultEditor) retention.getEditor()).getTextField().getAccessibleContext()
                .setAccessibleName(Ui.plain(ctx.text("drop.settings.retention")));
        acknowledgement.setLineWrap(true);
        acknowledgement.setWrapStyleWord(true);
        acknowledgement.setFocusTraversalKeys(java.awt.KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        acknowledgement.setFocusTraversalKeys(java.awt.KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
        Ui.onChange(acknowledgement, this::updateCount);

        Ui.Form f = new Ui.Form();
        f.full(on);
        f.full(Ui.wrapped(ctx.text("drop.settings.on.hint"), 520));
        JPanel addr = new JPanel(new BorderLayout(Ui.gap(), 0));
        addr.setOpaque(false);
        addr.add(address, BorderLayout.CENTER);
        addr.add(copy, BorderLayout.EAST);
        f.row(ctx.text("drop.settings.address"), addr);
        f.row(ctx.text("drop.settings.ack"), Ui.scroll(acknowledgement));
        f.full(ackCounter);
        f.full(Ui.small(ctx.text("drop.settings.ack.hint")));
        f.row(ctx.text("drop.settings.retention"), retention);
        f.full(Ui.small(ctx.text("drop.settings.retention.hint")));
        error.setText(" ");
        f.full(error);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        buttons.setOpaque(false);
        buttons.add(cancel);
        buttons.add(save);
        f.full(buttons);
        add(f.panel, BorderLayout.NORTH);
        updateCount();
    }

    private void updateCount() {
        int n = acknowledgement.getText().getBytes(StandardCharsets.UTF_8).length;
        ackCounter.setText(ctx.format("drop.source.counter", n, ACK_LIMIT_BYTES));
        ackCounter.setForeground(Theme.color(n > ACK_LIMIT_BYTES ? "Allium.error.foreground" : "Allium.meta.foreground",
                Color.GRAY));
        save.setEnabled(n <= ACK_LIMIT_BYTES);
    }

    private record Values(boolean on, String ack, int days, String link) {
    }

    /** Reads the current settings (background) into the form. */
    void load() {
        error.setText(" ");
        ctx.background().run(() -> new Values(line.enabled(), line.acknowledgement(), line.retentionDays(),
                messenger.myIdentity().link()), v -> {
                    on.setSelected(v.on());
                    acknowledgement.setText(v.ack());
                    retention.setValue(v.days());
                    address.setText(v.link());
                }, e -> error.setText(DropInbox.errorText(ctx, e)));
    }

    void save() {
        boolean enable = on.isSelected();
        String ack = acknowledgement.getText().strip();
        int days = (Integer) retention.getValue();
        if (ack.getBytes(StandardCharsets.UTF_8).length > ACK_LIMIT_BYTES) {
            return;
        }
        save.setEnabled(false);
        ctx.background().run(() -> {
            line.setAcknowledgement(ack.isEmpty() ? DropLine.DEFAULT_ACKNOWLEDGEMENT : ack);
            line.setRetentionDays(days);
            if (line.enabled() != enable) {
                line.setEnabled(enable);
            }
            if (days > 0) {
                line.applyRetention();
            }
        }, () -> {
            updateCount();
            saved.accept(enable);
        }, e -> {
            updateCount();
            error.setText(DropInbox.errorText(ctx, e));
        });
    }
}
