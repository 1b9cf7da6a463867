package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.swing.ButtonGroup;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.JRadioButton;
import javax.swing.JScrollPane;
import javax.swing.JSpinner;
import javax.swing.JTabbedPane;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.SpinnerNumberModel;
import org.allium.core.api.HistoryPolicy;
import org.allium.core.api.MessengerException;
import org.allium.core.api.TorSettings;

/**
 * Settings, in tabs: appearance, tor (own tor or an existing one; bridges), contacts and
 * history, notifications, security (change passphrase, panic wipe). Toggles apply at once;
 * tor settings are saved with their own button and apply at the next connection.
 * Event thread only.
 */
final class SettingsPanel extends JPanel {
    /** What only the app can do, because the profile must be closed for it. */
    interface Security {
        /** Re-encrypts the profile; reports a user-facing error, or null on success. */
        void changePassphrase(char[] oldPassphrase, char[] newPassphrase, Consumer<String> done);

        /** Deletes the profile after the user confirmed. */
        void panicWipe();
    }

    /** Pluggable transports offered for bridges. */
    enum Transport {
        NONE(null), OBFS4("/usr/bin/obfs4proxy"), SNOWFLAKE("/usr/bin/snowflake-client");

        final String defaultBinary;

        Transport(String defaultBinary) {
            this.defaultBinary = defaultBinary;
        }
    }

    private final UiContext ctx;
    private final Session session;
    private final Consumer<ThemeChoice> themeChanged;
    final JTabbedPane tabs = new JTabbedPane();
    final JRadioButton light;
    final JRadioButton dark;
    final JRadioButton system;
    final JRadioButton ownTor;
    final JRadioButton externalTor;
    final JTextField torBinary = new JTextField(28);
    final JTextField controlHost = new JTextField("127.0.0.1", 16);
    final JSpinner controlPort = new JSpinner(new SpinnerNumberModel(9051, 1, 65535, 1));
    final JSpinner socksPort = new JSpinner(new SpinnerNumberModel(9050, 1, 65535, 1));
    final JTextField cookieFile = new JTextField(28);
    final JPasswordField controlPassword = new JPasswordField(16);
    final JTextArea bridges = new JTextArea(5, 40);
    /** Fill the bridge lines with Tor Browser's built-in obfs4 or snowflake bridges. */
    final javax.swing.JButton builtInObfs4;
    final javax.swing.JButton builtInSnowflake;
    final JComboBox<String> transport = new JComboBox<>();
    final JTextField transportBinary = new JTextField(28);
    final JButton saveTor;
    final JLabel torStatus = Ui.colored("Allium.ok.foreground");
    final JCheckBox accepting;
    final JTextField nickname = new JTextField(24);
    final JButton saveNickname;
    final JLabel nicknameStatus = Ui.colored("Allium.meta.foreground");
    final JComboBox<String> history = new JComboBox<>();
    final JCheckBox notifications;
    final JCheckBox notificationDetails;
    final JPasswordField oldPassphrase = new JPasswordField(20);
    final JPasswordField newPassphrase = new JPasswordField(20);
    final JPasswordField confirmPassphrase = new JPasswordField(20);
    final JButton changePassphrase;
    final JLabel passphraseStatus = Ui.colored("Allium.error.foreground");
    final JButton wipe;
    final JButton close;
    private TorSettings loadedTor;
    /** The app's language: the system's (first) or one of {@link #LANGUAGES}. */
    final javax.swing.JComboBox<String> language = new javax.swing.JComboBox<>();
    final JLabel languageNote = Ui.small(" ");
    /** Languages with a bundle, by tag; "" follows the system. Their names are in their own language. */
    static final java.util.List<String> LANGUAGES = java.util.List.of("", "en", "fr", "ro");

