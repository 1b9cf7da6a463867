package org.allium.desktop.dropline;

import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Color;
import java.awt.FlowLayout;
import java.awt.Font;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.JProgressBar;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;
import org.allium.core.api.InvalidAddressException;
import org.allium.core.api.MessengerException;
import org.allium.core.dropline.DropSource;
import org.allium.desktop.PlainText;
import org.allium.desktop.Theme;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;

/**
 * A source writing to a drop line, without a profile (PROTOCOL.md §13): the drop line's
 * address; then either a first message — after which the new codename is shown once, with a
 * "write this down" step the source must confirm — or the codename of an earlier message, to
 * read replies and the case's status and write again. Nothing is kept on disk; the codename
 * lives in this panel's memory until the window closes. Every call to the {@link SourceClient}
 * runs on the background executor. Text from the drop line is shown as plain text only.
 * Event thread only.
 */
final class SourcePanel extends JPanel {
    /** The UTF-8 byte limit of a submission (PROTOCOL.md §13 limits). */
    static final int LIMIT_BYTES = 32768;
    private static final int TEXT_WIDTH = 520;
    static final String START = "start";
    static final String CODENAME_IN = "codenameIn";
    static final String WRITE = "write";
    static final String BUSY = "busy";
    static final String CODENAME_OUT = "codenameOut";
    static final String CASE = "case";
    static final String TOR = "tor";

    private final UiContext ctx;
    private final SourceClient client;
    private final Runnable close;
    private final SecureRandom random = new SecureRandom();
    private final CardLayout cards = new CardLayout();
    private final JPanel deck = new JPanel(cards);
    private String shown = START;

    // start
    final JTextField address = new JTextField(40);
    final JLabel addressStatus = Ui.colored("Allium.error.foreground");
    final JButton writeNew;
    final JButton haveCodename;
    final JButton torSettings;
    final JLabel startNote = Ui.colored("Allium.ok.foreground");
    // tor (bridges for this window's tor)
    final org.allium.desktop.BridgeSettings bridges;
    final JButton useBridges;
    // codename in
    final JPasswordField codenameIn = new JPasswordField(40);
    final JCheckBox showCodename;
    final JLabel codenameStatus = Ui.colored("Allium.error.foreground");
    final JButton openCase;
    // write
    final JTextArea text = new JTextArea(12, 50);
    final JLabel counter = Ui.colored("Allium.meta.foreground");
    final JButton send;
    final JLabel writeError = Ui.colored("Allium.error.foreground");
    // busy
    final JLabel step = PlainText.label();
    final JButton cancel;
    // codename out
    /** The new codename, large and wrapped by word (never cut off: every word must be written down). */
    final JTextArea codenameShown = new JTextArea(2, 28);
    final JCheckBox writtenDown;
    final JButton continueButton;
    // case
    final JLabel status = PlainText.label();
    final JTextArea acknowledgement = plainArea();
    final JPanel replies = new JPanel();
    final JLabel noReplies;
    final JTextArea again = new JTextArea(5, 50);
    final JLabel againCounter = Ui.colored("Allium.meta.foreground");
    final JButton sendAgain;
    final JButton refresh;
    final JButton done;
    final JLabel caseError = Ui.colored("Allium.error.foreground");
    final JLabel caseNote = Ui.colored("Allium.ok.foreground");

    /** The drop line's service id, once the address was accepted. */
    private String serviceId;
    /** The codename (canonical), fresh or typed; null before. */
    private String codename;
    /** Whether {@link #codename} was made here and not yet shown (no submission stored yet). */
    private boolean fresh;
    /** The submission being sent and its id: a retry of the same text reuses the id. */
    private String pendingText;
    private byte[] pendingId;
    private DropSource.Answer last;

