package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.time.Instant;
import java.util.List;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSplitPane;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.Direction;
import org.allium.core.api.Message;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.MessengerException;

/**
 * The main window's content: a toolbar, the contact list (requests apart) and the
 * conversation. Every core call runs on the background executor; events arrive through
 * {@link #onEvent} on the event thread. Event thread only.
 */
final class MainScreen extends JPanel {
    /** Dialogs the main screen opens; the app owns them. */
    interface Dialogs {
        void addContact();

        void identity();

        void settings();

        void request(ContactRequest request);

        void verify(Contact contact);

        void rename(org.allium.core.api.ContactId id, String current);
    }

    /** How many messages are loaded when a conversation opens. */
    static final int PAGE = 200;

    private final UiContext ctx;
    private final Session session;
    final ContactListPanel contactList;
    final ConversationPanel conversation;
    final JLabel torStatus = Ui.small(" ");
    /** Shown while strangers cannot send us requests (our public address is offline). */
    final JLabel notAccepting = Ui.colored("Allium.warning.foreground");
    final JButton identityButton;
    final JButton addButton;
    final JButton settingsButton;
    /** File transfers in the conversation (org.allium.desktop.files). */
    final org.allium.desktop.files.ConversationFiles files;
    /** The drop line's inbox (org.allium.desktop.dropline), in place of the contacts while shown. */
    final org.allium.desktop.dropline.DropInbox dropLine;
    /** Private groups (org.allium.desktop.groups): a section of the contact list and a view on the right; null without groups. */
    final org.allium.desktop.groups.GroupsDesk groups;
    /** The right side: the contact conversation, or the selected group. */
    private final java.awt.CardLayout rightCards = new java.awt.CardLayout();
    private final JPanel rightSide = new JPanel(rightCards);

    private final java.util.function.IntConsumer loaded;

