package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.FlowLayout;
import java.util.Locale;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import org.allium.core.api.InvalidAddressException;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerException;

/**
 * Add a contact: paste a link or address (checked as you type, with the reason when it is
 * not valid), the name they will see, and a message. Sending runs in the background.
 * Event thread only.
 */
final class AddContactPanel extends JPanel {
    private final UiContext ctx;
    private final Messenger messenger;
    private final Runnable onDone;
    final JTextField address = new JTextField(40);
    final JLabel addressStatus = Ui.colored("Allium.meta.foreground");
    final JTextField nickname = new JTextField(24);
    final JTextArea message = new JTextArea(4, 40);
    final JLabel counter = Ui.small(" ");
    /** Exactly the name they will see (or that they will see none), or why it cannot be sent. */
    final JLabel nicknameStatus = Ui.colored("Allium.meta.foreground");
    final JLabel error = Ui.colored("Allium.error.foreground");
    final JButton send;
    final JButton cancel;
    private boolean valid;
    private final java.util.function.Predicate<String> known;
    /** Our own service id: refused as it is typed, not only at Send. */
    private final String own;

    /** @param known whether a service id is already a contact or request (refused as it is typed) */
    AddContactPanel(UiContext ctx, Messenger messenger, String myNickname, java.util.function.Predicate<String> known,
                    Runnable onDone, Runnable onCancel) {
        super(new BorderLayout());
        this.known = known;
        this.own = messenger.myIdentity().serviceId();
        this.ctx = ctx;
        this.messenger = messenger;
        this.onDone = onDone;
        setName("addContact");
        Ui.pad(this);
        nickname.setText(myNickname == null ? "" : myNickname);
        message.setLineWrap(true);
        message.setWrapStyleWord(true);
        message.setFocusTraversalKeys(java.awt.KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        message.setFocusTraversalKeys(java.awt.KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
        send = Ui.button(ctx.text("add.send"), e -> send());
        cancel = Ui.button(ctx.text("common.cancel"), e -> onCancel.run());
        address.putClientProperty("JTextField.placeholderText", ctx.text("add.address.placeholder"));

        Ui.Form f = new Ui.Form();
        f.full(Ui.title(ctx.text("add.title")));
        f.full(Ui.wrapped(ctx.text("add.intro"), 460));
        f.row(ctx.text("add.address"), address);
        f.full(addressStatus);
        f.row(ctx.text("add.nickname"), nickname);
        f.full(Ui.small(ctx.text("add.nickname.hint")));
        f.full(nicknameStatus);
        JScrollPane scroll = Ui.scroll(message);
        f.row(Ui.labelFor(ctx.text("add.message"), message), scroll);
        f.full(counter);
        f.full(error);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        buttons.setOpaque(false);
        buttons.add(cancel);
        buttons.add(send);
        f.full(buttons);
        add(f.panel, BorderLayout.CENTER);
        Ui.onChange(address, this::validateAddress);
        Ui.onChange(message, this::updateCounter);
        Ui.onChange(nickname, this::updateNickname);
        validateAddress();
        updateCounter();
        updateNickname();
    }

    private void updateNickname() {
        String n = Nickname.typed(nickname.getText());
        String problem = Nickname.problem(ctx, n);
        if (problem != null) {
            nicknameStatus.setText(problem);
        } else if (n.isEmpty()) {
            nicknameStatus.setText(ctx.text("add.nickname.none"));
        } else {
            nicknameStatus.setText(ctx.format("add.nickname.shown", PlainText.name(n, "")));
        }
        nicknameStatus.setForeground(Theme.color(problem != null ? "Allium.error.foreground" : "Allium.meta.foreground",
                Color.GRAY));
        nickname.putClientProperty("JComponent.outline", problem != null ? "error" : null);
        nickname.getAccessibleContext().setAccessibleDescription(nicknameStatus.getText());
        updateSend();
    }

    /** Checks the address with the core's pure validator (no I/O, fine on the event thread). */
    private void validateAddress() {
        String text = address.getText();
        if (text.isBlank()) {
            valid = false;
            addressStatus.setText(ctx.text("add.address.hint"));
            addressStatus.setForeground(Theme.color("Allium.meta.foreground", Color.GRAY));
        } else {
            try {
                String id = messenger.normalizeAddress(text);
                if (id.equals(own)) {
                    throw new InvalidAddressException(InvalidAddressException.Reason.OWN_ADDRESS);
                }
                if (known.test(id)) {
                    throw new InvalidAddressException(InvalidAddressException.Reason.ALREADY_CONTACT);
                }
                valid = true;
                addressStatus.setText(ctx.text("add.address.ok"));
                addressStatus.setForeground(Theme.color("Allium.ok.foreground", Color.GREEN));
            } catch (InvalidAddressException e) {
                valid = false;
                addressStatus.setText(ctx.text(reasonKey(e.reason())));
                addressStatus.setForeground(Theme.color("Allium.error.foreground", Color.RED));
            }
        }
        address.getAccessibleContext().setAccessibleDescription(addressStatus.getText());
        address.putClientProperty("JComponent.outline", !valid && !text.isBlank() ? "error" : null);
        updateSend();
    }

    static String reasonKey(InvalidAddressException.Reason r) {
        return "address.invalid." + r.name().toLowerCase(Locale.ROOT);
    }

    private void updateCounter() {
        int n = message.getDocument().getLength();
        counter.setText(ctx.format("composer.counter", n, Messenger.MAX_REQUEST_MESSAGE_LENGTH));
        counter.setForeground(Theme.color(n > Messenger.MAX_REQUEST_MESSAGE_LENGTH
                ? "Allium.error.foreground" : "Allium.meta.foreground", Color.GRAY));
        updateSend();
    }

    private void updateSend() {
        send.setEnabled(valid && message.getDocument().getLength() <= Messenger.MAX_REQUEST_MESSAGE_LENGTH
                && Nickname.fits(Nickname.typed(nickname.getText())));
    }

    boolean isAddressValid() {
        return valid;
    }

    void send() {
        if (!send.isEnabled()) {
            return;
        }
        String a = address.getText();
        // Exactly what the field says: empty offers no name at all, not the profile's.
        String n = Nickname.typed(nickname.getText());
        String m = message.getText().strip();
        send.setEnabled(false);
        error.setText(" ");
        ctx.background().run(() -> messenger.sendContactRequest(a, n.isEmpty() ? Messenger.NO_NICKNAME : n, m),
                id -> onDone.run(),
                e -> {
                    if (e instanceof InvalidAddressException ia) {
                        error.setText(ctx.text(reasonKey(ia.reason())));
                    } else if (e instanceof MessengerException) {
                        error.setText(ctx.format("error.core", e.getMessage()));
                    } else {
                        error.setText(ctx.text("error.unexpected"));
                    }
                    updateSend();
                });
    }
}
