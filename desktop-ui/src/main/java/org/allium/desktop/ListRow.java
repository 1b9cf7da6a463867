package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.Color;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.ListCellRenderer;

/**
 * A row of the contact and group lists: a name over a detail line, an unread badge at the
 * end. Subclasses fill the labels in {@code getListCellRendererComponent}; the labels are
 * {@link PlainText} (outside text is never markup). EDT only.
 */
public abstract class ListRow<T> extends JPanel implements ListCellRenderer<T> {
    protected final JLabel name = PlainText.label();
    protected final JLabel detail = Ui.small(" ");
    protected final JLabel badge = PlainText.label();

    protected ListRow() {
        super(new BorderLayout(Ui.gap(), 0));
        setBorder(BorderFactory.createEmptyBorder(Ui.gap() / 2, Ui.gap(), Ui.gap() / 2, Ui.gap()));
        JPanel text = new JPanel();
        text.setOpaque(false);
        text.setLayout(new BoxLayout(text, BoxLayout.Y_AXIS));
        text.add(name);
        text.add(detail);
        add(text, BorderLayout.CENTER);
        badge.setOpaque(true);
        badge.setHorizontalAlignment(JLabel.CENTER);
        badge.setBorder(BorderFactory.createEmptyBorder(1, 6, 1, 6));
        badge.putClientProperty("FlatLaf.style", "arc: 999");
        add(badge, BorderLayout.EAST);
    }

    /** The row's background and the name's colour for a selected or plain row. */
    protected final void selection(JList<?> list, boolean selected) {
        setBackground(selected ? list.getSelectionBackground() : list.getBackground());
        name.setForeground(selected ? list.getSelectionForeground() : list.getForeground());
    }

    /** The badge: hidden at 0, "99+" above 99. */
    protected final void unread(int n) {
        badge.setVisible(n > 0);
        badge.setText(n > 99 ? "99+" : Integer.toString(n));
        badge.setBackground(Theme.color("Allium.badge.background", Color.BLUE));
        badge.setForeground(Theme.color("Allium.badge.foreground", Color.WHITE));
    }
}
