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
import org.allium.core.api.DropLineException;
import org.allium.core.api.InvalidAddressException;
import org.allium.core.api.MessengerException;
import org.allium.core.dropline.DropSource;
import org.allium.desktop.PlainText;
import org.allium.desktop.Theme;
import org.allium.desktop.Ui;
import org.allium.desktop.UiContext;
import org.allium.desktop.files.Sizes;

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
    // attachments: of the first message, of a message written again; the upload under way
    final SourceAttachments files;
    final SourceAttachments againFiles;
    final JPanel uploads = new JPanel(new BorderLayout());
    /** The files' upload shown on the busy card (the last one), or null. */
    SourceUploads upload;
    // the case's files as the drop line holds them
    final JLabel sentFilesTitle;
    final JPanel sentFiles = new JPanel();
    /** The waits before each resume of a broken upload (ms); tests shorten them. */
    volatile long[] resumeDelaysMs = {2_000, 5_000, 10_000, 20_000, 30_000};
    /** Set when the window closes: a resume waiting stops. */
    private volatile boolean closing;
    /**
     * Whether the codename word list is loaded: its first use reads and checks 7,776 words, so
     * it is loaded in the background when the window opens; an action that needs it before
     * waits in {@link #afterWords}.
     */
    private boolean wordsReady;
    private Runnable afterWords;

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
        files = new SourceAttachments(ctx, () -> updateCount(text, counter));
        againFiles = new SourceAttachments(ctx, () -> updateCount(again, againCounter));
        sentFilesTitle = Ui.subtitle(ctx.text("drop.source.files.title"));

        ctx.background().run(Codenames::load, this::wordsLoaded, e -> wordsLoaded());

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
        files.acceptDrops(text);
        p.add(Ui.scroll(text), BorderLayout.CENTER);
        JPanel bottom = column();
        bottom.add(right(counter));
        bottom.add(files.panel);
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
        uploads.setOpaque(false);
        col.add(uploads);
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
        JPanel listColumn = column();
        listColumn.add(replies);
        sentFiles.setLayout(new BoxLayout(sentFiles, BoxLayout.Y_AXIS));
        sentFiles.setOpaque(false);
        sentFilesTitle.setBorder(BorderFactory.createEmptyBorder(Ui.gap(), 0, Ui.gap() / 2, 0));
        listColumn.add(sentFilesTitle);
        listColumn.add(sentFiles);
        list.add(listColumn, BorderLayout.NORTH);
        JPanel center = new JPanel(new BorderLayout(0, Ui.gap()));
        center.setOpaque(false);
        center.add(Ui.subtitle(ctx.text("drop.source.replies")), BorderLayout.NORTH);
        center.add(Ui.scroll(list), BorderLayout.CENTER);

        JPanel write = new JPanel(new BorderLayout(0, Ui.gap() / 2));
        write.setOpaque(false);
        write.add(Ui.subtitle(ctx.text("drop.source.again")), BorderLayout.NORTH);
        prepareArea(again, "drop.source.again.name", againCounter);
        againFiles.acceptDrops(again);
        write.add(Ui.scroll(again), BorderLayout.CENTER);
        JPanel bottom = column();
        bottom.add(right(againCounter));
        bottom.add(againFiles.panel);
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
        SourceAttachments a = area == text ? files : againFiles;
        if (b != null) {
            b.setEnabled(n <= LIMIT_BYTES && !area.getText().isBlank() && (a == null || a.ready()));
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

    private void wordsLoaded() {
        wordsReady = true;
        Runnable r = afterWords;
        afterWords = null;
        if (r != null) {
            r.run();
        }
    }

    /** Runs {@code r} now if the word list is loaded, else once it is (the last such action wins). */
    private boolean needWords(Runnable r) {
        if (wordsReady) {
            return true;
        }
        afterWords = r;
        return false;
    }

    void writeNew() {
        if (!acceptAddress() || !needWords(this::writeNew)) {
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
        if (!needWords(this::openCase)) {
            return;
        }
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
        if (codename == null) {
            return; // not on a write card yet
        }
        String t = area.getText().strip();
        if (t.isEmpty() || t.getBytes(StandardCharsets.UTF_8).length > LIMIT_BYTES) {
            return;
        }
        SourceAttachments att = area == text ? files : againFiles;
        if (!att.isEmpty()) {
            sendWithFiles(area, errorLabel, t, att);
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
                errorLabel.setText(refusalText(a));
                return;
            }
            pendingText = null;
            pendingId = null;
            sent(area, a);
        }, e -> failed(e, from, errorLabel));
    }

    /** A message was stored: the codename the first time, else the case with a note. */
    private void sent(JTextArea area, DropSource.Answer a) {
        area.setText("");
        if (fresh) {
            fresh = false;
            last = a;
            showCodename();
        } else {
            showCase(a);
            caseNote.setText(ctx.text("drop.source.sent"));
        }
    }

    /** A file changed or vanished since it was read: resuming would send other bytes. */
    private static final class ChangedFile extends Exception {
        final transient SourceAttachments.Item item;

        ChangedFile(SourceAttachments.Item item) {
            super("an attachment changed", null, false, false);
            this.item = item;
        }
    }

    /**
     * Sends the text with its files and shows their upload. A broken connection during the
     * upload is resumed by itself (a new connection; the drop line says what it has) after a
     * short wait, as long as each attempt moves the upload on; after {@link #resumeDelaysMs}'s
     * attempts without progress the source is told, and Send resumes where it stopped (the
     * submission's id derives from the same text and files).
     */
    private void sendWithFiles(JTextArea area, JLabel errorLabel, String t, SourceAttachments att) {
        if (!att.ready()) {
            return;
        }
        List<SourceAttachments.Item> items = att.items();
        List<DropSource.Attachment> list = att.prepared();
        List<Long> modified = items.stream().map(i -> i.modified).toList();
        String from = shown;
        String line = serviceId;
        String name = codename;
        SourceUploads up = new SourceUploads(ctx, items);
        busy();
        upload = up;
        uploads.add(SourceAttachments.capped(up.panel, 300), BorderLayout.CENTER);
        uploads.revalidate();
        ctx.background().run(() -> uploadResuming(line, name, t, list, items, modified, up), a -> {
            if (a.refusal() != null) {
                show(from);
                errorLabel.setText(refusalText(a));
                return;
            }
            up.finished(a.files());
            att.clear();
            sent(area, a);
        }, e -> {
            if (e instanceof ChangedFile c) {
                show(from);
                att.changed(c.item);
                errorLabel.setText(ctx.text("drop.source.files.failed"));
            } else if (e instanceof DropLineException && up.started()) {
                show(from);
                errorLabel.setText(ctx.format("drop.source.upload.stopped", e.getMessage()));
            } else {
                failed(e, from, errorLabel);
            }
        });
    }

    /** Background: the submission and its upload, resumed after a broken connection. */
    private DropSource.Answer uploadResuming(String line, String name, String t, List<DropSource.Attachment> list,
                                             List<SourceAttachments.Item> items, List<Long> modified, SourceUploads up)
            throws Exception {
        long[] known = new long[list.size()];
        boolean[] moved = new boolean[1];
        boolean[] started = new boolean[1];
        DropSource.UploadListener listener = (index, sent, size) -> {
            started[0] = true;
            if (index >= 0 && index < known.length && sent > known[index]) {
                known[index] = sent;
                moved[0] = true;
            }
            SwingUtilities.invokeLater(() -> up.progress(index, sent));
        };
        int idle = 0;
        while (true) {
            moved[0] = false;
            try {
                return client.submit(line, name, t, list, listener, this::onStep);
            } catch (SourceClient.FileChanged e) {
                throw new ChangedFile(items.get(Math.max(0, Math.min(e.index(), items.size() - 1))));
            } catch (DropLineException e) {
                if (closing) {
                    throw new InterruptedException("closed");
                }
                SourceAttachments.Item gone = SourceAttachments.changedSince(items, modified);
                if (gone != null) {
                    throw new ChangedFile(gone);
                }
                if (!started[0]) {
                    throw e; // the drop line was not reached: said at once, as for a message without files
                }
                up.markStarted();
                idle = moved[0] ? 0 : idle + 1;
                long[] delays = resumeDelaysMs;
                if (idle >= delays.length) {
                    throw e;
                }
                long wait = delays[idle];
                SwingUtilities.invokeLater(() -> up.lost((wait + 999) / 1000));
                long until = System.nanoTime() + wait * 1_000_000L;
                while (System.nanoTime() < until) {
                    if (closing) {
                        throw new InterruptedException("closed");
                    }
                    Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000L)));
                }
                SwingUtilities.invokeLater(up::resuming);
            }
        }
    }

    private void busy() {
        step.setText(" ");
        uploads.removeAll();
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
        sentFiles.removeAll();
        for (DropSource.FileStatus file : a.files()) {
            JLabel l = PlainText.label();
            String state = file.complete() ? ctx.text("drop.source.files.received")
                    : ctx.format("drop.source.files.partial", org.allium.desktop.files.Sizes.bytes(ctx, file.received()),
                    org.allium.desktop.files.Sizes.bytes(ctx, file.size()));
            l.setText(ctx.format("drop.source.files.item", PlainText.line(file.name(), 255), state));
            l.setAlignmentX(LEFT_ALIGNMENT);
            sentFiles.add(l);
        }
        sentFilesTitle.setVisible(!a.files().isEmpty());
        sentFiles.setVisible(!a.files().isEmpty());
        sentFiles.revalidate();
        show(CASE);
    }

    /** The texts of the replies shown (for tests). */
    List<String> replyTexts() {
        return Arrays.stream(replies.getComponents()).filter(c -> c instanceof JTextArea)
                .map(c -> ((JTextArea) c).getText()).toList();
    }

    /** The names and states of the case's files shown (tests). */
    List<String> sentFileTexts() {
        return Arrays.stream(sentFiles.getComponents()).map(c -> ((JLabel) c).getText()).toList();
    }

    /** Forgets the codename and texts (the window is closing); cleaned copies are deleted. */
    void forget() {
        closing = true;
        files.forget();
        againFiles.forget();
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

    /** The refusal's fixed sentence; "too large" with the drop line's per-file limit when it said one. */
    private String refusalText(DropSource.Answer a) {
        String key = "drop.source.refusal." + a.refusal().name().toLowerCase(Locale.ROOT);
        return a.maxFileSize() > 0 ? ctx.format(key + ".limit", Sizes.bytes(ctx, a.maxFileSize())) : ctx.text(key);
    }
}
