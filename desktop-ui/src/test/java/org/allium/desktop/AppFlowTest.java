package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.CLOCK;
import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.util.Locale;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.Message;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.TorSettings;
import org.junit.jupiter.api.Test;

/** The app's flows in a real window against a fake core (tor is not involved here). */
class AppFlowTest extends UiTest {
    @Test
    void firstRunCreatesAProfileAndReachesTheMainWindow() throws Exception {
        FakeCore core = new FakeCore(CLOCK);
        app = gallery.app(core);
        assertEquals("firstRun", onEdt(app::shownScreen));
        // Too short, then mismatched: clear messages, nothing created.
        edt(() -> {
            app.firstRun.passphrase.setText("short");
            app.firstRun.confirm.setText("short");
            app.firstRun.create();
        });
        assertTrue(onEdt(() -> app.firstRun.createError.getText().contains("at least 8")));
        edt(() -> {
            app.firstRun.passphrase.setText("correct horse battery staple");
            app.firstRun.confirm.setText("correct horse battery stapel");
            app.firstRun.create();
        });
        assertEquals("The two passphrases are not the same.", onEdt(app.firstRun.createError::getText));
        assertFalse(core.exists(core.defaultDirectory()));
        edt(() -> app.firstRun.confirm.setText("correct horse battery staple"));
        assertEquals("The passphrases match.", onEdt(app.firstRun.matchLabel::getText));
        assertTrue(onEdt(() -> UiTestSupport.showsText(app.firstRun, "Strong.")));
        edt(() -> {
            app.firstRun.nickname.setText("Ana");
            app.firstRun.create();
        });
        waitFor("main window", () -> "main".equals(app.shownScreen()));
        assertTrue(core.exists(core.defaultDirectory()));
        assertEquals("Ana", core.last().myIdentity().nickname());
        assertEquals("", onEdt(() -> new String(app.firstRun.passphrase.getPassword())),
                "the passphrase must not stay in the form");
        // The tor status comes from the messenger's events (invokeLater), not with the screen: wait for it.
        waitFor("the main window says connected", () -> "Connected to Tor".equals(app.main.torStatus.getText()));
    }

    @Test
    void wrongPassphraseSaysSoAndTheRightOneUnlocks() throws Exception {
        ScreenGallery.Shot shot = gallery.unlockWrong();
        app = shot.app();
        assertEquals("That passphrase is not right. Check Caps Lock and try again.",
                onEdt(app.unlock.error::getText));
        assertEquals("unlock", onEdt(app::shownScreen));
        ScreenGallery.unlock(app);
        waitFor("main window", () -> "main".equals(app.shownScreen()));
    }

    @Test
    void torMissingSaysWhatToDoWithoutAStackTrace() throws Exception {
        FakeCore core = new FakeCore(CLOCK);
        core.bootstrapCompletes = false;
        core.problemOnStart = new MessengerEvent.TorProblem(MessengerEvent.TorProblem.Kind.TOR_MISSING,
                "No tor binary found.");
        core.create(core.defaultDirectory(), ScreenGallery.PASS.toCharArray(), null).close();
        app = gallery.app(core);
        ScreenGallery.unlock(app);
        waitFor("problem shown", () -> app.connecting.problemShown());
        String title = onEdt(app.connecting.problemTitle::getText);
        String advice = onEdt(app.connecting.problemAdvice::getText);
        assertEquals("Tor is not installed", title);
        assertTrue(advice.contains("sudo apt install tor"), advice);
        assertFalse(advice.contains("Exception") || advice.contains("\tat "), advice);
        assertEquals("Downloading the list of Tor relays", onEdt(app.connecting.stage::getText));
        assertEquals(45, (int) onEdt(app.connecting.progress::getValue));
        // "Tor settings…" opens the settings on the Tor tab.
        edt(() -> UiTestSupport.button(app.connecting, "Tor settings…").doClick());
        waitFor("settings", () -> app.openDialog("settings") != null);
        SettingsPanel s = onEdt(() -> (SettingsPanel) app.openDialog("settings").getContentPane());
        assertEquals(1, (int) onEdt(s.tabs::getSelectedIndex));
    }

