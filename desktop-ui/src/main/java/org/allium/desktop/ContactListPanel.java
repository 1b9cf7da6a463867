package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.DefaultListModel;
import javax.swing.Icon;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.KeyStroke;
import javax.swing.ListCellRenderer;
import javax.swing.ListSelectionModel;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.ContactState;
import org.allium.core.api.Direction;
import org.allium.core.api.DisplayText;

/**
 * The left side of the main window: pending requests apart at the top (shown only when there
 * are some), then contacts with presence, verified mark and unread count. Event thread only.
 */
final class ContactListPanel extends JPanel {
    private final UiContext ctx;
    final DefaultListModel<Contact> contacts = new DefaultListModel<>();
    final DefaultListModel<ContactRequest> requests = new DefaultListModel<>();
    final JList<Contact> contactList = new JList<>(contacts);
    final JList<ContactRequest> requestList = new JList<>(requests);
    private final JPanel requestSection = new JPanel(new BorderLayout()) {
        @Override
        public void updateUI() {
            super.updateUI();
            setBackground(Theme.color("Allium.requests.background", Color.YELLOW));
        }
    };
    private final JLabel requestHeader = PlainText.label();
    /** Contacts and requests whose name looks like another contact's: id → that contact's name. */
    private final java.util.Map<ContactId, String> alike = new java.util.HashMap<>();
    private final JLabel emptyHint;
    /** Requests, other packages' sections (groups), then the contacts' header. */
    private final JPanel top = new JPanel();

