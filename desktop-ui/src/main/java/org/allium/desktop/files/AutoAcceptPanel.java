package org.allium.desktop.files;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSpinner;
import javax.swing.SpinnerNumberModel;
import org.allium.core.api.ContactId;
import org.allium.core.api.FileTransfers;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * A contact's file setting: "accept files from this contact automatically, up to N MB".
 * Loads and saves in the background. Event thread only.
 */
final class AutoAcceptPanel extends JPanel {
    /** Upper bound of the spinner, in MB (the profile's cap on incoming files applies anyway). */
    static final int MAX_MB = 2048;
    final JCheckBox enabled;
    final JSpinner megabytes = new JSpinner(new SpinnerNumberModel(25, 1, MAX_MB, 1));
    final JButton save;
    final JLabel status = Ui.small(" ");
    private final UiContext ctx;
    private final FileTransfers files;
    private final ContactId contact;

    AutoAcceptPanel(UiContext ctx, FileTransfers files, ContactId contact) {
        super(new BorderLayout(0, Ui.gap()));
        this.ctx = ctx;
        this.files = files;
        this.contact = contact;
        setName("fileSettings");
        Ui.pad(this);
        enabled = Ui.mnemonic(new JCheckBox(), ctx.text("file.settings.auto"));
        JPanel body = new JPanel();
        body.setLayout(new BoxLayout(body, BoxLayout.Y_AXIS));
        enabled.setAlignmentX(LEFT_ALIGNMENT);
        body.add(enabled);
        JPanel limit = new JPanel(new FlowLayout(FlowLayout.LEADING, Ui.gap(), 0));
        limit.setAlignmentX(LEFT_ALIGNMENT);
        limit.setBorder(BorderFactory.createEmptyBorder(Ui.gap() / 2, Ui.gap() * 3, 0, 0));
        limit.add(Ui.labelFor(ctx.text("file.settings.limit"), megabytes));
        limit.add(megabytes);
        limit.add(Ui.small(ctx.text("file.settings.unit")));
        body.add(limit);
        JLabel hint = Ui.wrapped(ctx.text("file.settings.hint"), 380);
        hint.setAlignmentX(LEFT_ALIGNMENT);
        hint.setBorder(BorderFactory.createEmptyBorder(Ui.gap(), 0, 0, 0));
        body.add(hint);
        add(body, BorderLayout.CENTER);
        save = Ui.button(ctx.text("file.settings.save"), e -> save());
        JPanel south = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        south.add(status);
        south.add(save);
        add(south, BorderLayout.SOUTH);
        enabled.addActionListener(e -> megabytes.setEnabled(enabled.isSelected()));
        megabytes.setEnabled(false);
        save.setEnabled(false);
        ctx.background().run(() -> files.autoAcceptBytes(contact), bytes -> {
            enabled.setSelected(bytes > 0);
            megabytes.setEnabled(bytes > 0);
            if (bytes > 0) {
                megabytes.setValue((int) Math.max(1, Math.min(MAX_MB, bytes / Sizes.MB)));
            }
            save.setEnabled(true);
        }, e -> status.setText(ctx.text("error.unexpected")));
    }

    void save() {
        long bytes = enabled.isSelected() ? ((Number) megabytes.getValue()).longValue() * Sizes.MB : 0;
        save.setEnabled(false);
        ctx.background().run(() -> files.setAutoAcceptBytes(contact, bytes), () -> {
            save.setEnabled(true);
            status.setText(ctx.text("file.settings.saved"));
        }, e -> {
            save.setEnabled(true);
            status.setText(ctx.text("error.unexpected"));
        });
    }
}