    @Test
    void addContactValidatesAsYouTypeAndSendsTheRequest() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger m = coreOf();
        ScreenGallery.openDialog(app, "add");
        AddContactPanel p = onEdt(() -> (AddContactPanel) app.openDialog("add").getContentPane());
        assertEquals("An address has exactly 56 characters after \"allium:\".", onEdt(p.addressStatus::getText));
        edt(() -> p.address.setText("bob@example.org"));
        assertEquals("An address starts with \"allium:\", or is 56 characters ending in .onion.",
                onEdt(p.addressStatus::getText));
        edt(() -> p.address.setText("allium:" + "0".repeat(56)));
        assertEquals("An address only contains the letters a to z and the digits 2 to 7.",
                onEdt(p.addressStatus::getText));
        assertFalse(onEdt(p.send::isEnabled));
        String good = FakeCore.serviceId(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
                19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        String typo = good.substring(0, 10) + (good.charAt(10) == 'a' ? 'b' : 'a') + good.substring(11);
        edt(() -> p.address.setText("allium:" + typo));
        assertEquals("This address has a typo: one or more characters are wrong.", onEdt(p.addressStatus::getText));
        edt(() -> p.address.setText("allium:" + good.substring(0, 50)));
        assertEquals("An address has exactly 56 characters after \"allium:\".", onEdt(p.addressStatus::getText));
        edt(() -> p.address.setText("allium:" + m.myIdentity().serviceId()));
        assertEquals("This is your own address.", onEdt(p.addressStatus::getText));
        edt(() -> p.address.setText("  ALLIUM:" + good.toUpperCase(Locale.ROOT) + " "));
        assertEquals("This is a valid address.", onEdt(p.addressStatus::getText));
        assertTrue(onEdt(p.send::isEnabled));
        edt(() -> p.send.doClick());
        waitFor("dialog closed", () -> app.openDialog("add") == null);
        waitFor("outgoing request listed", () -> {
            for (int i = 0; i < app.main.contactList.requests.size(); i++) {
                if (app.main.contactList.requests.get(i).serviceId().equals(good)) {
                    return true;
                }
            }
            return false;
        });
    }

