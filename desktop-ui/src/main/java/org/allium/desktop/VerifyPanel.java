package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextField;
import org.allium.core.api.Contact;
import org.allium.core.api.Identity;

/**
 * Compare a contact's safety fingerprint out of band; confirming marks them verified.
 * Event thread only.
 */
final class VerifyPanel extends JPanel {
    final JTextField theirs = new JTextField(40);
    final JTextField mine = new JTextField(40);
    final JButton confirm;
    final JButton cancel;
    final JLabel error = Ui.colored("Allium.error.foreground");

    VerifyPanel(UiContext ctx, Contact contact, Identity me, Runnable onConfirm, Runnable onCancel) {
        super(new BorderLayout());
        setName("verify");
        Ui.pad(this);
        String who = PlainText.name(contact.nickname(), ctx.text("contacts.noName"));
        theirs.setEditable(false);
        theirs.setText(contact.fingerprint());
        mine.setEditable(false);
        mine.setText(me.fingerprint());
        confirm = Ui.button(ctx.text("verify.confirm"), e -> onConfirm.run());
        cancel = Ui.button(ctx.text("common.cancel"), e -> onCancel.run());
        Ui.Form f = new Ui.Form();
        f.full(Ui.title(ctx.format("verify.title", who)));
        f.full(Ui.wrapped(ctx.format("verify.intro", who), 460));
        f.row(Ui.labelFor(ctx.format("verify.theirs", who), theirs), theirs);
        f.row(ctx.text("verify.mine"), mine);
        f.full(Ui.wrapped(ctx.text("verify.warning"), 460));
        f.full(error);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        buttons.setOpaque(false);
        buttons.add(cancel);
        buttons.add(confirm);
        f.full(buttons);
        add(f.panel, BorderLayout.CENTER);
    }
}
