package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.GridBagLayout;
import java.nio.file.Path;
import java.util.Arrays;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.JProgressBar;
import javax.swing.JTabbedPane;
import javax.swing.JTextField;

/**
 * First start: create a profile (nickname optional, passphrase twice with a strength hint)
 * or open an existing one from a folder. The actual work is the {@link Listener}'s, which
 * reports back with {@link #showError} or by moving on. Event thread only.
 */
final class FirstRunScreen extends JPanel {
    interface Listener {
        /** Create a profile; the passphrase array belongs to the listener (wipe it). */
        void create(Path directory, char[] passphrase, String nicknameOrNull);

        /** Open an existing profile; the passphrase array belongs to the listener. */
        void open(Path directory, char[] passphrase);

        /** Write to a drop line as a source: no profile needed (issue 15). */
        default void writeToDropLine() {
        }
    }

    private final UiContext ctx;
    private final Listener listener;
    final JTabbedPane tabs = new JTabbedPane();
    final JTextField nickname = new JTextField(24);
    final JPasswordField passphrase = new JPasswordField(24);
    final JPasswordField confirm = new JPasswordField(24);
    final JTextField createDir = new JTextField(24);
    final JButton createButton;
    final JTextField openDir = new JTextField(24);
    final JPasswordField openPassphrase = new JPasswordField(24);
    final JButton openButton;
    final JButton dropLineButton;
    final JLabel createError = Ui.colored("Allium.error.foreground");
    final JLabel openError = Ui.colored("Allium.error.foreground");
    final JLabel matchLabel = Ui.colored("Allium.meta.foreground");
    final JLabel nicknameStatus = Ui.colored("Allium.error.foreground");
    private final PassphraseMeter meter;
    private final JProgressBar busy = new JProgressBar();

    FirstRunScreen(UiContext ctx, Path defaultDirectory, Listener listener) {
        super(new GridBagLayout());
        this.ctx = ctx;
        this.listener = listener;
        setName("firstRun");
        meter = new PassphraseMeter(ctx);
        meter.follow(passphrase);
        createDir.setText(defaultDirectory.toString());
        openDir.setText(defaultDirectory.toString());

        JPanel column = new JPanel();
        column.setLayout(new BoxLayout(column, BoxLayout.Y_AXIS));
        column.setOpaque(false);
        JLabel title = Ui.title(ctx.text("firstrun.title"));
        title.setAlignmentX(LEFT_ALIGNMENT);
        column.add(title);
        column.add(Box.createVerticalStrut(Ui.gap()));
        JLabel intro = Ui.wrapped(ctx.text("firstrun.intro"), 440);
        intro.setAlignmentX(LEFT_ALIGNMENT);
        column.add(intro);
        column.add(Box.createVerticalStrut(Ui.gap() * 2));

        createButton = Ui.button(ctx.text("firstrun.create.button"), e -> create());
        openButton = Ui.button(ctx.text("firstrun.open.button"), e -> open());

        Ui.Form c = new Ui.Form();
        c.row(ctx.text("firstrun.nickname"), nickname);
        c.full(Ui.small(ctx.text("firstrun.nickname.hint")));
        c.full(nicknameStatus);
        c.row(ctx.text("firstrun.passphrase"), passphrase);
        c.full(meter);
        c.row(ctx.text("firstrun.confirm"), confirm);
        c.full(matchLabel);
        c.row(ctx.text("firstrun.folder"), folderRow(createDir, "firstrun.create.browse"));
        c.full(createError);
        c.full(rightAligned(createButton));
        Ui.pad(c.panel);

        Ui.Form o = new Ui.Form();
        o.row(ctx.text("firstrun.folder"), folderRow(openDir, "firstrun.open.browse"));
        o.row(ctx.text("firstrun.open.passphrase"), openPassphrase);
        o.full(openError);
        o.full(rightAligned(openButton));
        JPanel openWrap = new JPanel(new BorderLayout());
        openWrap.add(o.panel, BorderLayout.NORTH);
        Ui.pad(openWrap);

        tabs.addTab(Ui.plain(ctx.text("firstrun.tab.create")), c.panel);
        tabs.addTab(Ui.plain(ctx.text("firstrun.tab.open")), openWrap);
        tabs.getAccessibleContext().setAccessibleName(ctx.text("firstrun.tabs.name"));
        tabs.setAlignmentX(LEFT_ALIGNMENT);
        column.add(tabs);
        busy.setIndeterminate(true);
        busy.setVisible(false);
        busy.getAccessibleContext().setAccessibleName(ctx.text("busy.name"));
        busy.setAlignmentX(LEFT_ALIGNMENT);
        column.add(Box.createVerticalStrut(Ui.gap()));
        column.add(busy);
        dropLineButton = Ui.button(ctx.text("firstrun.dropLine"), e -> listener.writeToDropLine());
        JPanel drop = new JPanel(new BorderLayout(Ui.gap(), 0));
        drop.setOpaque(false);
        drop.add(Ui.small(ctx.text("firstrun.dropLine.hint")), BorderLayout.CENTER);
        drop.add(dropLineButton, BorderLayout.EAST);
        drop.setAlignmentX(LEFT_ALIGNMENT);
        column.add(Box.createVerticalStrut(Ui.gap()));
        column.add(drop);
        add(column);

        Ui.onChange(nickname, this::updateNickname);
        Ui.onChange(passphrase, this::updateMatch);
        Ui.onChange(confirm, this::updateMatch);
        passphrase.addActionListener(e -> confirm.requestFocusInWindow());
        confirm.addActionListener(e -> create());
        openPassphrase.addActionListener(e -> open());
        tabs.addChangeListener(e -> {
            if (getRootPane() != null) {
                getRootPane().setDefaultButton(tabs.getSelectedIndex() == 0 ? createButton : openButton);
            }
        });
        updateMatch();
    }

