package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.Direction;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerException;

/**
 * A pending request. Incoming: accept, reject or block. Outgoing: its state, and cancel.
 * Event thread only.
 */
final class RequestPanel extends JPanel {
    interface Op {
        void apply(Messenger m) throws MessengerException;
    }

    private final UiContext ctx;
    private final Messenger messenger;
    private final Runnable onDone;
    final JTextField address = new JTextField(40);
    final JTextArea message = new JTextArea(4, 40);
    final JButton accept;
    final JButton reject;
    final JButton block;
    final JButton cancel;
    final JButton close;
    final JButton rename;
    final JLabel error = Ui.colored("Allium.error.foreground");
    /** The look-alike warning, or null when the name looks like no contact's. */
    final JLabel lookalike;

    /** @param lookalikeOrNull the shown name of the contact this request's name looks like, or null */
    RequestPanel(UiContext ctx, Messenger messenger, ContactRequest r, String lookalikeOrNull, Runnable onDone,
                 Runnable onRename) {
        super(new BorderLayout());
        this.ctx = ctx;
        this.messenger = messenger;
        this.onDone = onDone;
        setName("request");
        Ui.pad(this);
        boolean incoming = r.direction() == Direction.INCOMING;
        String who = incoming ? PlainText.name(r.nickname(), ctx.text("contacts.noName"))
                : ContactListPanel.shortLink(r.link());
        address.setEditable(false);
        address.setText(r.link());
        message.setEditable(false);
        message.setLineWrap(true);
        message.setWrapStyleWord(true);
        String text = PlainText.text(r.message(), Messenger.MAX_REQUEST_MESSAGE_LENGTH);
        message.setText(text.isEmpty() ? ctx.text("request.noMessage") : text);
        message.setFocusTraversalKeys(java.awt.KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        message.setFocusTraversalKeys(java.awt.KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
        accept = Ui.button(ctx.text("request.accept"), e -> run(m -> m.accept(r.id())));
        reject = Ui.button(ctx.text("request.reject"), e -> run(m -> m.reject(r.id())));
        block = Ui.button(ctx.text("request.block"), e -> run(m -> m.block(r.id())));
        cancel = Ui.button(ctx.text("request.cancel"), e -> run(m -> m.remove(r.id())));
        close = Ui.button(ctx.text("common.close"), e -> onDone.run());
        rename = Ui.button(ctx.text("conversation.rename"), e -> onRename.run());

        Ui.Form f = new Ui.Form();
        f.full(Ui.title(ctx.format(incoming ? "request.in.title" : "request.out.title", who)));
        if (lookalikeOrNull != null) {
            lookalike = Ui.ownHtml(Ui.colored("Allium.warning.foreground"));
            lookalike.setText(Ui.wrap(ctx.format("request.lookalike", lookalikeOrNull), 460));
            f.full(lookalike);
        } else {
            lookalike = null;
        }
        String when = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT)
                .withLocale(ctx.messages().locale()).format(r.time().atZone(ctx.zone()));
        f.full(Ui.wrapped(incoming ? ctx.format("request.in.intro", when)
                : ctx.format(r.delivered() ? "request.out.delivered" : "request.out.pending", when), 460));
        f.row(ctx.text("request.address"), address);
        if (!incoming) {
            String offered = PlainText.name(r.nickname(), "");
            f.full(Ui.small(offered.isEmpty() ? ctx.text("add.nickname.none")
                    : ctx.format("add.nickname.shown", offered)));
        }
        f.row(Ui.labelFor(ctx.text("request.message"), message), Ui.scroll(message));
        if (incoming) {
            f.full(Ui.wrapped(ctx.text("request.in.hint"), 460));
        }
        f.full(error);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        buttons.setOpaque(false);
        buttons.add(rename);
        if (incoming) {
            buttons.add(block);
            buttons.add(reject);
            buttons.add(accept);
        } else {
            buttons.add(cancel);
            buttons.add(close);
        }
        f.full(buttons);
        add(f.panel, BorderLayout.CENTER);
    }

    JButton defaultButton() {
        return accept.getParent() != null ? accept : close;
    }

    private void run(Op op) {
        setButtons(false);
        ctx.background().run(() -> op.apply(messenger), onDone, e -> {
            setButtons(true);
            error.setText(e instanceof MessengerException ? ctx.format("error.core", e.getMessage())
                    : ctx.text("error.unexpected"));
        });
    }

    private void setButtons(boolean on) {
        accept.setEnabled(on);
        reject.setEnabled(on);
        block.setEnabled(on);
        cancel.setEnabled(on);
    }
}
