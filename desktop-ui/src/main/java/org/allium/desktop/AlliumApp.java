package org.allium.desktop;

import java.awt.CardLayout;
import java.awt.Dimension;
import java.awt.Frame;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.JPanel;
import javax.swing.KeyStroke;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.MessengerException;
import org.allium.core.api.MessengerState;
import org.allium.core.api.Profile;
import org.allium.core.api.ProfileExistsException;
import org.allium.core.api.ProfileInUseException;
import org.allium.core.api.ProfileNotFoundException;
import org.allium.core.api.Subscription;
import org.allium.core.api.WrongPassphraseException;

/**
 * The desktop app: one window whose content moves through first run / unlock → connecting
 * → main, plus the dialogs. It is a listener of core events (re-posted to the event thread)
 * and runs every core call on the background executor. Event thread only, except where noted.
 */
public final class AlliumApp {
    private static final Logger LOG = Logger.getLogger(AlliumApp.class.getName());

    private final UiContext ctx;
    private final Runnable exit;
    final JFrame frame = new JFrame();
    private final CardLayout cards = new CardLayout();
    private final JPanel root = new JPanel(cards);
    final FirstRunScreen firstRun;
    final UnlockScreen unlock;
    final ConnectingScreen connecting;
    final Notifier notifier;
    /** The urgency hint where the platform has one (issue 13); see {@link org.allium.desktop.notify.Attention}. */
    org.allium.desktop.notify.Attention attention = new org.allium.desktop.notify.Attention(
            org.allium.desktop.notify.Attention.system());
    /** How attention was last asked for (for tests). */
    volatile org.allium.desktop.notify.Attention.Way lastAttention;
    /** Across the main window while tor is lost. */
    final TorBanner torBanner;
    /** Across the main window while the disk is full (issue 12). */
    final org.allium.desktop.store.DiskFullBanner diskFullBanner;
    /** "Back up…" in the menu. */
    final org.allium.desktop.store.BackupAction backup;
    /** "Repair…" on the unlock screen once opening refused a damaged profile. */
    final org.allium.desktop.store.RepairOffer repairOffer;
    /** The profile whose messenger is being started (for "Try again" before a session exists). */
    private Profile starting;
    MainScreen main;
    private final Map<String, JDialog> dialogs = new HashMap<>();
    private Path profileDir;
    /** The open profile and messenger; null while locked. */
    private Session session;
    private Subscription subscription;
    private String shown = "";
    private final List<Consumer<String>> screenListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** @param exit what "quit" does once everything is closed (System.exit in main, nothing in tests) */
    public AlliumApp(UiContext ctx, Runnable exit) {
        this.ctx = ctx;
        this.exit = exit;
        Path defaultDir = ctx.preferences().profileDirectory().orElse(ctx.core().profiles().defaultDirectory());
        firstRun = new FirstRunScreen(ctx, defaultDir, new FirstRunScreen.Listener() {
            @Override
            public void create(Path directory, char[] passphrase, String nickname) {
                AlliumApp.this.create(directory, passphrase, nickname);
            }

            @Override
            public void open(Path directory, char[] passphrase) {
                AlliumApp.this.open(directory, passphrase, firstRun::showError);
            }

            @Override
            public void writeToDropLine() {
                org.allium.desktop.dropline.SourceWindow.open(ctx, frame, ctx.core().drops());
            }
        });
        unlock = new UnlockScreen(ctx, new UnlockScreen.Listener() {
            @Override
            public void unlock(char[] passphrase) {
                AlliumApp.this.open(profileDir, passphrase, unlock::showError);
            }

            @Override
            public void otherProfile() {
                show("firstRun");
            }
        });
        connecting = new ConnectingScreen(ctx, new ConnectingScreen.Listener() {
            @Override
            public void openTorSettings() {
                settings().showTorTab();
            }

            @Override
            public void retry(BridgeChoice.Choice bridgesOrNull) {
                AlliumApp.this.retry(bridgesOrNull);
            }

            @Override
            public void quit() {
                AlliumApp.this.quit();
            }
        });
        notifier = new Notifier(ctx, this::bringToFront, this::quit,
                () -> !frame.isVisible() || (frame.getExtendedState() & Frame.ICONIFIED) != 0);
        root.add(firstRun, "firstRun");
        root.add(unlock, "unlock");
        root.add(connecting, "connecting");
        frame.setTitle(ctx.text("app.name"));
        frame.setIconImages(List.of(Notifier.image(16), Notifier.image(32), Notifier.image(64)));
        torBanner = new TorBanner(ctx, () -> {
            SettingsPanel p = settings();
            if (p != null) {
                p.showTorTab();
            }
        }, this::restartMessenger);
        diskFullBanner = new org.allium.desktop.store.DiskFullBanner(ctx);
        backup = new org.allium.desktop.store.BackupAction(ctx, frame, () -> session == null ? null : session.profile());
        repairOffer = new org.allium.desktop.store.RepairOffer(ctx, frame, () -> profileDir, unlock.passphrase::getPassword);
        unlock.extra.add(repairOffer);
        JPanel banners = new JPanel();
        banners.setLayout(new javax.swing.BoxLayout(banners, javax.swing.BoxLayout.Y_AXIS));
        banners.add(torBanner);
        banners.add(diskFullBanner);
        JPanel outer = new JPanel(new java.awt.BorderLayout());
        outer.add(banners, java.awt.BorderLayout.NORTH);
        outer.add(root, java.awt.BorderLayout.CENTER);
        frame.setContentPane(outer);
        frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        // The X11 urgency hint stays until taken back: the window has the user's attention now.
        frame.addWindowFocusListener(new java.awt.event.WindowAdapter() {
            @Override
            public void windowGainedFocus(java.awt.event.WindowEvent e) {
                attention.clear(frame);
            }
        });
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                closeWindow();
            }
        });
        frame.setMinimumSize(new Dimension(760, 520));
        frame.setSize(1040, 720);
        frame.setLocationRelativeTo(null);
    }

    /** Decides between first run and unlock (a quick disk check in the background), then shows the window. */
    public void start() {
        Path dir = ctx.preferences().profileDirectory().orElse(ctx.core().profiles().defaultDirectory());
        ctx.background().run(() -> ctx.core().profiles().exists(dir), exists -> {
            profileDir = dir;
            unlock.setProfileDirectory(dir);
            show(exists ? "unlock" : "firstRun");
            frame.setVisible(true);
            notifier.install();
        }, e -> {
            show("firstRun");
            frame.setVisible(true);
        });
    }

    private final List<java.util.function.IntConsumer> mainLoadedListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Calls {@code l} (on the event thread) with the number of contacts each time the main
     * window has loaded its contact list: the moment it is usable (for benchmarks).
     */
    public void onMainLoaded(java.util.function.IntConsumer l) {
        mainLoadedListeners.add(l);
    }

    /** Types {@code passphrase} into the unlock screen and presses Unlock (event thread; for benchmarks). */
    public void unlock(char[] passphrase) {
        unlock.passphrase.setText(new String(passphrase));
        unlock.unlock();
    }

    /** Calls {@code l} with the name of each screen shown from now on (for tests and figures). */
    public void onScreenShown(Consumer<String> l) {
        screenListeners.add(l);
    }

    /** The title and text of the last notification shown ("title: text"), or null (for tests). */
    public String lastNotification() {
        Notifier.Note n = notifier.last();
        return n == null ? null : n.title() + ": " + n.text();
    }

    /** The name of the screen shown: firstRun, unlock, connecting or main. */
    public String shownScreen() {
        return shown;
    }

    public JFrame frame() {
        return frame;
    }

    Session session() {
        return session;
    }

    UiContext context() {
        return ctx;
    }

    private void show(String name) {
        cards.show(root, name);
        if (!"main".equals(name)) {
            torBanner.clear();
            diskFullBanner.clear();
        }
        if (!"connecting".equals(name)) {
            connecting.stopWatching();
        }
        shown = name;
        frame.setJMenuBar("main".equals(name) ? menuBar() : null);
        frame.getRootPane().setDefaultButton(switch (name) {
            case "unlock" -> unlock.unlockButton;
            case "firstRun" -> firstRun.tabs.getSelectedIndex() == 0 ? firstRun.createButton : firstRun.openButton;
            default -> null;
        });
        SwingUtilities.invokeLater(() -> {
            switch (name) {
                case "unlock" -> unlock.passphrase.requestFocusInWindow();
                case "firstRun" -> firstRun.passphrase.requestFocusInWindow();
                case "main" -> main.contactList.contactList.requestFocusInWindow();
                default -> { }
            }
        });
        frame.revalidate();
        frame.repaint();
        for (Consumer<String> l : screenListeners) {
            l.accept(name);
        }
    }

    private void create(Path dir, char[] passphrase, String nickname) {
        ctx.background().run(() -> {
            try {
                return ctx.core().profiles().create(dir, passphrase, nickname);
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        }, profile -> opened(profile), e -> firstRun.showError(profileError(e)));
    }

    private void open(Path dir, char[] passphrase, Consumer<String> showError) {
        ctx.background().run(() -> {
            try {
                return ctx.core().profiles().open(dir, passphrase);
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        }, this::opened, e -> {
            showError.accept(profileError(e));
            if (e instanceof org.allium.core.api.ProfileDamagedException d) {
                repairOffer.offer(d);
            }
        });
    }

    String profileError(Exception e) {
        if (e instanceof WrongPassphraseException) {
            return ctx.text("unlock.wrong");
        } else if (e instanceof ProfileInUseException) {
            return ctx.text("profile.inUse");
        } else if (e instanceof ProfileNotFoundException) {
            return ctx.text("profile.notFound");
        } else if (e instanceof ProfileExistsException) {
            return ctx.text("profile.exists");
        } else if (e instanceof MessengerException) {
            return ctx.format("error.core", e.getMessage());
        }
        LOG.log(Level.WARNING, "profile operation failed: " + e.getClass().getName());
        return ctx.text("error.unexpected");
    }

    /** A profile is open: remember where, start the messenger, show progress. */
    private void opened(Profile profile) {
        profileDir = profile.directory();
        ctx.preferences().setProfileDirectory(profileDir);
        ctx.background().run(() -> ctx.preferences().save(), () -> { }, e -> { });
        firstRun.clearPassphrases();
        firstRun.setBusy(false);
        unlock.reset();
        repairOffer.withdraw();
        unlock.setProfileDirectory(profileDir);
        startMessenger(profile);
    }

    private void startMessenger(Profile profile) {
        starting = profile;
        show("connecting");
        connecting.reset();
        ctx.background().run(profile::torSettings, connecting.bridges::load, e -> { });
        ctx.background().run(() -> {
            Messenger m = ctx.core().messengers().apply(profile, profile.torSettings());
            return m;
        }, m -> {
            session = new Session(profile, m);
            subscription = m.subscribe(ev -> SwingUtilities.invokeLater(() -> onEvent(m, ev)));
            main = new MainScreen(ctx, session, mainDialogs(), n -> {
                updateTitle();
                for (java.util.function.IntConsumer l : mainLoadedListeners) {
                    l.accept(n);
                }
            });
            root.add(main, "main");
            main.dropLine.onNewSubmission(() -> notifier.show(Notifier.forDropSubmission(ctx)));
            if (main.groups != null) {
                main.groups.onUnreadChanged(this::updateTitle);
                main.groups.onAlert(a -> {
                    notifier.show(Notifier.forGroup(ctx, a));
                    lastAttention = attention.request(frame);
                });
            }
            main.contactList.contacts.addListDataListener(new javax.swing.event.ListDataListener() {
                @Override
                public void intervalAdded(javax.swing.event.ListDataEvent e) {
                    updateTitle();
                }

                @Override
                public void intervalRemoved(javax.swing.event.ListDataEvent e) {
                    updateTitle();
                }

                @Override
                public void contentsChanged(javax.swing.event.ListDataEvent e) {
                    updateTitle();
                }
            });
            ctx.background().run(m::start, () -> {
                if (m.state() == MessengerState.RUNNING && !"main".equals(shown)) {
                    showMain();
                }
            }, e -> connecting.problem(new MessengerEvent.TorProblem(
                    MessengerEvent.TorProblem.Kind.START_FAILED, String.valueOf(e.getMessage()))));
        }, e -> connecting.problem(new MessengerEvent.TorProblem(
                MessengerEvent.TorProblem.Kind.START_FAILED, String.valueOf(e.getMessage()))));
    }

    private void showMain() {
        main.load();
        show("main");
        diskFullBanner.show(session.messenger().diskSpaceNeeded()); // full before the window was shown
    }

    private void onEvent(Messenger source, MessengerEvent ev) {
        if (session == null || session.messenger() != source) {
            return; // an event of a messenger we already stopped
        }
        if (ev instanceof MessengerEvent.Ready
                || (ev instanceof MessengerEvent.TorProgress tp && tp.percent() >= 100)) {
            torBanner.clear();
        }
        if (ev instanceof MessengerEvent.TorProgress p) {
            connecting.progress(p);
            // Tor is bootstrapped: the contacts and history are usable now (sending queues)
            // while our onion services are still being published; the toolbar says so.
            if (p.percent() >= 100 && "connecting".equals(shown)) {
                showMain();
            }
        } else if (ev instanceof MessengerEvent.TorProblem p) {
            connecting.problem(p);
            if ("main".equals(shown)) {
                torBanner.show(p);
            }
        } else if (ev instanceof MessengerEvent.Ready && !"main".equals(shown)) {
            showMain();
        } else if (ev instanceof MessengerEvent.RequestReceived) {
            notifier.show(Notifier.forRequest(ctx));
            lastAttention = attention.request(frame);
        } else if (ev instanceof MessengerEvent.MessageReceived m) {
            Contact shownContact = main.conversation.contact();
            boolean visible = frame.isActive() && shownContact != null && shownContact.id().equals(m.message().contact());
            if (!visible) {
                notifier.show(Notifier.forMessage(ctx, main.contactList.find(m.message().contact()), m.message()));
                lastAttention = attention.request(frame);
            }
        }
        diskFullBanner.onEvent(ev);
        main.onEvent(ev);
        updateTitle();
    }

    /** "(3) Allium" while messages are unread: visible in the task bar without a tray. */
    void updateTitle() {
        int unread = main == null || session == null ? 0 : main.contactList.totalUnread()
                + (main.groups == null ? 0 : main.groups.totalUnread());
        frame.setTitle(unread > 0 ? ctx.format("app.title.unread", unread) : ctx.text("app.name"));
    }

    private MainScreen.Dialogs mainDialogs() {
        return new MainScreen.Dialogs() {
            @Override
            public void addContact() {
                AlliumApp.this.addContact();
            }

            @Override
            public void identity() {
                AlliumApp.this.identity();
            }

            @Override
            public void settings() {
                AlliumApp.this.settings();
            }

            @Override
            public void request(ContactRequest request) {
                AlliumApp.this.request(request);
            }

            @Override
            public void verify(Contact contact) {
                AlliumApp.this.verify(contact);
            }

            @Override
            public void rename(org.allium.core.api.ContactId id, String current) {
                AlliumApp.this.rename(id, current);
            }
        };
    }

    private JMenuBar menuBar() {
        JMenuBar bar = new JMenuBar();
        JMenu app = Ui.mnemonic(new JMenu(), ctx.text("menu.allium"));
        app.add(item("menu.identity", KeyEvent.VK_I, this::identity));
        app.add(item("menu.add", KeyEvent.VK_N, this::addContact));
        app.add(item("menu.settings", KeyEvent.VK_COMMA, this::settings));
        app.add(backup.menuItem());
        app.addSeparator();
        app.add(item("menu.lock", KeyEvent.VK_L, this::lock));
        app.add(item("menu.close", KeyEvent.VK_W, this::closeWindow));
        app.add(item("menu.quit", KeyEvent.VK_Q, this::quit));
        bar.add(app);
        return bar;
    }

    private JMenuItem item(String key, int accelerator, Runnable r) {
        JMenuItem i = Ui.mnemonic(new JMenuItem(), ctx.text(key));
        i.setAccelerator(KeyStroke.getKeyStroke(accelerator, java.awt.Toolkit.getDefaultToolkit().getMenuShortcutKeyMaskEx()));
        i.addActionListener(e -> r.run());
        return i;
    }

    private JDialog dialog(String key, String title, JComponent content, JButton defaultButton) {
        JDialog old = dialogs.remove(key);
        if (old != null) {
            old.dispose();
        }
        JDialog d = DialogWindow.show(frame, title, content, defaultButton);
        dialogs.put(key, d);
        return d;
    }

    private void closeDialog(String key) {
        JDialog d = dialogs.remove(key);
        if (d != null) {
            d.dispose();
        }
    }

    JDialog openDialog(String key) {
        JDialog d = dialogs.get(key);
        return d != null && d.isDisplayable() ? d : null;
    }

    void identity() {
        if (session == null) {
            return;
        }
        IdentityPanel p = new IdentityPanel(ctx, session.messenger().myIdentity(), () -> closeDialog("identity"));
        dialog("identity", Ui.plain(ctx.text("identity.title")), p, p.close);
    }

    void addContact() {
        if (session == null) {
            return;
        }
        AddContactPanel p = new AddContactPanel(ctx, session.messenger(), session.messenger().myIdentity().nickname(),
                main.contactList::knows, () -> {
                    closeDialog("add");
                    main.load();
                }, () -> closeDialog("add"));
        dialog("add", Ui.plain(ctx.text("add.title")), p, p.send);
    }

    void request(ContactRequest r) {
        if (session == null) {
            return;
        }
        RequestPanel p = new RequestPanel(ctx, session.messenger(), r, main.contactList.lookalike(r.id()), () -> {
            closeDialog("request");
            main.load();
        }, () -> {
            closeDialog("request");
            rename(r.id(), r.direction() == org.allium.core.api.Direction.INCOMING ? r.nickname()
                    : r.localName() == null ? "" : r.localName());
        });
        dialog("request", Ui.plain(ctx.text("request.window")), p, p.defaultButton());
    }

    void verify(Contact c) {
        if (session == null || c == null) {
            return;
        }
        Messenger m = session.messenger();
        VerifyPanel[] holder = new VerifyPanel[1];
        holder[0] = new VerifyPanel(ctx, c, m.myIdentity(), () -> ctx.background().run(() -> {
            m.markVerified(c.id());
            return m.contact(c.id());
        }, fresh -> {
            closeDialog("verify");
            main.onEvent(new MessengerEvent.ContactChanged(fresh));
        }, e -> holder[0].error.setText(e instanceof MessengerException
                ? ctx.format("error.core", e.getMessage()) : ctx.text("error.unexpected"))),
                () -> closeDialog("verify"));
        dialog("verify", Ui.plain(ctx.text("verify.window")), holder[0], holder[0].confirm);
    }

    /** Our own name for a contact or request (local only). */
    void rename(org.allium.core.api.ContactId id, String current) {
        if (session == null) {
            return;
        }
        Messenger m = session.messenger();
        RenamePanel[] holder = new RenamePanel[1];
        holder[0] = new RenamePanel(ctx, org.allium.core.api.DisplayText.name(current), name -> ctx.background().run(
                () -> m.rename(id, name), () -> {
                    closeDialog("rename");
                    main.load();
                }, e -> holder[0].showError(e instanceof MessengerException
                        ? ctx.format("error.core", e.getMessage()) : ctx.text("error.unexpected"))),
                () -> closeDialog("rename"));
        dialog("rename", Ui.plain(ctx.text("rename.window")), holder[0], holder[0].save);
    }

    SettingsPanel settings() {
        if (session == null) {
            return null;
        }
        SettingsPanel p = new SettingsPanel(ctx, session, security(), this::applyTheme, () -> closeDialog("settings"));
        dialog("settings", Ui.plain(ctx.text("settings.title")), p, p.close);
        return p;
    }

    private void applyTheme(ThemeChoice t) {
        Theme.install(t);
    }

    private SettingsPanel.Security security() {
        return new SettingsPanel.Security() {
            @Override
            public void changePassphrase(char[] oldPassphrase, char[] newPassphrase, Consumer<String> done) {
                AlliumApp.this.changePassphrase(oldPassphrase, newPassphrase, done);
            }

            @Override
            public void panicWipe() {
                AlliumApp.this.confirmWipe();
            }
        };
    }

    /** Closes the session on the calling (background) thread: stop the messenger, then close the profile. */
    private static void closeSession(Session s, Subscription sub) {
        if (sub != null) {
            sub.close();
        }
        s.messenger().stop();
        s.profile().close();
    }

    private void changePassphrase(char[] old, char[] fresh, Consumer<String> done) {
        Session s = session;
        if (s == null) {
            done.accept(ctx.text("error.unexpected"));
            return;
        }
        Subscription sub = subscription;
        detach();
        Path dir = s.profile().directory();
        ctx.background().run(() -> {
            closeSession(s, sub);
            try {
                ctx.core().profiles().changePassphrase(dir, old, fresh);
                return ctx.core().profiles().open(dir, fresh);
            } finally {
                Arrays.fill(old, '\0');
                Arrays.fill(fresh, '\0');
            }
        }, profile -> {
            done.accept(null);
            startMessenger(profile);
        }, e -> {
            // The old passphrase was wrong (or the store failed): the profile is closed now
            // and we do not keep passphrases in memory, so the user unlocks it again.
            closeAllDialogs();
            unlock.reset();
            show("unlock");
            unlock.showError(e instanceof WrongPassphraseException ? ctx.text("settings.passphrase.wrongOld")
                    : profileError(e));
        });
    }

    private void confirmWipe() {
        JDialog owner = openDialog("settings");
        if (Ui.confirmDanger(owner != null ? owner : frame, ctx.text("wipe.confirm.title"),
                Ui.wrapped(ctx.text("wipe.confirm.text"), 360), ctx.text("wipe.confirm.yes"),
                ctx.text("common.cancel"))) {
            panicWipe();
        }
    }

    /** Stops everything and deletes the profile; ends on the first-run screen. */
    void panicWipe() {
        Session s = session;
        if (s == null) {
            return;
        }
        Subscription sub = subscription;
        detach();
        closeAllDialogs();
        show("connecting");
        connecting.reset();
        Path dir = s.profile().directory();
        ctx.background().run(() -> {
            closeSession(s, sub);
            ctx.core().profiles().wipe(dir);
        }, () -> show("firstRun"), e -> {
            show("firstRun");
            firstRun.showError(profileError(e));
        });
    }

    private void detach() {
        if (main != null) {
            main.files.stop();
            main.dropLine.stop();
            if (main.groups != null) {
                main.groups.stop();
            }
            root.remove(main);
        }
        session = null;
        subscription = null;
        updateTitle();
    }

    private void closeAllDialogs() {
        for (JDialog d : dialogs.values()) {
            d.dispose();
        }
        dialogs.clear();
    }

    /** "Try again" on the connecting screen: with a bridge choice, saved in the profile first, then tor restarts. */
    private void retry(BridgeChoice.Choice bridges) {
        Session s = session;
        Profile p = s != null ? s.profile() : starting;
        if (bridges == null || p == null) {
            restartMessenger();
            return;
        }
        Subscription sub = subscription;
        detach();
        connecting.reset();
        ctx.background().run(() -> {
            if (s != null) {
                if (sub != null) {
                    sub.close();
                }
                s.messenger().stop();
            }
            p.setTorSettings(BridgeChoice.apply(p.torSettings(), bridges));
        }, () -> startMessenger(p), e -> connecting.problem(new MessengerEvent.TorProblem(
                MessengerEvent.TorProblem.Kind.START_FAILED, String.valueOf(e.getMessage()))));
    }

    private void restartMessenger() {
        Session s = session;
        Subscription sub = subscription;
        if (s == null) {
            return;
        }
        detach();
        connecting.reset();
        ctx.background().run(() -> {
            if (sub != null) {
                sub.close();
            }
            s.messenger().stop();
        }, () -> startMessenger(s.profile()), e -> startMessenger(s.profile()));
    }

    /**
     * Locks without quitting: the messenger stops, the profile closes (its keys leave memory
     * with it) and the passphrase screen returns; unlocking opens it again.
     */
    void lock() {
        Session s = session;
        Subscription sub = subscription;
        if (s == null) {
            return;
        }
        detach();
        closeAllDialogs();
        unlock.reset();
        unlock.setProfileDirectory(s.profile().directory());
        show("unlock");
        unlock.setBusy(true); // until the profile is really closed (else: "in use")
        ctx.background().run(() -> closeSession(s, sub), () -> {
            unlock.setBusy(false);
            unlock.passphrase.requestFocusInWindow();
        }, e -> unlock.setBusy(false));
    }

    /**
     * The window's close button: while a profile is open and a tray or notification service
     * can reach the user, Allium keeps running in the background (told once, the first
     * time); otherwise it quits.
     */
    void closeWindow() {
        if (session == null || !notifier.reachesUserInBackground()) {
            quit();
        } else if (!ctx.preferences().backgroundNoticeShown()) {
            backgroundNotice();
        } else {
            toBackground();
        }
    }

    /** The first-time notice: Allium stays online; how to come back and how to quit. */
    void backgroundNotice() {
        BackgroundNoticePanel p = new BackgroundNoticePanel(ctx, notifier.hasTray(), () -> {
            ctx.preferences().setBackgroundNoticeShown(true);
            ctx.background().run(() -> ctx.preferences().save(), () -> { }, e -> { });
            closeDialog("background");
            toBackground();
        }, this::quit);
        dialog("background", Ui.plain(ctx.text("background.window")), p, p.keepRunning);
    }

    /** Hides the window; the messenger stays online and notifications bring it back. */
    void toBackground() {
        closeAllDialogs();
        frame.setVisible(false);
    }

    /** Whether the window is hidden while Allium runs on (for tests). */
    boolean inBackground() {
        return session != null && !frame.isVisible();
    }

    /** Another start on the same profile asked to be shown (single instance): the window comes back. */
    void showFromElsewhere() {
        bringToFront();
        frame.requestFocus();
    }

    private void bringToFront() {
        frame.setVisible(true);
        frame.setExtendedState(frame.getExtendedState() & ~Frame.ICONIFIED);
        frame.toFront();
    }

    /** Stops the messenger and closes the profile in the background, then closes the window and exits. */
    public void quit() {
        Session s = session;
        Subscription sub = subscription;
        detach();
        closeAllDialogs();
        frame.setVisible(false);
        notifier.remove();
        ctx.background().run(() -> {
            if (s != null) {
                closeSession(s, sub);
            }
        }, this::finish, e -> finish());
    }

    private void finish() {
        frame.dispose();
        exit.run();
    }
}