    private JPanel folderRow(JTextField field, String browseKey) {
        JPanel row = new JPanel(new BorderLayout(Ui.gap(), 0));
        row.setOpaque(false);
        row.add(field, BorderLayout.CENTER);
        JButton browse = Ui.button(ctx.text(browseKey), e -> browse(field));
        row.add(browse, BorderLayout.EAST);
        field.getAccessibleContext().setAccessibleName(Ui.plain(ctx.text("firstrun.folder")));
        return row;
    }

    private static JPanel rightAligned(JButton b) {
        JPanel p = new JPanel(new FlowLayout(FlowLayout.TRAILING, 0, 0));
        p.setOpaque(false);
        p.add(b);
        return p;
    }

    private void browse(JTextField field) {
        JFileChooser chooser = new JFileChooser(field.getText());
        chooser.setFileSelectionMode(JFileChooser.DIRECTORIES_ONLY);
        chooser.setDialogTitle(Ui.plain(ctx.text("firstrun.folder")));
        if (chooser.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
            field.setText(chooser.getSelectedFile().toPath().toString());
        }
    }

    /** Says at once when the nickname is too long (it used to be refused only much later). */
    private void updateNickname() {
        String problem = Nickname.problem(ctx, Nickname.typed(nickname.getText()));
        nicknameStatus.setText(problem == null ? "" : problem);
        nickname.putClientProperty("JComponent.outline", problem != null ? "error" : null);
        nickname.getAccessibleContext().setAccessibleDescription(problem);
    }

    private void updateMatch() {
        char[] a = passphrase.getPassword();
        char[] b = confirm.getPassword();
        try {
            if (b.length == 0) {
                matchLabel.setText(" ");
            } else if (Arrays.equals(a, b)) {
                matchLabel.setText(ctx.text("firstrun.confirm.matches"));
            } else {
                matchLabel.setText(ctx.text("firstrun.confirm.differs"));
            }
        } finally {
            Arrays.fill(a, '\0');
            Arrays.fill(b, '\0');
        }
    }

    void create() {
        String nick = Nickname.typed(nickname.getText());
        String nickProblem = Nickname.problem(ctx, nick);
        if (nickProblem != null) {
            showError(nickProblem);
            nickname.requestFocusInWindow();
            return;
        }
        char[] a = passphrase.getPassword();
        char[] b = confirm.getPassword();
        boolean same = Arrays.equals(a, b);
        Arrays.fill(b, '\0');
        if (a.length < PassphraseStrength.MIN_LENGTH) {
            Arrays.fill(a, '\0');
            showError(ctx.format("firstrun.error.short", PassphraseStrength.MIN_LENGTH));
            passphrase.requestFocusInWindow();
            return;
        }
        if (!same) {
            Arrays.fill(a, '\0');
            showError(ctx.text("firstrun.confirm.differs"));
            confirm.requestFocusInWindow();
            return;
        }
        String dir = createDir.getText().trim();
        if (dir.isEmpty()) {
            Arrays.fill(a, '\0');
            showError(ctx.text("firstrun.error.folder"));
            return;
        }
        setBusy(true);
        listener.create(Path.of(dir), a, nick.isEmpty() ? null : nick);
    }

    void open() {
        char[] p = openPassphrase.getPassword();
        String dir = openDir.getText().trim();
        if (p.length == 0 || dir.isEmpty()) {
            Arrays.fill(p, '\0');
            showError(ctx.text("firstrun.error.openFields"));
            return;
        }
        setBusy(true);
        listener.open(Path.of(dir), p);
    }

    /** Shows an error on the current tab and re-enables the form. */
    void showError(String text) {
        setBusy(false);
        JLabel target = tabs.getSelectedIndex() == 0 ? createError : openError;
        target.setText(text);
        target.getAccessibleContext().setAccessibleDescription(text);
    }

    void setBusy(boolean on) {
        busy.setVisible(on);
        createButton.setEnabled(!on);
        openButton.setEnabled(!on);
        if (on) {
            createError.setText(" ");
            openError.setText(" ");
        }
    }

    void clearPassphrases() {
        passphrase.setText("");
        confirm.setText("");
        openPassphrase.setText("");
    }

}
