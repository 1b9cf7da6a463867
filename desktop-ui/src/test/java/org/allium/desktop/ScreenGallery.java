package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.CLOCK;
import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;

import java.awt.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.Direction;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.MessengerEvent;

/**
 * Drives a fake-backed app into each main screen and dialog, for the screenshot and
 * accessibility tests. Every method starts a fresh app; {@link #close} disposes it.
 */
final class ScreenGallery {
    /** A window showing one screen. */
    record Shot(String name, Window window, AlliumApp app) {
    }

    interface Visitor {
        void visit(Shot shot) throws Exception;
    }

    static final String PASS = "correct horse battery staple";
    private final Locale locale;

    ScreenGallery(Locale locale) {
        this.locale = locale;
    }

    /** Visits every main screen and dialog, one fresh app each, disposing them afterwards. */
    void each(Visitor v) throws Exception {
        visit(v, firstRun());
        visit(v, firstRunNicknameTooLong());
        visit(v, unlockWrong());
        visit(v, connectingStuck());
        visit(v, connectingNoProgress());
        AlliumApp main = populatedMain();
        v.visit(new Shot("main", main.frame(), main));
        for (String dialog : new String[] {"identity", "add", "add-unnamed", "request", "verify", "settings",
                "settings-profile", "settings-appearance", "settings-security", "rename", "background"}) {
            Window w = openDialog(main, dialog);
            v.visit(new Shot("dialog-" + dialog, w, main));
            edt(w::dispose);
        }
        // Issue 13: searching the open conversation.
        edt(() -> main.main.conversation.search.setText("document"));
        v.visit(new Shot("main-search", main.frame(), main));
        edt(() -> main.main.conversation.search.setText(""));
        // Issue 13: while strangers cannot reach us, the main window says so.
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> main.session().messenger());
        m.setAcceptingContacts(false);
        waitFor("not accepting shown", () -> main.main.notAccepting.isShowing());
        v.visit(new Shot("main-not-accepting", main.frame(), main));
        // Issue 14: file transfers in the conversation, offered, in progress, done.
        FileShots files = new FileShots(main, FileShots.tempDir(), locale);
        files.offers();
        v.visit(new Shot("main-file-offer", main.frame(), main));
        files.progress();
        v.visit(new Shot("main-file-progress", main.frame(), main));
        files.done();
        v.visit(new Shot("main-file-done", main.frame(), main));
        // Issue 15: a received picture saved as a cleaned copy (mat2), the metadata note under it.
        files.cleaned();
        v.visit(new Shot("main-file-cleaned", main.frame(), main));
        // Issue 13: tor lost while the main window is in use: a banner with the actions.
        m.emit(new MessengerEvent.TorProblem(MessengerEvent.TorProblem.Kind.TOR_EXITED, "tor exited"));
        m.drain();
        waitFor("tor banner", () -> main.torBanner.isShowing());
        v.visit(new Shot("main-tor-lost", main.frame(), main));
        close(main);
    }

    /** Issue 13: no bootstrap progress for a while — said plainly, bridges offered. */
    Shot connectingNoProgress() throws Exception {
        FakeCore core = new FakeCore(CLOCK);
        core.bootstrapCompletes = false;
        core.create(core.defaultDirectory(), PASS.toCharArray(), "Ana").close();
        AlliumApp app = app(core);
        edt(() -> app.connecting.stallMillis = 300);
        unlock(app);
        waitFor("no progress said", () -> app.connecting.stalledShown());
        return new Shot("connecting-no-progress", app.frame(), app);
    }

    private static void visit(Visitor v, Shot s) throws Exception {
        try {
            v.visit(s);
        } finally {
            close(s.app());
        }
    }

    static void close(AlliumApp app) {
        UiTestSupport.disposeAllWindows();
    }

    AlliumApp app(FakeCore core) {
        UiContext ctx = UiTestSupport.context(core.access(), locale);
        AlliumApp app = onEdt(() -> new AlliumApp(ctx, () -> { }));
        edt(app::start);
        waitFor("window shown", () -> app.frame().isShowing());
        return app;
    }

    Shot firstRun() {
        AlliumApp app = app(new FakeCore(CLOCK));
        edt(() -> {
            app.firstRun.nickname.setText("Ana");
            app.firstRun.passphrase.setText("purple river");
            app.firstRun.confirm.setText("purple");
        });
        return new Shot("first-run", app.frame(), app);
    }

    /** Issue 13: a nickname over the limit is refused on the first screen, as it is typed. */
    Shot firstRunNicknameTooLong() {
        AlliumApp app = app(new FakeCore(CLOCK));
        edt(() -> app.firstRun.nickname.setText("Ana Maria Popescu-Ionescu, investigative desk, night shift, room 4"));
        return new Shot("first-run-nickname-too-long", app.frame(), app);
    }

    Shot unlockWrong() throws Exception {
        FakeCore core = new FakeCore(CLOCK);
        core.create(core.defaultDirectory(), PASS.toCharArray(), "Ana").close();
        AlliumApp app = app(core);
        waitFor("unlock screen", () -> "unlock".equals(app.shownScreen()));
        edt(() -> {
            app.unlock.passphrase.setText("wrong guess");
            app.unlock.unlock();
        });
        waitFor("wrong passphrase message", () -> !app.unlock.error.getText().isBlank());
        return new Shot("unlock-wrong-passphrase", app.frame(), app);
    }

    Shot connectingStuck() throws Exception {
        FakeCore core = new FakeCore(CLOCK);
        core.bootstrapCompletes = false;
        core.problemOnStart = new MessengerEvent.TorProblem(MessengerEvent.TorProblem.Kind.BOOTSTRAP_STUCK,
                "No bootstrap progress for 2 minutes.");
        core.create(core.defaultDirectory(), PASS.toCharArray(), "Ana").close();
        AlliumApp app = app(core);
        unlock(app);
        waitFor("problem shown", () -> app.connecting.problemShown());
        return new Shot("connecting-stuck", app.frame(), app);
    }

    static void unlock(AlliumApp app) {
        waitFor("unlock screen", () -> "unlock".equals(app.shownScreen()));
        edt(() -> {
            app.unlock.passphrase.setText(PASS);
            app.unlock.unlock();
        });
    }

    /** The main window with contacts, both kinds of request and a conversation in every status. */
    AlliumApp populatedMain() throws Exception {
        FakeCore core = new FakeCore(CLOCK);
        core.create(core.defaultDirectory(), PASS.toCharArray(), "Ana").close();
        AlliumApp app = app(core);
        unlock(app);
        waitFor("main screen", () -> "main".equals(app.shownScreen()));
        FakeCore.FakeMessenger m = core.last();
        Contact bogdan = m.addContact("Bogdan (newsroom)", true, 0, true);
        m.addContact("Camille", false, 3, false);
        m.addContact("Drop line tips", true, 0, false);
        m.addContact("Elena", false, 0, true);
        Instant t = CLOCK.instant().minus(Duration.ofMinutes(40));
        m.store(bogdan.id(), Direction.INCOMING, "Hi. I got your address from the card you left.",
                t.minus(Duration.ofDays(1)), MessageStatus.DELIVERED);
        m.store(bogdan.id(), Direction.OUTGOING, "Thanks for writing. Can you tell me roughly what this is about?",
                t.plusSeconds(120), MessageStatus.DELIVERED);
        m.store(bogdan.id(), Direction.INCOMING, "Contracts at the port authority. I have documents.\n"
                + "I can't talk on the phone.", t.plusSeconds(600), MessageStatus.DELIVERED);
        m.store(bogdan.id(), Direction.OUTGOING, "Understood. We only use Allium from now on.",
                t.plusSeconds(900), MessageStatus.DELIVERED);
        m.store(bogdan.id(), Direction.OUTGOING, "Take your time, nothing is stored on any server.",
                t.plusSeconds(1500), MessageStatus.SENT);
        m.store(bogdan.id(), Direction.OUTGOING, "When could you share the first document?", t.plusSeconds(1800),
                MessageStatus.FAILED);
        m.store(bogdan.id(), Direction.OUTGOING, "I'll be online tonight.", t.plusSeconds(2000), MessageStatus.QUEUED);
        m.receiveRequest("Source 7", "I work at the ministry; I'd like to talk about the tender.");
        m.sendContactRequest(FakeCore.serviceId(new byte[32]), "Ana", "Hello from Ana");
        // A stranger whose name looks like a contact's (Cyrillic В and о, zero for o): shown with a warning.
        m.receiveRequest("Вogdan (newsr0оm)", "It's me, Bogdan, new address. Please accept.");
        m.drain();
        edt(app.main::load);
        waitFor("contacts listed", () -> app.main.contactList.contacts.size() == 4
                && app.main.contactList.requests.size() == 3);
        edt(() -> app.main.contactList.select(bogdan.id()));
        waitFor("conversation shown", () -> app.main.conversation.bubbles().size() == 7);
        return app;
    }

    static Window openDialog(AlliumApp app, String which) {
        edt(() -> {
            switch (which) {
                case "identity" -> app.identity();
                case "add" -> {
                    app.addContact();
                    AddContactPanel p = (AddContactPanel) app.openDialog("add").getContentPane();
                    p.address.setText("allium:this-is-not-an-address");
                    p.message.setText("Hello, we met at the conference.");
                }
                case "add-unnamed" -> {
                    app.addContact();
                    AddContactPanel p = (AddContactPanel) app.openDialog("add").getContentPane();
                    p.address.setText("allium:" + FakeCore.serviceId(java.util.Arrays.copyOf(new byte[] {7, 7, 7}, 32)));
                    p.nickname.setText("");
                    p.message.setText("I have documents about the port tender.");
                }
                case "request" -> {
                    ContactRequest r = null;
                    for (int i = 0; i < app.main.contactList.requests.size(); i++) {
                        if (app.main.contactList.requests.get(i).direction() == Direction.INCOMING) {
                            r = app.main.contactList.requests.get(i);
                        }
                    }
                    app.request(r);
                }
                case "verify" -> app.verify(app.main.conversation.contact());
                case "rename" -> app.rename(app.main.conversation.contact().id(), app.main.conversation.contact().nickname());
                case "settings" -> app.settings().showTorTab();
                case "settings-profile" -> app.settings().tabs.setSelectedIndex(2);
                case "background" -> app.backgroundNotice();
                case "settings-appearance" -> app.settings().tabs.setSelectedIndex(0);
                case "settings-security" -> app.settings().tabs.setSelectedIndex(4);
                default -> throw new IllegalArgumentException(which);
            }
        });
        String key = which.startsWith("add") ? "add" : which.startsWith("settings") ? "settings" : which;
        waitFor("dialog " + which, () -> app.openDialog(key) != null && app.openDialog(key).isShowing());
        return onEdt(() -> app.openDialog(key));
    }


}
