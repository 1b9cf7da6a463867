package org.allium.desktop;

import java.awt.Color;
import java.awt.Component;
import java.awt.Font;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.event.ActionEvent;
import java.awt.event.ActionListener;
import java.awt.event.KeyEvent;
import java.util.function.Consumer;
import javax.swing.AbstractAction;
import javax.swing.AbstractButton;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.KeyStroke;
import javax.swing.UIManager;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;
import javax.swing.text.JTextComponent;

/**
 * Small helpers every screen uses: buttons and labels with mnemonics from the bundles
 * ({@code &} marks the mnemonic letter), labelled form rows, and theme-driven styles.
 * Event thread only.
 */
public final class Ui {
    private Ui() {
    }

    /** Sets text and mnemonic from a bundle string such as {@code "&Unlock"}. */
    public static <B extends AbstractButton> B mnemonic(B button, String text) {
        int amp = text.indexOf('&');
        if (amp >= 0 && amp + 1 < text.length()) {
            button.setText(text.substring(0, amp) + text.substring(amp + 1));
            button.setMnemonic(KeyEvent.getExtendedKeyCodeForChar(text.charAt(amp + 1)));
            button.setDisplayedMnemonicIndex(amp);
        } else {
            button.setText(text);
        }
        return button;
    }

    public static JButton button(String text, ActionListener action) {
        JButton b = mnemonic(new JButton(), text);
        b.addActionListener(action);
        return b;
    }

    /** A label for {@code field}: screen readers name the field after it, Alt+letter focuses it. */
    public static JLabel labelFor(String text, JComponent field) {
        JLabel l = PlainText.label();
        int amp = text.indexOf('&');
        if (amp >= 0 && amp + 1 < text.length()) {
            l.setText(text.substring(0, amp) + text.substring(amp + 1));
            l.setDisplayedMnemonic(KeyEvent.getExtendedKeyCodeForChar(text.charAt(amp + 1)));
            l.setDisplayedMnemonicIndex(amp);
        } else {
            l.setText(text);
        }
        l.setLabelFor(field);
        return l;
    }

    /** Removes the mnemonic marker. */
    public static String plain(String text) {
        return text.replace("&", "");
    }

    /**
     * Asks before something that cannot be undone (wipe, delete, block): a warning with the
     * destructive button in the theme's danger style ({@code [style]Button.danger}, light and
     * dark) and Cancel as the default. Modal; event thread. True when {@code yes} was chosen.
     */
    public static boolean confirmDanger(java.awt.Component parent, String title, Object message, String yes,
            String cancel) {
        JButton yesButton = new JButton(plain(yes));
        yesButton.putClientProperty("FlatLaf.styleClass", "danger");
        yesButton.setName("danger");
        JButton cancelButton = new JButton(plain(cancel));
        javax.swing.JOptionPane pane = new javax.swing.JOptionPane(message, javax.swing.JOptionPane.WARNING_MESSAGE,
                javax.swing.JOptionPane.DEFAULT_OPTION, null, new Object[] {yesButton, cancelButton}, cancelButton);
        yesButton.addActionListener(e -> pane.setValue(yesButton));
        cancelButton.addActionListener(e -> pane.setValue(cancelButton));
        javax.swing.JDialog d = pane.createDialog(parent, plain(title));
        d.setVisible(true);
        d.dispose();
        return pane.getValue() == yesButton;
    }

    public static JLabel title(String text) {
        JLabel l = PlainText.label();
        l.setText(text);
        l.putClientProperty("FlatLaf.styleClass", "h1");
        Font f = UIManager.getFont("Allium.title.font");
        if (f != null) {
            l.setFont(f);
        }
        return l;
    }

    public static JLabel subtitle(String text) {
        JLabel l = PlainText.label();
        l.setText(text);
        Font f = UIManager.getFont("Allium.subtitle.font");
        if (f != null) {
            l.setFont(f);
        }
        return l;
    }

    public static JLabel small(String text) {
        JLabel l = PlainText.label();
        l.setText(text);
        Font f = UIManager.getFont("Allium.small.font");
        if (f != null) {
            l.setFont(f);
        }
        l.setForeground(Theme.color("Allium.meta.foreground", Color.GRAY));
        return l;
    }

