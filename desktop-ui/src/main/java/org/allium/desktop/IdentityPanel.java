package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextField;
import org.allium.core.api.Identity;

/**
 * "My identity": the {@code allium:} link with a copy button, its QR code, and the safety
 * fingerprint to compare out of band. Event thread only.
 */
final class IdentityPanel extends JPanel {
    final JTextField link = new JTextField(40);
    final JTextField fingerprint = new JTextField(40);
    final JButton copy;
    final JButton close;
    final QrCodeView qr = new QrCodeView();
    final JLabel copied = Ui.colored("Allium.ok.foreground");

    IdentityPanel(UiContext ctx, Identity me, Runnable onClose) {
        super(new BorderLayout());
        setName("identity");
        Ui.pad(this);
        link.setEditable(false);
        link.setText(me.link());
        fingerprint.setEditable(false);
        fingerprint.setText(me.fingerprint());
        copy = Ui.button(ctx.text("identity.copy"), e -> {
            Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(me.link()), null);
            copied.setText(ctx.text("identity.copied"));
        });
        copied.setText(" "); // its line is reserved, so "Copied" moves nothing
        close = Ui.button(ctx.text("common.close"), e -> onClose.run());
        qr.setText(me.link());
        int side = Theme.integer("Allium.qrSide", 220);
        qr.setPreferredSize(new Dimension(side, side));
        qr.getAccessibleContext().setAccessibleName(ctx.text("identity.qr.name"));

        Ui.Form f = new Ui.Form();
        f.full(Ui.title(ctx.text("identity.title")));
        f.full(Ui.wrapped(ctx.text("identity.intro"), 460));
        JPanel linkRow = new JPanel(new BorderLayout(Ui.gap(), 0));
        linkRow.setOpaque(false);
        linkRow.add(link, BorderLayout.CENTER);
        linkRow.add(copy, BorderLayout.EAST);
        f.row(Ui.labelFor(ctx.text("identity.link"), link), linkRow);
        f.full(copied);
        JPanel qrRow = new JPanel(new FlowLayout(FlowLayout.CENTER));
        qrRow.setOpaque(false);
        qrRow.add(qr);
        // The QR code keeps its room: without this the grid gave the row its minimum height
        // once "Copied" appeared, and the code vanished (issue 13).
        qrRow.setMinimumSize(qrRow.getPreferredSize());
        f.full(qrRow);
        f.row(ctx.text("identity.fingerprint"), fingerprint);
        f.full(Ui.wrapped(ctx.text("identity.fingerprint.hint"), 460));
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, 0, 0));
        buttons.setOpaque(false);
        buttons.add(close);
        f.full(buttons);
        add(f.panel, BorderLayout.CENTER);
    }
}