    SourcePanel(UiContext ctx, SourceClient client, Runnable close) {
        super(new BorderLayout());
        this.ctx = ctx;
        this.client = client;
        this.close = close;
        setName("dropSource");
        Ui.pad(this);
        writeNew = Ui.button(ctx.text("drop.source.writeNew"), e -> writeNew());
        haveCodename = Ui.button(ctx.text("drop.source.haveCodename"), e -> haveCodename());
        torSettings = Ui.button(ctx.text("drop.source.tor"), e -> openTorSettings());
        bridges = new org.allium.desktop.BridgeSettings(ctx);
        useBridges = Ui.button(ctx.text("drop.source.tor.use"), e -> useBridges());
        showCodename = Ui.mnemonic(new JCheckBox(), ctx.text("drop.source.codename.show"));
        openCase = Ui.button(ctx.text("drop.source.openCase"), e -> openCase());
        send = Ui.button(ctx.text("drop.source.send"), e -> send(text, writeError));
        cancel = Ui.button(ctx.text("drop.source.cancel"), e -> close.run());
        writtenDown = Ui.mnemonic(new JCheckBox(), ctx.text("drop.source.codename.writtenDown"));
        continueButton = Ui.button(ctx.text("drop.source.codename.continue"), e -> showCase(last));
        noReplies = Ui.small(ctx.text("drop.source.noReplies"));
        sendAgain = Ui.button(ctx.text("drop.source.sendAgain"), e -> send(again, caseError));
        refresh = Ui.button(ctx.text("drop.source.refresh"), e -> checkIn(caseError));
        done = Ui.button(ctx.text("drop.source.done"), e -> close.run());

        deck.setOpaque(false);
        deck.add(north(startCard()), START);
        deck.add(north(codenameInCard()), CODENAME_IN);
        deck.add(writeCard(), WRITE);
        deck.add(north(busyCard()), BUSY);
        deck.add(north(codenameOutCard()), CODENAME_OUT);
        deck.add(caseCard(), CASE);
        deck.add(north(torCard()), TOR);
        add(deck, BorderLayout.CENTER);
        show(START);
    }

    // ---- cards ----

    private JPanel startCard() {
        JPanel col = column();
        col.add(Ui.title(ctx.text("drop.source.title")));
        col.add(Box.createVerticalStrut(Ui.gap()));
        col.add(Ui.wrapped(ctx.text("drop.source.intro"), TEXT_WIDTH));
        col.add(Box.createVerticalStrut(Ui.gap() * 2));
        Ui.Form f = new Ui.Form();
        f.row(ctx.text("drop.source.address"), address);
        f.full(addressStatus);
        f.full(Ui.small(ctx.text("drop.source.address.hint")));
        col.add(f.panel);
        col.add(Box.createVerticalStrut(Ui.gap()));
        col.add(buttons(torSettings, haveCodename, writeNew));
        startNote.setText(" ");
        col.add(right(startNote));
        Ui.onChange(address, () -> addressStatus.setText(" "));
        address.addActionListener(e -> writeNew());
        addressStatus.setText(" ");
        return col;
    }

    /** Bridges for this window's tor, where Tor is blocked; kept for this window only. */
    private JPanel torCard() {
        JPanel col = column();
        col.add(Ui.title(ctx.text("drop.source.tor.title")));
        col.add(Box.createVerticalStrut(Ui.gap()));
        col.add(Ui.wrapped(ctx.text("drop.source.tor.intro"), TEXT_WIDTH));
        col.add(Box.createVerticalStrut(Ui.gap()));
        col.add(bridges.panel());
        col.add(Box.createVerticalStrut(Ui.gap()));
        col.add(buttons(back(), useBridges));
        return col;
    }

    void openTorSettings() {
        bridges.load(client.torSettings());
        show(TOR);
    }

    void useBridges() {
        java.util.function.UnaryOperator<org.allium.core.api.TorSettings> chosen = bridges.chosen();
        useBridges.setEnabled(false);
        ctx.background().run(() -> client.setTorSettings(chosen.apply(client.torSettings())), () -> {
            useBridges.setEnabled(true);
            show(START);
            startNote.setText(ctx.text("drop.source.tor.saved"));
        }, e -> {
            useBridges.setEnabled(true);
            show(START);
            addressStatus.setText(ctx.text("error.unexpected"));
        });
    }