    /** A label whose colour follows the theme key even after a theme change. */
    public static JLabel colored(String colorKey) {
        JLabel l = new JLabel() {
            @Override
            public void updateUI() {
                super.updateUI();
                setForeground(Theme.color(colorKey, Color.RED));
            }
        };
        return PlainText.guard(l);
    }

    /**
     * A label of text that wraps at {@code widthPx}: the app's only HTML, every character of
     * {@code text} escaped (see {@link PlainText}).
     */
    public static JLabel wrapped(String text, int widthPx) {
        JLabel l = ownHtml(new JLabel());
        l.setText(wrap(text, widthPx));
        return l;
    }

    /** Lets {@code l} render the HTML of {@link #wrap} (and nothing else should be set on it). */
    public static JLabel ownHtml(JLabel l) {
        l.putClientProperty(PlainText.HTML_DISABLE, null);
        l.putClientProperty(PlainText.OWN_HTML, Boolean.TRUE);
        return l;
    }

    /** Multi-line text that wraps, as HTML with every character of {@code text} escaped. */
    public static String wrap(String text, int widthPx) {
        return "<html><div style='width:" + widthPx + "px'>" + escape(text).replace("\n", "<br>") + "</div></html>";
    }

    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * A scroll pane whose scroll bars stay out of the Tab order: keyboard users scroll with
     * the content itself (text, lists, the conversation's own key bindings).
     */
    public static javax.swing.JScrollPane scroll(java.awt.Component view) {
        javax.swing.JScrollPane s = new javax.swing.JScrollPane(view);
        s.getVerticalScrollBar().setFocusable(false);
        s.getHorizontalScrollBar().setFocusable(false);
        return s;
    }

    public static int gap() {
        return Theme.integer("Allium.gap", 8);
    }

    public static int padding() {
        return Theme.integer("Allium.screenPadding", 24);
    }

    public static void pad(JComponent c) {
        int p = padding();
        c.setBorder(BorderFactory.createEmptyBorder(p, p, p, p));
    }

    public static void onChange(JTextComponent field, Runnable r) {
        field.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent e) {
                r.run();
            }

            @Override
            public void removeUpdate(DocumentEvent e) {
                r.run();
            }

            @Override
            public void changedUpdate(DocumentEvent e) {
                r.run();
            }
        });
    }

    public static void bindKey(JComponent c, int condition, KeyStroke key, String name, Consumer<ActionEvent> action) {
        c.getInputMap(condition).put(key, name);
        c.getActionMap().put(name, new AbstractAction(name) {
            @Override
            public void actionPerformed(ActionEvent e) {
                action.accept(e);
            }
        });
    }

    /** A simple two-column form: labels left, fields right, full-width rows when asked. */
    public static final class Form {
        public final JPanel panel = new JPanel(new GridBagLayout());
        private int row;

        public Form() {
            panel.setOpaque(false);
        }

        public Form row(String label, JComponent field) {
            return row(labelFor(label, field), field);
        }

        public Form row(JComponent left, JComponent field) {
            GridBagConstraints c = new GridBagConstraints();
            c.gridy = row++;
            c.gridx = 0;
            c.anchor = GridBagConstraints.LINE_START;
            c.insets = new Insets(gap() / 2, 0, gap() / 2, gap());
            panel.add(left, c);
            c.gridx = 1;
            c.weightx = 1;
            c.fill = GridBagConstraints.HORIZONTAL;
            c.insets = new Insets(gap() / 2, 0, gap() / 2, 0);
            panel.add(field, c);
            return this;
        }

        public Form full(Component comp) {
            GridBagConstraints c = new GridBagConstraints();
            c.gridy = row++;
            c.gridx = 0;
            c.gridwidth = 2;
            c.weightx = 1;
            c.fill = GridBagConstraints.HORIZONTAL;
            c.anchor = GridBagConstraints.LINE_START;
            c.insets = new Insets(gap() / 2, 0, gap() / 2, 0);
            panel.add(comp, c);
            return this;
        }

        /** A full row that takes the remaining height. */
        public Form fill(Component comp) {
            GridBagConstraints c = new GridBagConstraints();
            c.gridy = row++;
            c.gridx = 0;
            c.gridwidth = 2;
            c.weightx = 1;
            c.weighty = 1;
            c.fill = GridBagConstraints.BOTH;
            c.insets = new Insets(gap() / 2, 0, gap() / 2, 0);
            panel.add(comp, c);
            return this;
        }
    }
}