    @Test
    void incomingRequestCanBeAcceptedAndTheContactAppears() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger m = coreOf();
        ContactRequest r = m.receiveRequest("Source 9", "hello");
        waitFor("request listed", () -> contains(app.main.contactList.requests, r));
        edt(() -> app.request(r));
        RequestPanel p = onEdt(() -> (RequestPanel) app.openDialog("request").getContentPane());
        assertTrue(onEdt(() -> UiTestSupport.showsText(p, "Source 9 wants to be your contact")));
        edt(() -> p.accept.doClick());
        waitFor("contact added", () -> app.main.contactList.find(r.id()) != null
                && !contains(app.main.contactList.requests, r));
        waitFor("dialog closed", () -> app.openDialog("request") == null);
        // Block closes the request too; the requester stays listed as blocked (as core does), to unblock later.
        ContactRequest r2 = m.receiveRequest("Spam", "buy now");
        waitFor("second request listed", () -> contains(app.main.contactList.requests, r2));
        edt(() -> app.request(r2));
        RequestPanel p2 = onEdt(() -> (RequestPanel) app.openDialog("request").getContentPane());
        edt(() -> p2.block.doClick());
        waitFor("blocked request gone", () -> !contains(app.main.contactList.requests, r2));
        waitFor("blocked requester listed", () -> app.main.contactList.find(r2.id()) != null
                && app.main.contactList.find(r2.id()).state() == org.allium.core.api.ContactState.BLOCKED);
        assertEquals("New contact request", onEdt(() -> app.notifier.last().text()));
    }

    @Test
    void enterSendsShiftEnterBreaksAndStatusesFollowUpToDeliveredAndRetry() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger m = coreOf();
        Composer c = onEdt(() -> app.main.conversation.composer);
        Contact shown = onEdt(app.main.conversation::contact);
        edt(() -> {
            c.area.requestFocusInWindow();
            c.area.setText("first line");
            c.area.setCaretPosition(c.area.getText().length());
            key(c, KeyEvent.VK_ENTER, InputEvent.SHIFT_DOWN_MASK);
            c.area.replaceSelection("second line");
        });
        assertEquals("first line\nsecond line", onEdt(c.area::getText));
        assertEquals("22 / 4000", onEdt(c.counter::getText));
        int before = onEdt(() -> app.main.conversation.bubbles().size());
        edt(() -> key(c, KeyEvent.VK_ENTER, 0));
        waitFor("message shown", () -> app.main.conversation.bubbles().size() == before + 1);
        assertEquals("", onEdt(c.area::getText));
        Message sent = onEdt(() -> app.main.conversation.bubbles().get(before).message());
        assertEquals("first line\nsecond line", sent.text());
        assertEquals(MessageStatus.QUEUED, sent.status());
        assertTrue(onEdt(() -> app.main.conversation.bubbles().get(before).meta.getText().endsWith("Queued")));
        for (MessageStatus s : new MessageStatus[] {MessageStatus.SENT, MessageStatus.DELIVERED}) {
            m.setStatus(shown.id(), sent.id(), s);
            waitFor("status " + s, () -> app.main.conversation.bubble(sent.id()).message().status() == s);
        }
        assertTrue(onEdt(() -> app.main.conversation.bubble(sent.id()).meta.getText().endsWith("Delivered")));
        m.setStatus(shown.id(), sent.id(), MessageStatus.FAILED);
        waitFor("retry shown", () -> app.main.conversation.bubble(sent.id()).retry.isVisible());
        assertTrue(onEdt(() -> app.main.conversation.bubble(sent.id()).meta.getText().endsWith("Not sent")));
        edt(() -> app.main.conversation.bubble(sent.id()).retry.doClick());
        waitFor("queued again", () -> app.main.conversation.bubble(sent.id()).message().status() == MessageStatus.QUEUED
                && !app.main.conversation.bubble(sent.id()).retry.isVisible());
        // Over the limit: the counter says so and Send is disabled.
        edt(() -> c.area.setText("x".repeat(Composer.LIMIT + 1)));
        assertFalse(onEdt(c.send::isEnabled));
        assertEquals("4001 / 4000", onEdt(c.counter::getText));
    }

    @Test
    void incomingMessagesCountAsUnreadAndNotifyWithoutContent() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger m = coreOf();
        Contact other = onEdt(() -> {
            for (int i = 0; i < app.main.contactList.contacts.size(); i++) {
                Contact c = app.main.contactList.contacts.get(i);
                if (c.nickname().equals("Elena")) {
                    return c;
                }
            }
            return null;
        });
        assertNotNull(other);
        m.receive(other.id(), "secret content");
        waitFor("unread badge", () -> app.main.contactList.find(other.id()).unread() == 1);
        assertEquals("New message", onEdt(() -> app.notifier.last().text()));
        assertFalse(onEdt(() -> app.notifier.last().title() + app.notifier.last().text()).contains("Elena"));
        edt(() -> app.main.contactList.select(other.id()));
        waitFor("message shown and read", () -> app.main.conversation.bubbles().size() == 1
                && app.main.contactList.find(other.id()).unread() == 0);
        m.setOnline(other.id(), true);
        waitFor("presence", () -> app.main.contactList.find(other.id()).online()
                && app.main.conversation.presence.getText().equals("online"));
    }

    @Test
    void verifyingTheFingerprintMarksTheContactVerified() throws Exception {
        app = gallery.populatedMain();
        Contact camille = onEdt(() -> {
            for (int i = 0; i < app.main.contactList.contacts.size(); i++) {
                if (app.main.contactList.contacts.get(i).nickname().equals("Camille")) {
                    return app.main.contactList.contacts.get(i);
                }
            }
            return null;
        });
        edt(() -> app.main.contactList.select(camille.id()));
        waitFor("camille shown", () -> app.main.conversation.contact().id().equals(camille.id()));
        assertEquals("Not verified", onEdt(app.main.conversation.verified::getText));
        edt(() -> app.main.conversation.verify.doClick());
        waitFor("verify dialog", () -> app.openDialog("verify") != null);
        VerifyPanel v = onEdt(() -> (VerifyPanel) app.openDialog("verify").getContentPane());
        assertEquals(camille.fingerprint(), onEdt(v.theirs::getText));
        edt(() -> v.confirm.doClick());
        waitFor("verified", () -> app.main.contactList.find(camille.id()).verified()
                && app.main.conversation.verified.getText().equals("Verified")
                && !app.main.conversation.verify.isVisible());
    }

    @Test
    void identityShowsLinkQrAndFingerprint() throws Exception {
        app = gallery.populatedMain();
        ScreenGallery.openDialog(app, "identity");
        IdentityPanel p = onEdt(() -> (IdentityPanel) app.openDialog("identity").getContentPane());
        String link = onEdt(p.link::getText);
        assertEquals(coreOf().myIdentity().link(), link);
        assertTrue(link.startsWith("allium:") && link.length() == 63);
        assertNotNull(onEdt(p.qr::matrix));
        assertEquals(coreOf().myIdentity().fingerprint(), onEdt(p.fingerprint::getText));
    }

    @Test
    void settingsApplyThemeTorAndPrivacyChoices() throws Exception {
        app = gallery.populatedMain();
        ScreenGallery.openDialog(app, "settings");
        SettingsPanel s = onEdt(() -> (SettingsPanel) app.openDialog("settings").getContentPane());
        waitFor("tor settings loaded", () -> s.saveTor.isEnabled());
        edt(() -> s.dark.doClick());
        assertTrue(onEdt(Theme::isDarkInstalled));
        edt(() -> s.light.doClick());
        assertFalse(onEdt(Theme::isDarkInstalled));
        edt(() -> {
            s.bridges.setText("Bridge obfs4 192.0.2.1:443 0123456789ABCDEF0123456789ABCDEF01234567 cert=qUVQ0srL1JI/vO6V6m/24anYXiJD3QP2HgzUKQtQ7GRqqUvs7P+tG43RtAqdhLOALP7DJQ iat-mode=0\n\n");
            s.transport.setSelectedIndex(1);
            s.saveTor.doClick();
        });
        waitFor("tor saved", () -> s.torStatus.getText().startsWith("Saved."));
        TorSettings t = coreOf().profile.torSettings();
        assertEquals(1, t.bridges().size());
        assertTrue(t.bridges().get(0).startsWith("obfs4 192.0.2.1:443"));
        assertEquals("/usr/bin/obfs4proxy", t.transportBinary().toString());
        edt(() -> {
            s.externalTor.doClick();
            s.controlPort.setValue(9151);
            s.socksPort.setValue(9150);
            s.saveTor.doClick();
        });
        FakeCore.FakeMessenger m = coreOf();
        waitFor("external saved", () -> m.profile.torSettings().mode() == TorSettings.Mode.EXTERNAL);
        assertEquals(9151, m.profile.torSettings().controlPort());
        edt(() -> s.accepting.doClick());
        waitFor("not accepting", () -> !m.isAcceptingContacts());
        assertFalse(onEdt(() -> app.context().preferences().notificationDetails()));
        edt(() -> s.notificationDetails.doClick());
        assertTrue(onEdt(() -> app.context().preferences().notificationDetails()));
        edt(() -> s.history.setSelectedIndex(1));
        waitFor("history policy", () -> m.historyPolicy() == org.allium.core.api.HistoryPolicy.DELETE_ON_STOP);
    }

    @Test
    void changePassphraseThenPanicWipe() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger first = coreOf();
        ScreenGallery.openDialog(app, "settings");
        SettingsPanel s = onEdt(() -> (SettingsPanel) app.openDialog("settings").getContentPane());
        edt(() -> {
            s.oldPassphrase.setText("not the passphrase");
            s.newPassphrase.setText("a brand new long passphrase");
            s.confirmPassphrase.setText("a brand new long passphrase");
            s.changePassphrase.doClick();
        });
        // A wrong current passphrase locks the profile: the user must unlock it again.
        waitFor("locked", () -> "unlock".equals(app.shownScreen()) && app.session() == null);
        assertTrue(onEdt(app.unlock.error::getText).startsWith("The current passphrase was not right."));
        assertNull(onEdt(() -> app.openDialog("settings")));
        ScreenGallery.unlock(app);
        waitFor("main again", () -> "main".equals(app.shownScreen()) && app.session() != null);
        ScreenGallery.openDialog(app, "settings");
        SettingsPanel s2 = onEdt(() -> (SettingsPanel) app.openDialog("settings").getContentPane());
        edt(() -> {
            s2.oldPassphrase.setText(ScreenGallery.PASS);
            s2.newPassphrase.setText("a brand new long passphrase");
            s2.confirmPassphrase.setText("a brand new long passphrase");
            s2.changePassphrase.doClick();
        });
        waitFor("changed", () -> s2.passphraseStatus.getText().equals("Your passphrase was changed."));
        waitFor("main again", () -> "main".equals(app.shownScreen()) && app.session() != null);
        assertTrue(first.state() == org.allium.core.api.MessengerState.STOPPED);
        FakeCore core = ((FakeCore.FakeProfile) onEdt(() -> app.session().profile())).core();
        core.open(core.defaultDirectory(), "a brand new long passphrase".toCharArray()).close();
        edt(app::panicWipe);
        waitFor("first run after wipe", () -> "firstRun".equals(app.shownScreen()));
        assertFalse(core.exists(core.defaultDirectory()));
        assertNull(onEdt(app::session));
    }

    private FakeCore.FakeMessenger coreOf() {
        return (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
    }

    private static boolean contains(javax.swing.DefaultListModel<ContactRequest> model, ContactRequest r) {
        for (int i = 0; i < model.size(); i++) {
            if (model.get(i).id().equals(r.id())) {
                return true;
            }
        }
        return false;
    }

    private static void key(Composer c, int code, int modifiers) {
        KeyEvent e = new KeyEvent(c.area, KeyEvent.KEY_PRESSED, System.currentTimeMillis(), modifiers, code,
                KeyEvent.CHAR_UNDEFINED);
        c.area.dispatchEvent(e);
    }

}