    SettingsPanel(UiContext ctx, Session session, Security security, Consumer<ThemeChoice> themeChanged,
                  Runnable onClose) {
        super(new BorderLayout());
        this.ctx = ctx;
        this.session = session;
        this.themeChanged = themeChanged;
        setName("settings");
        Ui.pad(this);

        // Appearance
        light = Ui.mnemonic(new JRadioButton(), ctx.text("settings.theme.light"));
        dark = Ui.mnemonic(new JRadioButton(), ctx.text("settings.theme.dark"));
        system = Ui.mnemonic(new JRadioButton(), ctx.text("settings.theme.system"));
        ButtonGroup themes = new ButtonGroup();
        themes.add(light);
        themes.add(dark);
        themes.add(system);
        switch (ctx.preferences().theme()) {
            case LIGHT -> light.setSelected(true);
            case DARK -> dark.setSelected(true);
            default -> system.setSelected(true);
        }
        for (String tag : LANGUAGES) {
            language.addItem(tag.isEmpty() ? ctx.text("settings.language.system") : ctx.text("settings.language." + tag));
        }
        language.setSelectedIndex(Math.max(0, LANGUAGES.indexOf(ctx.preferences().language())));
        language.addActionListener(e -> {
            String tag = LANGUAGES.get(Math.max(0, language.getSelectedIndex()));
            if (!tag.equals(ctx.preferences().language())) {
                ctx.preferences().setLanguage(tag);
                ctx.background().run(() -> ctx.preferences().save(), () -> { }, x -> { });
                languageNote.setText(ctx.text("settings.language.restart"));
            }
        });
        light.addActionListener(e -> setTheme(ThemeChoice.LIGHT));
        dark.addActionListener(e -> setTheme(ThemeChoice.DARK));
        system.addActionListener(e -> setTheme(ThemeChoice.SYSTEM));
        Ui.Form appearance = new Ui.Form();
        appearance.full(PlainText.guard(new JLabel(ctx.text("settings.theme"))));
        appearance.full(light);
        appearance.full(dark);
        appearance.full(system);
        appearance.row(Ui.labelFor(ctx.text("settings.language"), language), language);
        appearance.full(languageNote);
        tabs.addTab(Ui.plain(ctx.text("settings.tab.appearance")), top(appearance.panel));

        // Tor
        ownTor = Ui.mnemonic(new JRadioButton(), ctx.text("settings.tor.own"));
        externalTor = Ui.mnemonic(new JRadioButton(), ctx.text("settings.tor.external"));
        ButtonGroup modes = new ButtonGroup();
        modes.add(ownTor);
        modes.add(externalTor);
        ownTor.setSelected(true);
        ownTor.addActionListener(e -> updateTorFields());
        externalTor.addActionListener(e -> updateTorFields());
        for (Transport t : Transport.values()) {
            transport.addItem(ctx.text("settings.transport." + t.name().toLowerCase(Locale.ROOT)));
        }
        transport.addActionListener(e -> {
            Transport t = Transport.values()[Math.max(0, transport.getSelectedIndex())];
            if (t.defaultBinary != null && transportBinary.getText().isBlank()) {
                transportBinary.setText(t.defaultBinary);
            }
            updateTorFields();
        });
        builtInObfs4 = Ui.button(ctx.text("settings.tor.builtIn.obfs4"),
                e -> useBuiltIn(BridgeLines.builtInObfs4(), Transport.OBFS4));
        builtInSnowflake = Ui.button(ctx.text("settings.tor.builtIn.snowflake"),
                e -> useBuiltIn(BridgeChoice.BUILT_IN_SNOWFLAKE, Transport.SNOWFLAKE));
        bridges.setFocusTraversalKeys(java.awt.KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        bridges.setFocusTraversalKeys(java.awt.KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
        saveTor = Ui.button(ctx.text("settings.tor.save"), e -> saveTor());
        torBinary.putClientProperty("JTextField.placeholderText", ctx.text("settings.tor.binary.auto"));
        Ui.Form tor = new Ui.Form();
        tor.full(ownTor);
        tor.row(ctx.text("settings.tor.binary"), torBinary);
        tor.row(Ui.labelFor(ctx.text("settings.tor.bridges"), bridges), Ui.scroll(bridges));
        JPanel builtIn = new JPanel(new java.awt.FlowLayout(java.awt.FlowLayout.LEADING, Ui.gap(), 0));
        builtIn.setOpaque(false);
        builtIn.add(builtInObfs4);
        builtIn.add(builtInSnowflake);
        tor.row(ctx.text("settings.tor.builtIn"), builtIn);
        tor.full(Ui.small(ctx.text("settings.tor.bridges.hint")));
        tor.row(ctx.text("settings.tor.transport"), transport);
        tor.row(ctx.text("settings.tor.transportBinary"), transportBinary);
        tor.full(externalTor);
        tor.row(ctx.text("settings.tor.controlHost"), controlHost);
        tor.row(ctx.text("settings.tor.controlPort"), controlPort);
        tor.row(ctx.text("settings.tor.socksPort"), socksPort);
        tor.row(ctx.text("settings.tor.cookie"), cookieFile);
        tor.row(ctx.text("settings.tor.password"), controlPassword);
        tor.full(torStatus);
        tor.full(right(saveTor));
        nameSpinner(controlPort, ctx.text("settings.tor.controlPort"));
        nameSpinner(socksPort, ctx.text("settings.tor.socksPort"));
        tabs.addTab(Ui.plain(ctx.text("settings.tab.tor")), top(tor.panel));

        // Contacts and history
        accepting = Ui.mnemonic(new JCheckBox(), ctx.text("settings.accepting"));
        accepting.setSelected(session.messenger().isAcceptingContacts());
        accepting.addActionListener(e -> {
            boolean on = accepting.isSelected();
            ctx.background().run(() -> session.messenger().setAcceptingContacts(on), () -> { },
                    ex -> accepting.setSelected(!on));
        });
        for (HistoryPolicy p : HistoryPolicy.values()) {
            history.addItem(ctx.text("settings.history." + p.name().toLowerCase(Locale.ROOT)));
        }
        history.setEnabled(false);
        ctx.background().run(() -> session.messenger().historyPolicy(), p -> {
            history.setSelectedIndex(p.ordinal());
            history.setEnabled(true);
        }, e -> { });
        history.addActionListener(e -> {
            if (history.isEnabled() && history.getSelectedIndex() >= 0) {
                HistoryPolicy p = HistoryPolicy.values()[history.getSelectedIndex()];
                ctx.background().run(() -> session.messenger().setHistoryPolicy(p), () -> { }, ex -> { });
            }
        });
        String mine = session.profile().identity().nickname();
        nickname.setText(mine == null ? "" : mine);
        saveNickname = Ui.button(ctx.text("settings.nickname.save"), e -> saveNickname());
        Ui.onChange(nickname, () -> {
            String problem = Nickname.problem(ctx, Nickname.typed(nickname.getText()));
            nicknameStatus.setText(problem == null ? " " : problem);
            nicknameStatus.setForeground(Theme.color(problem == null ? "Allium.ok.foreground" : "Allium.error.foreground",
                    java.awt.Color.GRAY));
            saveNickname.setEnabled(problem == null);
        });
        JPanel nicknameRow = new JPanel(new BorderLayout(Ui.gap(), 0));
        nicknameRow.setOpaque(false);
        nicknameRow.add(nickname, BorderLayout.CENTER);
        nicknameRow.add(saveNickname, BorderLayout.EAST);
        Ui.Form privacy = new Ui.Form();
        privacy.row(Ui.labelFor(ctx.text("settings.nickname"), nickname), nicknameRow);
        privacy.full(Ui.small(ctx.text("settings.nickname.hint")));
        privacy.full(nicknameStatus);
        privacy.full(accepting);
        privacy.full(Ui.small(ctx.text("settings.accepting.hint")));
        privacy.row(ctx.text("settings.history"), history);
        tabs.addTab(Ui.plain(ctx.text("settings.tab.privacy")), top(privacy.panel));

        // Notifications
        notifications = Ui.mnemonic(new JCheckBox(), ctx.text("settings.notifications"));
        notificationDetails = Ui.mnemonic(new JCheckBox(), ctx.text("settings.notifications.details"));
        notifications.setSelected(ctx.preferences().notificationsEnabled());
        notificationDetails.setSelected(ctx.preferences().notificationDetails());
        notificationDetails.setEnabled(notifications.isSelected());
        notifications.addActionListener(e -> {
            ctx.preferences().setNotificationsEnabled(notifications.isSelected());
            notificationDetails.setEnabled(notifications.isSelected());
            savePreferences();
        });
        notificationDetails.addActionListener(e -> {
            ctx.preferences().setNotificationDetails(notificationDetails.isSelected());
            savePreferences();
        });
        Ui.Form notify = new Ui.Form();
        notify.full(notifications);
        notify.full(notificationDetails);
        notify.full(Ui.small(ctx.text("settings.notifications.hint")));
        tabs.addTab(Ui.plain(ctx.text("settings.tab.notifications")), top(notify.panel));

        // Security
        changePassphrase = Ui.button(ctx.text("settings.passphrase.change"), e -> {
            char[] a = newPassphrase.getPassword();
            char[] b = confirmPassphrase.getPassword();
            char[] old = oldPassphrase.getPassword();
            boolean same = Arrays.equals(a, b);
            Arrays.fill(b, '\0');
            if (a.length < PassphraseStrength.MIN_LENGTH || !same) {
                passphraseStatus.setText(!same ? ctx.text("firstrun.confirm.differs")
                        : ctx.format("firstrun.error.short", PassphraseStrength.MIN_LENGTH));
                Arrays.fill(a, '\0');
                Arrays.fill(old, '\0');
                return;
            }
            changePassphraseEnabled(false);
            security.changePassphrase(old, a, err -> {
                changePassphraseEnabled(true);
                passphraseStatus.setText(err == null ? ctx.text("settings.passphrase.changed") : err);
                oldPassphrase.setText("");
                newPassphrase.setText("");
                confirmPassphrase.setText("");
            });
        });
        PassphraseMeter meter = new PassphraseMeter(ctx);
        meter.follow(newPassphrase);
        wipe = Ui.button(ctx.text("settings.wipe"), e -> security.panicWipe());
        wipe.putClientProperty("FlatLaf.styleClass", "danger");
        Ui.Form sec = new Ui.Form();
        sec.full(Ui.subtitle(ctx.text("settings.passphrase")));
        sec.row(ctx.text("settings.passphrase.old"), oldPassphrase);
        sec.row(ctx.text("settings.passphrase.new"), newPassphrase);
        sec.full(meter);
        sec.row(ctx.text("settings.passphrase.confirm"), confirmPassphrase);
        sec.full(passphraseStatus);
        sec.full(right(changePassphrase));
        sec.full(Ui.subtitle(ctx.text("settings.wipe.title")));
        sec.full(Ui.wrapped(ctx.text("settings.wipe.hint"), 440));
        sec.full(right(wipe));
        tabs.addTab(Ui.plain(ctx.text("settings.tab.security")), top(sec.panel));

        tabs.getAccessibleContext().setAccessibleName(ctx.text("settings.title"));
        add(tabs, BorderLayout.CENTER);
        close = Ui.button(ctx.text("common.close"), e -> onClose.run());
        add(right(close), BorderLayout.SOUTH);
        updateTorFields();
        loadTor();
    }

    private static void nameSpinner(JSpinner s, String label) {
        // Port numbers without digit grouping ("9051", not "9,051").
        s.setEditor(new JSpinner.NumberEditor(s, "#"));
        String name = Ui.plain(label);
        s.getAccessibleContext().setAccessibleName(name);
        JComponent editor = s.getEditor();
        if (editor instanceof JSpinner.DefaultEditor d) {
            d.getTextField().getAccessibleContext().setAccessibleName(name);
        }
    }

    private static JPanel top(JComponent c) {
        JPanel p = new JPanel(new BorderLayout());
        p.add(c, BorderLayout.NORTH);
        p.setBorder(javax.swing.BorderFactory.createEmptyBorder(Ui.gap() * 2, Ui.gap() * 2, Ui.gap(), Ui.gap() * 2));
        return p;
    }

    private static JPanel right(JButton b) {
        JPanel p = new JPanel(new FlowLayout(FlowLayout.TRAILING, 0, Ui.gap() / 2));
        p.setOpaque(false);
        p.add(b);
        return p;
    }

    private void changePassphraseEnabled(boolean on) {
        changePassphrase.setEnabled(on);
        oldPassphrase.setEnabled(on);
        newPassphrase.setEnabled(on);
        confirmPassphrase.setEnabled(on);
    }

    private void setTheme(ThemeChoice t) {
        ctx.preferences().setTheme(t);
        themeChanged.accept(t);
        savePreferences();
    }

    private void savePreferences() {
        ctx.background().run(() -> ctx.preferences().save(), () -> { }, e -> { });
    }

    /** A pasted bridge line that is not one (line numbers from 1). */
    static final class InvalidBridgeLine extends IllegalArgumentException {
        final int line;

        InvalidBridgeLine(int line) {
            super("bridge line " + line + " is not valid");
            this.line = line;
        }
    }

    private void useBuiltIn(List<String> lines, Transport t) {
        bridges.setText(String.join("\n", lines));
        transportBinary.setText(t.defaultBinary);
        transport.setSelectedIndex(t.ordinal());
    }

    private void updateTorFields() {
        boolean own = ownTor.isSelected();
        torBinary.setEnabled(own);
        bridges.setEnabled(own);
        builtInObfs4.setEnabled(own);
        builtInSnowflake.setEnabled(own);
        transport.setEnabled(own);
        transportBinary.setEnabled(own && transport.getSelectedIndex() > 0);
        controlHost.setEnabled(!own);
        controlPort.setEnabled(!own);
        socksPort.setEnabled(!own);
        cookieFile.setEnabled(!own);
        controlPassword.setEnabled(!own);
    }

    private void loadTor() {
        saveTor.setEnabled(false);
        ctx.background().run(() -> session.profile().torSettings(), t -> {
            loadedTor = t;
            if (t.mode() == TorSettings.Mode.EXTERNAL) {
                externalTor.setSelected(true);
                controlHost.setText(t.controlHost());
                controlPort.setValue(t.controlPort());
                socksPort.setValue(t.socksPort());
                cookieFile.setText(t.cookieFile() == null ? "" : t.cookieFile().toString());
            } else {
                ownTor.setSelected(true);
            }
            torBinary.setText(t.torBinary() == null ? "" : t.torBinary().toString());
            bridges.setText(String.join("\n", t.bridges()));
            if (t.transportBinary() != null) {
                String b = t.transportBinary().toString();
                transport.setSelectedIndex(b.contains("snowflake") ? 2 : 1);
                transportBinary.setText(b);
            }
            updateTorFields();
            saveTor.setEnabled(true);
        }, e -> torStatus.setText(ctx.text("error.unexpected")));
    }

    /** The tor settings the form describes; keeps the test-network lines of the loaded ones. */
    TorSettings torSettings() {
        List<String> testnet = loadedTor == null ? List.of() : loadedTor.testnetLines();
        TorSettings t;
        if (externalTor.isSelected()) {
            String cookie = cookieFile.getText().trim();
            String pw = new String(controlPassword.getPassword());
            t = TorSettings.externalTor(controlHost.getText().trim(), (Integer) controlPort.getValue(),
                    cookie.isEmpty() ? null : Path.of(cookie), pw.isEmpty() ? null : pw,
                    (Integer) socksPort.getValue());
        } else {
            t = TorSettings.ownTor();
            String bin = torBinary.getText().trim();
            if (!bin.isEmpty()) {
                t = t.withTorBinary(Path.of(bin));
            }
            List<String> lines = new ArrayList<>();
            String[] raw = bridges.getText().split("\n");
            for (int i = 0; i < raw.length; i++) {
                String l = raw[i].strip().replaceAll("\\s+", " ");
                if (l.regionMatches(true, 0, "Bridge ", 0, 7)) {
                    l = l.substring(7).strip();
                }
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                if (!BridgeLines.isBridgeLine(l)) {
                    throw new InvalidBridgeLine(i + 1);
                }
                lines.add(l);
            }
            String tb = transportBinary.getText().trim();
            Path transportPath = transport.getSelectedIndex() > 0 && !tb.isEmpty() ? Path.of(tb) : null;
            t = t.withBridges(lines, transportPath);
        }
        return t.withTestnetLines(testnet);
    }

    private void saveTor() {
        TorSettings t;
        try {
            t = torSettings();
        } catch (IllegalArgumentException | NullPointerException e) {
            torStatus.setForeground(Theme.color("Allium.error.foreground", java.awt.Color.RED));
            torStatus.setText(e instanceof InvalidBridgeLine b ? ctx.format("bridges.invalid", b.line)
                    : ctx.text("settings.tor.invalid"));
            return;
        }
        saveTor.setEnabled(false);
        TorSettings toSave = t;
        ctx.background().run(() -> session.profile().setTorSettings(toSave), () -> {
            saveTor.setEnabled(true);
            torStatus.setForeground(Theme.color("Allium.ok.foreground", java.awt.Color.GREEN));
            torStatus.setText(ctx.text("settings.tor.saved"));
        }, e -> {
            saveTor.setEnabled(true);
            torStatus.setForeground(Theme.color("Allium.error.foreground", java.awt.Color.RED));
            torStatus.setText(e instanceof MessengerException ? ctx.format("error.core", e.getMessage())
                    : ctx.text("error.unexpected"));
        });
    }

    /** Shows the tor tab (from the connecting screen's "Tor settings" button). */
    void showTorTab() {
        tabs.setSelectedIndex(1);
    }

    /** Saves our own nickname for future requests (empty: none). */
    void saveNickname() {
        String n = Nickname.typed(nickname.getText());
        if (!Nickname.fits(n)) {
            return;
        }
        saveNickname.setEnabled(false);
        ctx.background().run(() -> session.profile().setNickname(n.isEmpty() ? null : n), () -> {
            saveNickname.setEnabled(true);
            nicknameStatus.setText(ctx.text("settings.nickname.saved"));
            nicknameStatus.setForeground(Theme.color("Allium.ok.foreground", java.awt.Color.GRAY));
        }, e -> {
            saveNickname.setEnabled(true);
            nicknameStatus.setText(e instanceof org.allium.core.api.MessengerException
                    ? ctx.format("error.core", e.getMessage()) : ctx.text("error.unexpected"));
            nicknameStatus.setForeground(Theme.color("Allium.error.foreground", java.awt.Color.RED));
        });
    }
}