    private JPanel codenameInCard() {
        JPanel col = column();
        col.add(Ui.title(ctx.text("drop.source.codenameIn.title")));
        col.add(Box.createVerticalStrut(Ui.gap()));
        col.add(Ui.wrapped(ctx.format("drop.source.codenameIn.intro", Codenames.words()), TEXT_WIDTH));
        col.add(Box.createVerticalStrut(Ui.gap() * 2));
        Ui.Form f = new Ui.Form();
        f.row(ctx.text("drop.source.codename"), codenameIn);
        f.full(showCodename);
        f.full(codenameStatus);
        col.add(f.panel);
        char echo = codenameIn.getEchoChar();
        showCodename.addActionListener(e -> codenameIn.setEchoChar(showCodename.isSelected() ? (char) 0 : echo));
        codenameIn.addActionListener(e -> openCase());
        Ui.onChange(codenameIn, () -> codenameStatus.setText(" "));
        codenameStatus.setText(" ");
        col.add(buttons(back(), openCase));
        return col;
    }

    private JPanel writeCard() {
        JPanel p = new JPanel(new BorderLayout(0, Ui.gap()));
        p.setOpaque(false);
        JPanel top = column();
        top.add(Ui.title(ctx.text("drop.source.write.title")));
        top.add(Box.createVerticalStrut(Ui.gap()));
        top.add(Ui.wrapped(ctx.text("drop.source.write.intro"), TEXT_WIDTH));
        p.add(top, BorderLayout.NORTH);
        prepareArea(text, "drop.source.write.name", counter);
        p.add(Ui.scroll(text), BorderLayout.CENTER);
        JPanel bottom = column();
        bottom.add(right(counter));
        bottom.add(writeError);
        writeError.setText(" ");
        bottom.add(buttons(back(), send));
        p.add(bottom, BorderLayout.SOUTH);
        return p;
    }

    private JPanel busyCard() {
        JPanel col = column();
        col.add(Ui.title(ctx.text("drop.source.busy.title")));
        col.add(Box.createVerticalStrut(Ui.gap() * 2));
        JProgressBar bar = new JProgressBar();
        bar.setIndeterminate(true);
        bar.getAccessibleContext().setAccessibleName(ctx.text("busy.name"));
        bar.setAlignmentX(LEFT_ALIGNMENT);
        col.add(bar);
        col.add(Box.createVerticalStrut(Ui.gap()));
        col.add(step);
        col.add(Box.createVerticalStrut(Ui.gap()));
        col.add(Ui.wrapped(ctx.text("drop.source.busy.hint"), TEXT_WIDTH));
        col.add(Box.createVerticalStrut(Ui.gap() * 2));
        col.add(buttons(cancel));
        return col;
    }