    ContactListPanel(UiContext ctx, Consumer<Contact> selected, Consumer<ContactRequest> openRequest) {
        super(new BorderLayout());
        this.ctx = ctx;
        setName("contactList");
        setPreferredSize(new Dimension(270, 400));
        top.setLayout(new BoxLayout(top, BoxLayout.Y_AXIS));
        top.setOpaque(false);

        requestHeader.setBorder(BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap(), Ui.gap() / 2, Ui.gap()));
        requestList.setCellRenderer(new RequestRenderer());
        requestList.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        requestList.getAccessibleContext().setAccessibleName(ctx.text("contacts.requests.name"));
        requestList.setVisibleRowCount(3);
        requestList.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent e) {
                ContactRequest r = requestList.getSelectedValue();
                if (r != null && e.getClickCount() >= 1) {
                    openRequest.accept(r);
                }
            }
        });
        Ui.bindKey(requestList, WHEN_FOCUSED, KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "open-request", e -> {
            ContactRequest r = requestList.getSelectedValue();
            if (r != null) {
                openRequest.accept(r);
            }
        });
        requestSection.setOpaque(true);
        requestSection.add(requestHeader, BorderLayout.NORTH);
        // A flood of requests scrolls in its own few rows; it never pushes the contacts away.
        JScrollPane requestScroll = Ui.scroll(requestList);
        requestScroll.setBorder(BorderFactory.createEmptyBorder());
        requestScroll.setHorizontalScrollBarPolicy(JScrollPane.HORIZONTAL_SCROLLBAR_NEVER);
        requestScroll.setOpaque(false);
        requestScroll.getViewport().setOpaque(false);
        requestSection.add(requestScroll, BorderLayout.CENTER);
        requestList.setOpaque(false);
        top.add(requestSection);

        JLabel contactsHeader = Ui.labelFor(ctx.text("contacts.title"), contactList);
        contactsHeader.setBorder(BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap(), Ui.gap() / 2, Ui.gap()));
        contactsHeader.setAlignmentX(LEFT_ALIGNMENT);
        JPanel headerRow = new JPanel(new BorderLayout());
        headerRow.setOpaque(false);
        headerRow.add(contactsHeader, BorderLayout.WEST);
        top.add(headerRow);
        add(top, BorderLayout.NORTH);

        contactList.setCellRenderer(new ContactRenderer());
        contactList.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        contactList.getAccessibleContext().setAccessibleName(Ui.plain(ctx.text("contacts.title")));
        contactList.addListSelectionListener(e -> {
            if (!e.getValueIsAdjusting()) {
                selected.accept(contactList.getSelectedValue());
            }
        });
        JScrollPane scroll = Ui.scroll(contactList);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        emptyHint = Ui.wrapped(ctx.text("contacts.empty"), 220);
        emptyHint.setBorder(BorderFactory.createEmptyBorder(Ui.gap(), Ui.gap(), Ui.gap(), Ui.gap()));
        JPanel center = new JPanel(new BorderLayout());
        center.setOpaque(false);
        center.add(emptyHint, BorderLayout.NORTH);
        center.add(scroll, BorderLayout.CENTER);
        add(center, BorderLayout.CENTER);

        refreshSections();
    }

    /** Adds another package's section (groups) above the contacts. */
    void addSection(javax.swing.JComponent section) {
        top.add(section, top.getComponentCount() - 1);
    }

    /** The shown name of the accepted or blocked contact {@code serviceId}, or null when it is not one. */
    String nameOf(String serviceId) {
        for (int i = 0; i < contacts.size(); i++) {
            if (contacts.get(i).serviceId().equals(serviceId)) {
                return displayName(contacts.get(i));
            }
        }
        return null;
    }

    void setContacts(List<Contact> list) {
        ContactId keep = selectedId();
        contacts.clear();
        List<Contact> sorted = new ArrayList<>(list);
        sorted.removeIf(c -> c.state() != ContactState.ACCEPTED && c.state() != ContactState.BLOCKED);
        sorted.sort(Comparator.comparing((Contact c) -> c.state() == ContactState.BLOCKED)
                .thenComparing(c -> c.nickname().toLowerCase(ctx.messages().locale())));
        sorted.forEach(contacts::addElement);
        select(keep);
        refreshSections();
    }

    void setRequests(List<ContactRequest> list) {
        requests.clear();
        list.forEach(requests::addElement);
        refreshSections();
    }

    /** Adds or replaces a contact (by id), keeping the order stable. */
    void upsert(Contact c) {
        for (int i = 0; i < contacts.size(); i++) {
            if (contacts.get(i).id().equals(c.id())) {
                contacts.set(i, c);
                findLookalikes();
                return;
            }
        }
        List<Contact> all = new ArrayList<>();
        for (int i = 0; i < contacts.size(); i++) {
            all.add(contacts.get(i));
        }
        all.add(c);
        setContacts(all);
    }

    void upsertRequest(ContactRequest r) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).id().equals(r.id())) {
                requests.set(i, r);
                findLookalikes();
                return;
            }
        }
        requests.addElement(r);
        refreshSections();
    }

    void remove(ContactId id) {
        for (int i = contacts.size() - 1; i >= 0; i--) {
            if (contacts.get(i).id().equals(id)) {
                contacts.remove(i);
            }
        }
        removeRequest(id);
    }

    void removeRequest(ContactId id) {
        for (int i = requests.size() - 1; i >= 0; i--) {
            if (requests.get(i).id().equals(id)) {
                requests.remove(i);
            }
        }
        refreshSections();
    }

    Contact find(ContactId id) {
        for (int i = 0; i < contacts.size(); i++) {
            if (contacts.get(i).id().equals(id)) {
                return contacts.get(i);
            }
        }
        return null;
    }

    void setPresence(ContactId id, boolean online) {
        Contact c = find(id);
        if (c != null) {
            upsert(new Contact(c.id(), c.serviceId(), c.nickname(), c.state(), online, c.unread(),
                    c.verified(), c.fingerprint()));
        }
    }

    ContactId selectedId() {
        Contact c = contactList.getSelectedValue();
        return c == null ? null : c.id();
    }

    void select(ContactId id) {
        if (id == null) {
            return;
        }
        for (int i = 0; i < contacts.size(); i++) {
            if (contacts.get(i).id().equals(id)) {
                contactList.setSelectedIndex(i);
                return;
            }
        }
    }

    private void refreshSections() {
        long incoming = 0;
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).direction() == Direction.INCOMING) {
                incoming++;
            }
        }
        requestHeader.setText(ctx.format("contacts.requests.title", requests.size(), incoming));
        findLookalikes();
        requestSection.setVisible(!requests.isEmpty());
        emptyHint.setVisible(contacts.isEmpty());
        revalidate();
        repaint();
    }

    /** Unread incoming messages over all contacts. */
    int totalUnread() {
        int n = 0;
        for (int i = 0; i < contacts.size(); i++) {
            n += contacts.get(i).unread();
        }
        return n;
    }

    /** Whether {@code serviceId} is a listed contact (accepted or blocked) or request. */
    boolean knows(String serviceId) {
        for (int i = 0; i < contacts.size(); i++) {
            if (contacts.get(i).serviceId().equals(serviceId)) {
                return true;
            }
        }
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).serviceId().equals(serviceId)) {
                return true;
            }
        }
        return false;
    }

    /** The name shown for a contact: sanitised, or the placeholder when it has none. */
    String displayName(Contact c) {
        return PlainText.name(c.nickname(), ctx.text("contacts.noName"));
    }

    /**
     * The shown name of the contact that {@code id} (a contact or request) looks like, or null:
     * such a name is shown with a warning, as it may be someone pretending to be that contact.
     */
    String lookalike(ContactId id) {
        return alike.get(id);
    }

    /** Recomputes {@link #lookalike} for every listed contact and incoming request. */
    private void findLookalikes() {
        alike.clear();
        java.util.Map<String, List<Contact>> bySkeleton = new java.util.HashMap<>();
        for (int i = 0; i < contacts.size(); i++) {
            Contact c = contacts.get(i);
            String k = DisplayText.skeleton(c.nickname());
            if (!k.isEmpty()) {
                bySkeleton.computeIfAbsent(k, x -> new ArrayList<>()).add(c);
            }
        }
        for (List<Contact> same : bySkeleton.values()) {
            for (Contact c : same) {
                for (Contact other : same) {
                    if (!other.id().equals(c.id())) {
                        alike.putIfAbsent(c.id(), displayName(other));
                    }
                }
            }
        }
        for (int i = 0; i < requests.size(); i++) {
            ContactRequest r = requests.get(i);
            if (r.direction() != Direction.INCOMING) {
                continue; // an outgoing request carries the name we offered, not theirs
            }
            List<Contact> same = bySkeleton.get(DisplayText.skeleton(r.nickname()));
            if (same != null) {
                alike.put(r.id(), displayName(same.get(0)));
            }
        }
    }

    /** A round presence dot in the theme's online/offline colour. */
    static final class Dot implements Icon {
        private final boolean online;

        Dot(boolean online) {
            this.online = online;
        }

        @Override
        public void paintIcon(Component c, Graphics g, int x, int y) {
            Graphics2D g2 = (Graphics2D) g.create();
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setColor(Theme.color(online ? "Allium.presence.online" : "Allium.presence.offline", Color.GRAY));
            g2.fillOval(x + 1, y + 1, 9, 9);
            g2.dispose();
        }

        @Override
        public int getIconWidth() {
            return 11;
        }

        @Override
        public int getIconHeight() {
            return 11;
        }
    }

    private final class ContactRenderer extends ListRow<Contact> {
        @Override
        public Component getListCellRendererComponent(JList<? extends Contact> list, Contact c, int index,
                                                      boolean isSelected, boolean cellHasFocus) {
            selection(list, isSelected);
            name.setText(displayName(c));
            name.setIcon(new Dot(c.online()));
            StringBuilder d = new StringBuilder();
            if (c.state() == ContactState.BLOCKED) {
                d.append(ctx.text("contacts.blocked"));
            } else {
                d.append(ctx.text(c.online() ? "presence.online" : "presence.offline"));
            }
            if (c.verified()) {
                d.append(" · ").append(ctx.text("contacts.verified"));
            }
            String like = lookalike(c.id());
            if (like != null) {
                d.setLength(0);
                d.append(ctx.format("contacts.lookalike", like));
            }
            detail.setText(d.toString());
            detail.setForeground(isSelected ? list.getSelectionForeground()
                    : Theme.color(like != null ? "Allium.warning.foreground" : "Allium.meta.foreground", Color.GRAY));
            unread(c.unread());
            String unread = c.unread() > 0 ? ctx.format("contacts.unread", c.unread()) : "";
            getAccessibleContext().setAccessibleName(name.getText() + ", " + d + (unread.isEmpty() ? "" : ", " + unread));
            return this;
        }
    }

    private final class RequestRenderer extends JPanel implements ListCellRenderer<ContactRequest> {
        private final JLabel name = PlainText.label();
        private final JLabel detail = Ui.small(" ");

        RequestRenderer() {
            super(new BorderLayout());
            setBorder(BorderFactory.createEmptyBorder(Ui.gap() / 2, Ui.gap(), Ui.gap() / 2, Ui.gap()));
            add(name, BorderLayout.NORTH);
            add(detail, BorderLayout.CENTER);
            add(Box.createHorizontalStrut(1), BorderLayout.EAST);
        }

        @Override
        public Component getListCellRendererComponent(JList<? extends ContactRequest> list, ContactRequest r,
                                                      int index, boolean isSelected, boolean cellHasFocus) {
            setOpaque(isSelected);
            setBackground(list.getSelectionBackground());
            name.setForeground(isSelected ? list.getSelectionForeground() : list.getForeground());
            detail.setForeground(isSelected ? list.getSelectionForeground()
                    : Theme.color("Allium.meta.foreground", Color.GRAY));
            String who = requestName(r);
            name.setText(who);
            String like = lookalike(r.id());
            if (like != null) {
                detail.setText(ctx.format("contacts.lookalike", like));
                detail.setForeground(isSelected ? list.getSelectionForeground()
                        : Theme.color("Allium.warning.foreground", Color.ORANGE));
            } else if (r.direction() == Direction.INCOMING) {
                detail.setText(ctx.text("requests.incoming"));
            } else {
                detail.setText(ctx.text(r.delivered() ? "requests.outgoing.delivered" : "requests.outgoing.pending"));
            }
            getAccessibleContext().setAccessibleName(who + ", " + detail.getText());
            return this;
        }
    }

    /**
     * The name a request is listed under: the one they offered, or ours for them (incoming); for
     * ours, the name we gave them (Rename…), else the start of their address — never the name we
     * offered them, which is our own.
     */
    String requestName(ContactRequest r) {
        if (r.direction() == Direction.OUTGOING) {
            return r.localName() == null || r.localName().isBlank() ? shortLink(r.link())
                    : PlainText.name(r.localName(), shortLink(r.link()));
        }
        return PlainText.name(r.nickname(), ctx.text("contacts.noName"));
    }

    /** "allium:abcdefgh…": enough to recognise an address in a list. */
    static String shortLink(String link) {
        return link.length() > 19 ? link.substring(0, 19) + "…" : link;
    }
}