    /** @param loaded called on the event thread with the number of contacts each time {@link #load} completes */
    MainScreen(UiContext ctx, Session session, Dialogs dialogs, java.util.function.IntConsumer loaded) {
        super(new BorderLayout());
        this.loaded = loaded;
        this.ctx = ctx;
        this.session = session;
        setName("main");
        contactList = new ContactListPanel(ctx, this::select, dialogs::request);
        conversation = new ConversationPanel(ctx, new ConversationPanel.Actions() {
            @Override
            public boolean send(Contact contact, String text) {
                return MainScreen.this.send(contact, text);
            }

            @Override
            public void retry(MessageId message) {
                MainScreen.this.retry(message);
            }

            @Override
            public void verify(Contact contact) {
                dialogs.verify(contact);
            }

            @Override
            public void rename(Contact contact) {
                dialogs.rename(contact.id(), contact.nickname());
            }

            @Override
            public void unverify(Contact contact) {
                ContactId id = contact.id();
                ctx.background().run(() -> {
                    session.messenger().markUnverified(id);
                    return session.messenger().contact(id);
                }, fresh -> onEvent(new MessengerEvent.ContactChanged(fresh)),
                        e -> conversation.showError(errorText(e)));
            }

            @Override
            public void block(Contact contact) {
                MainScreen.this.confirmThen(contact, "confirm.block", () -> session.messenger().block(contact.id()));
            }

            @Override
            public void remove(Contact contact) {
                MainScreen.this.confirmThen(contact, "confirm.remove", () -> session.messenger().remove(contact.id()));
            }

            @Override
            public void unblock(Contact contact) {
                MainScreen.this.confirmThen(contact, "confirm.unblock", () -> session.messenger().unblock(contact.id()));
            }

            @Override
            public void deleteMessage(Contact contact, Message message) {
                MainScreen.this.confirmThen(contact, "confirm.deleteMessage",
                        () -> session.messenger().deleteMessage(contact.id(), message.id()),
                        () -> conversation.removeMessage(message.id()));
            }
        });

        files = new org.allium.desktop.files.ConversationFiles(ctx, session.messenger(), fileHost());
        if (files.available()) {
            conversation.setCards(files::cardFor, files::acceptDrops);
            // Beside Send, not in the header: the header's buttons already leave the name little room.
            conversation.composer.addAction(files.attach);
            conversation.composer.addAction(files.settings);
            files.acceptDrops(conversation.messages);
            files.acceptDrops(conversation.composer.area);
            files.start();
        }

        JPanel toolbar = new JPanel(new BorderLayout());
        toolbar.setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createMatteBorder(0, 0, 1, 0, javax.swing.UIManager.getColor("Component.borderColor")),
                BorderFactory.createEmptyBorder(Ui.gap() / 2, Ui.gap(), Ui.gap() / 2, Ui.gap())));
        JPanel left = new JPanel(new FlowLayout(FlowLayout.LEADING, Ui.gap(), 0));
        left.setOpaque(false);
        identityButton = Ui.button(ctx.text("main.identity"), e -> dialogs.identity());
        addButton = Ui.button(ctx.text("main.add"), e -> dialogs.addContact());
        settingsButton = Ui.button(ctx.text("main.settings"), e -> dialogs.settings());
        left.add(identityButton);
        left.add(addButton);
        left.add(settingsButton);
        java.awt.CardLayout centerCards = new java.awt.CardLayout();
        JPanel center = new JPanel(centerCards);
        dropLine = new org.allium.desktop.dropline.DropInbox(ctx, session.messenger(), ctx.core().drops(),
                inbox -> centerCards.show(center, inbox ? "dropLine" : "contacts"));
        left.add(dropLine.toggle);
        toolbar.add(left, BorderLayout.WEST);
        JPanel right = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap() * 2, 0));
        right.setOpaque(false);
        notAccepting.setText(ctx.text("main.notAccepting"));
        right.add(notAccepting);
        right.add(torStatus);
        toolbar.add(right, BorderLayout.EAST);
        add(toolbar, BorderLayout.NORTH);

        groups = org.allium.desktop.groups.GroupsDesk.create(ctx, session.messenger(), groupHost());
        rightSide.add(conversation, "contact");
        if (groups != null) {
            contactList.addSection(groups.section);
            rightSide.add(groups.view, "group");
        }
        JSplitPane split = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, contactList, rightSide);
        split.setContinuousLayout(true);
        split.setBorder(BorderFactory.createEmptyBorder());
        split.setResizeWeight(0);
        split.setFocusable(false);
        center.add(split, "contacts");
        center.add(dropLine.panel, "dropLine");
        add(center, BorderLayout.CENTER);
        dropLine.start();
        if (groups != null) {
            groups.start();
        }
        setTorStatus(session.messenger().state() == org.allium.core.api.MessengerState.RUNNING);
        notAccepting.setVisible(!session.messenger().isAcceptingContacts());
    }

    /** Loads contacts and requests (background), then shows them. */
    void load() {
        ctx.background().run(() -> new Object[] {session.messenger().contacts(), session.messenger().requests()},
                r -> {
                    @SuppressWarnings("unchecked")
                    List<Contact> cs = (List<Contact>) r[0];
                    @SuppressWarnings("unchecked")
                    List<ContactRequest> rs = (List<ContactRequest>) r[1];
                    contactList.setContacts(cs);
                    contactList.setRequests(rs);
                    loaded.accept(cs.size());
                },
                e -> conversation.showError(errorText(e)));
    }

    private org.allium.desktop.files.ConversationFiles.Host fileHost() {
        return new org.allium.desktop.files.ConversationFiles.Host() {
            @Override
            public ContactId shownContact() {
                Contact c = conversation.contact();
                return c == null ? null : c.id();
            }

            @Override
            public String shownName() {
                Contact c = conversation.contact();
                return c == null ? "" : contactList.displayName(c);
            }

            @Override
            public boolean decorate(MessageId id, javax.swing.JComponent card) {
                return conversation.decorate(id, card);
            }

            @Override
            public void addItem(Message m) {
                conversation.add(m);
            }

            @Override
            public void showError(String text) {
                conversation.showError(text);
            }

            @Override
            public java.awt.Window window() {
                return javax.swing.SwingUtilities.getWindowAncestor(MainScreen.this);
            }
        };
    }

    private org.allium.desktop.groups.GroupsDesk.Host groupHost() {
        return new org.allium.desktop.groups.GroupsDesk.Host() {
            @Override
            public void showGroup(boolean shown) {
                rightCards.show(rightSide, shown ? "group" : "contact");
                if (shown) {
                    contactList.contactList.clearSelection();
                }
            }

            @Override
            public List<Contact> contacts() {
                List<Contact> out = new java.util.ArrayList<>();
                for (int i = 0; i < contactList.contacts.size(); i++) {
                    if (contactList.contacts.get(i).state() == org.allium.core.api.ContactState.ACCEPTED) {
                        out.add(contactList.contacts.get(i));
                    }
                }
                return out;
            }

            @Override
            public String contactName(String serviceId) {
                return contactList.nameOf(serviceId);
            }

            @Override
            public java.awt.Window window() {
                return javax.swing.SwingUtilities.getWindowAncestor(MainScreen.this);
            }
        };
    }

    private void select(Contact c) {
        if (c != null && groups != null) {
            groups.clearSelection();
            rightCards.show(rightSide, "contact");
        }
        conversation.show(c);
        files.show(c == null ? null : c.id());
        if (c == null) {
            return;
        }
        ContactId id = c.id();
        ctx.background().run(() -> {
            List<Message> page = session.messenger().conversation(id, PAGE, null);
            if (c.unread() > 0) {
                session.messenger().markRead(id);
            }
            return page;
        }, page -> {
            Contact now = conversation.contact();
            if (now != null && now.id().equals(id)) {
                conversation.setMessages(page);
                Contact listed = contactList.find(id);
                if (listed != null && listed.unread() > 0) {
                    contactList.upsert(withUnread(listed, 0));
                }
            }
        }, e -> conversation.showError(errorText(e)));
    }

    private boolean send(Contact contact, String text) {
        conversation.showError("");
        ContactId to = contact.id();
        Instant now = ctx.clock().instant();
        ctx.background().run(() -> session.messenger().sendMessage(to, text),
                id -> conversation.add(new Message(id, to, Direction.OUTGOING, text, now, null, MessageStatus.QUEUED, true)),
                e -> {
                    conversation.showError(errorText(e));
                    if (conversation.composer.area.getText().isEmpty()) {
                        conversation.composer.area.setText(text);
                    }
                });
        return true;
    }

    private void retry(MessageId id) {
        ctx.background().run(() -> session.messenger().retry(id),
                () -> conversation.setStatus(id, MessageStatus.QUEUED),
                e -> conversation.showError(errorText(e)));
    }

    private void confirmThen(Contact contact, String key, Background.Work work) {
        confirmThen(contact, key, work, this::load);
    }

    private void confirmThen(Contact contact, String key, Background.Work work, Runnable done) {
        String who = contactList.displayName(contact);
        // The question names the contact: a label of escaped text, never a string Swing may read as HTML.
        if (Ui.confirmDanger(this, ctx.text(key + ".title"), Ui.wrapped(ctx.format(key + ".text", who), 360),
                ctx.text(key + ".yes"), ctx.text("common.cancel"))) {
            ctx.background().run(work, done, e -> conversation.showError(errorText(e)));
        }
    }

    /** A sentence for the user about a failure, never a stack trace. */
    String errorText(Exception e) {
        if (e instanceof MessengerException) {
            return ctx.format("error.core", e.getMessage());
        }
        return ctx.text("error.unexpected");
    }

    void setTorStatus(boolean ready) {
        torStatus.setText(ctx.text(ready ? "main.tor.ready" : "main.tor.connecting"));
    }

    /** Follows one core event (already on the event thread). */
    void onEvent(MessengerEvent event) {
        if (event instanceof MessengerEvent.Ready) {
            setTorStatus(true);
        } else if (event instanceof MessengerEvent.TorProblem p) {
            if (p.kind() != MessengerEvent.TorProblem.Kind.POW_UNAVAILABLE) {
                torStatus.setText(ctx.text("tor.problem." + p.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + ".title"));
            }
        } else if (event instanceof MessengerEvent.Stopped) {
            setTorStatus(false);
        } else if (event instanceof MessengerEvent.RequestReceived r) {
            contactList.upsertRequest(r.request());
        } else if (event instanceof MessengerEvent.RequestChanged r) {
            contactList.upsertRequest(r.request());
        } else if (event instanceof MessengerEvent.ContactAdded a) {
            contactList.removeRequest(a.contact().id());
            contactList.upsert(a.contact());
        } else if (event instanceof MessengerEvent.ContactChanged c) {
            Contact fresh = c.contact();
            if (isShown(fresh.id()) && fresh.unread() > 0) {
                fresh = withUnread(fresh, 0);
            }
            contactList.upsert(fresh);
            if (isShown(fresh.id())) {
                conversation.show(fresh);
            }
        } else if (event instanceof MessengerEvent.ContactRemoved r) {
            contactList.remove(r.contact());
            if (isShown(r.contact())) {
                conversation.show(null);
                files.show(null);
            }
        } else if (event instanceof MessengerEvent.PresenceChanged p) {
            contactList.setPresence(p.contact(), p.online());
            if (isShown(p.contact())) {
                conversation.show(contactList.find(p.contact()));
            }
        } else if (event instanceof MessengerEvent.MessageReceived m) {
            received(m.message());
        } else if (event instanceof MessengerEvent.AcceptingContactsChanged a) {
            notAccepting.setVisible(!a.accepting());
        } else if (event instanceof MessengerEvent.MessageStatusChanged s) {
            conversation.setStatus(s.message(), s.status());
        }
    }

    private void received(Message m) {
        ContactId from = m.contact();
        if (isShown(from)) {
            conversation.add(m);
            ctx.background().run(() -> session.messenger().markRead(from), () -> { }, e -> { });
        } else {
            Contact c = contactList.find(from);
            if (c != null) {
                contactList.upsert(withUnread(c, c.unread() + 1));
            }
        }
    }

    private boolean isShown(ContactId id) {
        Contact c = conversation.contact();
        return c != null && c.id().equals(id);
    }

    static Contact withUnread(Contact c, int unread) {
        return new Contact(c.id(), c.serviceId(), c.nickname(), c.state(), c.online(), unread, c.verified(),
                c.fingerprint());
    }
}