    private JPanel codenameOutCard() {
        JPanel col = column();
        col.add(Ui.title(ctx.text("drop.source.codenameOut.title")));
        col.add(Box.createVerticalStrut(Ui.gap()));
        col.add(Ui.wrapped(ctx.text("drop.source.codenameOut.intro"), TEXT_WIDTH));
        col.add(Box.createVerticalStrut(Ui.gap() * 2));
        Font mono = new Font(Font.MONOSPACED, Font.BOLD, Math.round(UIManager.getFont("Label.font").getSize() * 1.5f));
        codenameShown.setFont(mono);
        codenameShown.setEditable(false);
        codenameShown.setLineWrap(true);
        codenameShown.setWrapStyleWord(true);
        codenameShown.setFocusable(true); // a screen reader reads it
        codenameShown.setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createLineBorder(Theme.color("Component.borderColor", Color.GRAY)),
                BorderFactory.createEmptyBorder(Ui.gap() * 2, Ui.gap() * 2, Ui.gap() * 2, Ui.gap() * 2)));
        col.add(codenameShown);
        col.add(Box.createVerticalStrut(Ui.gap() * 2));
        col.add(Ui.wrapped(ctx.text("drop.source.codenameOut.warning"), TEXT_WIDTH));
        col.add(Box.createVerticalStrut(Ui.gap()));
        col.add(writtenDown);
        writtenDown.addActionListener(e -> continueButton.setEnabled(writtenDown.isSelected()));
        col.add(Box.createVerticalStrut(Ui.gap()));
        col.add(buttons(continueButton));
        return col;
    }

    private JPanel caseCard() {
        JPanel p = new JPanel(new BorderLayout(0, Ui.gap()));
        p.setOpaque(false);
        JPanel top = column();
        top.add(Ui.title(ctx.text("drop.source.case.title")));
        top.add(Box.createVerticalStrut(Ui.gap()));
        status.setFont(UIManager.getFont("Label.font").deriveFont(Font.BOLD));
        top.add(status);
        top.add(acknowledgement);
        top.add(caseNote);
        caseNote.setText(" ");
        p.add(top, BorderLayout.NORTH);

        replies.setLayout(new BoxLayout(replies, BoxLayout.Y_AXIS));
        replies.setOpaque(false);
        JPanel list = new JPanel(new BorderLayout());
        list.setOpaque(false);
        list.add(replies, BorderLayout.NORTH);
        JPanel center = new JPanel(new BorderLayout(0, Ui.gap()));
        center.setOpaque(false);
        center.add(Ui.subtitle(ctx.text("drop.source.replies")), BorderLayout.NORTH);
        center.add(Ui.scroll(list), BorderLayout.CENTER);

        JPanel write = new JPanel(new BorderLayout(0, Ui.gap() / 2));
        write.setOpaque(false);
        write.add(Ui.subtitle(ctx.text("drop.source.again")), BorderLayout.NORTH);
        prepareArea(again, "drop.source.again.name", againCounter);
        write.add(Ui.scroll(again), BorderLayout.CENTER);
        JPanel bottom = column();
        bottom.add(right(againCounter));
        bottom.add(caseError);
        caseError.setText(" ");
        bottom.add(buttons(done, refresh, sendAgain));
        write.add(bottom, BorderLayout.SOUTH);
        center.add(write, BorderLayout.SOUTH);
        p.add(center, BorderLayout.CENTER);
        return p;
    }

    private JButton back() {
        return Ui.button(ctx.text("drop.source.back"), e -> show(START));
    }

    private void prepareArea(JTextArea area, String nameKey, JLabel count) {
        area.setLineWrap(true);
        area.setWrapStyleWord(true);
        area.getAccessibleContext().setAccessibleName(ctx.text(nameKey));
        area.setFocusTraversalKeys(java.awt.KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        area.setFocusTraversalKeys(java.awt.KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
        Ui.onChange(area, () -> updateCount(area, count));
        updateCount(area, count);
    }

    private void updateCount(JTextArea area, JLabel count) {
        int n = area.getText().getBytes(StandardCharsets.UTF_8).length;
        count.setText(ctx.format("drop.source.counter", n, LIMIT_BYTES));
        count.setForeground(Theme.color(n > LIMIT_BYTES ? "Allium.error.foreground" : "Allium.meta.foreground",
                Color.GRAY));
        JButton b = area == text ? send : sendAgain;
        if (b != null) {
            b.setEnabled(n <= LIMIT_BYTES && !area.getText().isBlank());
        }
    }

    private static JTextArea plainArea() {
        JTextArea a = new JTextArea();
        a.setEditable(false);
        a.setLineWrap(true);
        a.setWrapStyleWord(true);
        a.setOpaque(false);
        a.setBorder(BorderFactory.createEmptyBorder());
        a.setFocusable(false);
        a.setAlignmentX(LEFT_ALIGNMENT);
        return a;
    }

    private static JPanel column() {
        JPanel col = new JPanel() {
            @Override
            public java.awt.Component add(java.awt.Component c) {
                if (c instanceof JComponent j) {
                    j.setAlignmentX(LEFT_ALIGNMENT);
                }
                return super.add(c);
            }
        };
        col.setLayout(new BoxLayout(col, BoxLayout.Y_AXIS));
        col.setOpaque(false);
        return col;
    }

    /** A column of fixed height at the top of its card. */
    private static JPanel north(JComponent c) {
        JPanel p = new JPanel(new BorderLayout());
        p.setOpaque(false);
        p.add(c, BorderLayout.NORTH);
        return p;
    }

    private static JPanel buttons(JButton... bs) {
        JPanel p = new JPanel(new FlowLayout(FlowLayout.TRAILING, Ui.gap(), 0));
        p.setOpaque(false);
        for (JButton b : bs) {
            p.add(b);
        }
        return p;
    }

    private static JPanel right(JComponent c) {
        JPanel p = new JPanel(new FlowLayout(FlowLayout.TRAILING, 0, 0));
        p.setOpaque(false);
        p.add(c);
        return p;
    }

    /** The card shown: start, codenameIn, write, busy, codenameOut or case. */
    String shown() {
        return shown;
    }

    private void show(String card) {
        cards.show(deck, card);
        shown = card;
        JButton def = switch (card) {
            case START -> writeNew;
            case CODENAME_IN -> openCase;
            case CODENAME_OUT -> continueButton;
            case TOR -> useBridges;
            default -> null;
        };
        if (getRootPane() != null) {
            getRootPane().setDefaultButton(def);
        }
        JComponent focus = switch (card) {
            case START -> address;
            case CODENAME_IN -> codenameIn;
            case WRITE -> text;
            case BUSY -> cancel;
            case CODENAME_OUT -> writtenDown;
            case TOR -> useBridges;
            default -> again;
        };
        SwingUtilities.invokeLater(focus::requestFocusInWindow);
    }

    // ---- actions ----

    private boolean acceptAddress() {
        try {
            serviceId = client.normalizeAddress(address.getText());
            address.putClientProperty("JComponent.outline", null);
            return true;
        } catch (InvalidAddressException e) {
            addressStatus.setText(ctx.text("address.invalid." + e.reason().name().toLowerCase(Locale.ROOT)));
            address.putClientProperty("JComponent.outline", "error");
            address.requestFocusInWindow();
            return false;
        }
    }

    void writeNew() {
        if (!acceptAddress()) {
            return;
        }
        if (codename == null || !fresh) {
            codename = Codenames.fresh(random);
            fresh = true;
        }
        show(WRITE);
    }

    void haveCodename() {
        if (!acceptAddress()) {
            return;
        }
        show(CODENAME_IN);
    }

    void openCase() {
        char[] typed = codenameIn.getPassword();
        String s = new String(typed);
        Arrays.fill(typed, '\0');
        Codenames.Problem p = Codenames.problem(s);
        if (p != null) {
            codenameStatus.setText(switch (p.kind()) {
                case EMPTY -> ctx.format("drop.source.codename.empty", Codenames.words());
                case WORD_COUNT -> ctx.format("drop.source.codename.count", Codenames.words(), p.position());
                case UNKNOWN_WORD -> ctx.format("drop.source.codename.word", p.position());
            });
            return;
        }
        codename = Codenames.canonical(s);
        fresh = false;
        codenameIn.setText("");
        checkIn(codenameStatus);
    }

    private void checkIn(JLabel errorLabel) {
        String from = shown;
        String line = serviceId;
        String name = codename;
        busy();
        ctx.background().run(() -> client.checkIn(line, name, this::onStep), this::showCase,
                e -> failed(e, from, errorLabel));
    }

    private void send(JTextArea area, JLabel errorLabel) {
        String t = area.getText().strip();
        if (t.isEmpty() || t.getBytes(StandardCharsets.UTF_8).length > LIMIT_BYTES) {
            return;
        }
        if (!t.equals(pendingText)) {
            pendingText = t;
            pendingId = client.newId();
        }
        String from = shown;
        String line = serviceId;
        String name = codename;
        byte[] id = pendingId;
        busy();
        ctx.background().run(() -> client.submit(line, name, id, t, this::onStep), a -> {
            if (a.refusal() != null) {
                show(from);
                errorLabel.setText(ctx.text("drop.source.refusal." + a.refusal().name().toLowerCase(Locale.ROOT)));
                return;
            }
            pendingText = null;
            pendingId = null;
            area.setText("");
            if (fresh) {
                fresh = false;
                last = a;
                showCodename();
            } else {
                showCase(a);
                caseNote.setText(ctx.text("drop.source.sent"));
            }
        }, e -> failed(e, from, errorLabel));
    }

    private void busy() {
        step.setText(" ");
        show(BUSY);
    }

    /** Called on the background thread by the client. */
    private void onStep(SourceClient.Step s) {
        SwingUtilities.invokeLater(() -> step.setText(ctx.text("drop.source.step." + s.name().toLowerCase(Locale.ROOT))));
    }

    private void failed(Exception e, String from, JLabel errorLabel) {
        if (e instanceof InterruptedException) {
            return; // the window was closed
        }
        show(from);
        errorLabel.setText(e instanceof MessengerException ? ctx.format("error.core", e.getMessage())
                : ctx.text("error.unexpected"));
    }

    private void showCodename() {
        codenameShown.setText(codename);
        codenameShown.getAccessibleContext().setAccessibleName(ctx.text("drop.source.codename"));
        writtenDown.setSelected(false);
        continueButton.setEnabled(false);
        show(CODENAME_OUT);
    }

    void showCase(DropSource.Answer a) {
        // The codename leaves the screen for good once the source confirmed writing it down.
        codenameShown.setText(" ");
        last = a;
        status.setText(ctx.format("drop.source.status", ctx.text("drop.source.status." + a.status().name()
                .toLowerCase(Locale.ROOT))));
        String ack = PlainText.text(a.acknowledgement(), 1024);
        acknowledgement.setText(ack);
        acknowledgement.setVisible(!ack.isBlank());
        caseNote.setText(" ");
        caseError.setText(" ");
        replies.removeAll();
        List<DropSource.Reply> rs = a.replies();
        if (rs.isEmpty()) {
            replies.add(noReplies);
        }
        DateTimeFormatter f = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM)
                .withLocale(ctx.messages().locale()).withZone(ctx.zone());
        for (DropSource.Reply r : rs) {
            JLabel when = Ui.small(ctx.format("drop.source.reply.from", f.format(r.composed())));
            when.setAlignmentX(LEFT_ALIGNMENT);
            replies.add(when);
            JTextArea body = plainArea();
            body.setFocusable(true); // readable and selectable with the keyboard
            body.setText(PlainText.text(r.text(), 8192));
            body.getAccessibleContext().setAccessibleName(when.getText());
            body.setBorder(BorderFactory.createEmptyBorder(0, 0, Ui.gap() * 2, 0));
            replies.add(body);
        }
        replies.revalidate();
        replies.repaint();
        show(CASE);
    }

    /** The texts of the replies shown (for tests). */
    List<String> replyTexts() {
        return Arrays.stream(replies.getComponents()).filter(c -> c instanceof JTextArea)
                .map(c -> ((JTextArea) c).getText()).toList();
    }

    /** Forgets the codename and texts (the window is closing). */
    void forget() {
        codename = null;
        pendingText = null;
        pendingId = null;
        last = null;
        codenameShown.setText(" ");
        codenameIn.setText("");
        text.setText("");
        again.setText("");
        replies.removeAll();
    }
}
