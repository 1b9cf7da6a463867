package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.allium.core.Messengers;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactId;
import org.allium.core.api.Direction;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop app end to end, in a real window, against the real core on the private Tor
 * network: the UI creates a profile and sends a contact request to "Bob", a real core
 * Messenger run by this test; Bob accepts; messages go both ways and reach "delivered". An
 * invalid address and a wrong passphrase show their messages.
 */
@ExtendWith({TestnetExtension.class, EdtWatchdog.class})
class DesktopUiIT {
    private static final int TOR_SECONDS = 240;
    private static final String ANA_PASS = "violet harbour lantern seven";
    private AlliumApp app;
    private Messenger bob;
    private Profile bobProfile;

    @BeforeAll
    static void warmUp() {
        // One-time class loading and look-and-feel set-up, outside the watched test.
        UiTestSupport.warmUp();
    }

    @AfterEach
    void tearDown() {
        if (app != null) {
            AlliumApp a = app;
            edt(a::quit);
            waitFor("app closed", 60, () -> !a.frame().isDisplayable());
        }
        if (bob != null) {
            bob.stop();
        }
        if (bobProfile != null) {
            bobProfile.close();
        }
    }

    /**
     * The core as {@code allium desktop --testnet FILE} builds it: the file {@code allium testnet}
     * writes, read by {@link DesktopMain#testnetLines} and made into a core by
     * {@link DesktopMain#core} (the app's own path, not a copy of it).
     */
    private static UiContext context(Testnet testnet, UiPreferences prefs) {
        List<String> lines;
        try {
            Path file = Files.createTempFile("allium-testnet", ".torrc");
            Files.write(file, testnet.clientTorrcLines());
            lines = DesktopMain.testnetLines(file);
            Files.delete(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CoreAccess core = DesktopMain.core(lines);
        return new UiContext(new Messages(Locale.ENGLISH), new Background(DesktopMain.backgroundExecutor()), prefs,
                core, Clock.systemDefaultZone());
    }

    private static AlliumApp launch(UiContext ctx) {
        AlliumApp a = onEdt(() -> new AlliumApp(ctx, () -> { }));
        edt(a::start);
        waitFor("window shown", 60, () -> a.frame().isShowing());
        return a;
    }

    @Test
    void createProfileAddContactAndTalkBothWaysOverTor(Testnet testnet, @TempDir Path tmp) throws Exception {
        // Bob: a real core messenger on the private network.
        BlockingQueue<MessengerEvent> bobEvents = new LinkedBlockingQueue<>();
        bobProfile = Messengers.profiles().create(tmp.resolve("bob"), "bob's long passphrase".toCharArray(), "Bob");
        bob = Messengers.create(bobProfile, TorSettings.ownTor().withTestnetLines(testnet.clientTorrcLines()));
        bob.subscribe(bobEvents::add);
        bob.start();

        // Ana: the desktop app, first run.
        UiPreferences prefs = UiPreferences.inMemory();
        prefs.setProfileDirectory(tmp.resolve("ana"));
        UiContext ctx = context(testnet, prefs);
        app = launch(ctx);
        waitFor("first-run screen", () -> "firstRun".equals(app.shownScreen()));
        assertEquals(tmp.resolve("ana").toAbsolutePath().toString(), onEdt(app.firstRun.createDir::getText));
        edt(() -> {
            app.firstRun.nickname.setText("Ana");
            app.firstRun.passphrase.setText(ANA_PASS);
            app.firstRun.confirm.setText(ANA_PASS);
            app.firstRun.createButton.doClick();
        });
        waitFor("connecting screen", 60, () -> !"firstRun".equals(app.shownScreen()));
        waitFor("main window (tor bootstrapped on the private network)", TOR_SECONDS,
                () -> "main".equals(app.shownScreen()));
        UiTestSupport.screenshot(app.frame(), "e2e-main-empty");
        await(bobEvents, MessengerEvent.Ready.class, e -> true, "Bob ready");

        // An invalid address says why; Bob's link is accepted and the request sent.
        ScreenGallery.openDialog(app, "add");
        AddContactPanel add = onEdt(() -> (AddContactPanel) app.openDialog("add").getContentPane());
        String bobLink = bob.myIdentity().link();
        String typo = bobLink.substring(0, 20) + (bobLink.charAt(20) == 'a' ? 'b' : 'a') + bobLink.substring(21);
        edt(() -> add.address.setText(typo));
        assertEquals("This address has a typo: one or more characters are wrong.", onEdt(add.addressStatus::getText));
        assertFalse(onEdt(add.send::isEnabled));
        edt(() -> add.address.setText("allium:tooshort"));
        assertEquals("An address has exactly 56 characters after \"allium:\".", onEdt(add.addressStatus::getText));
        // Issue 13: the profile is named "Ana", but she clears "Your name": Bob must see no name.
        assertEquals("Ana", onEdt(add.nickname::getText));
        edt(() -> {
            add.address.setText(bobLink);
            add.message.setText("Hello Bob, it's Ana.");
            add.nickname.setText("");
        });
        assertEquals("This is a valid address.", onEdt(add.addressStatus::getText));
        assertEquals("They will see no name.", onEdt(add.nicknameStatus::getText));
        UiTestSupport.screenshot(app.openDialog("add"), "e2e-add-contact");
        edt(() -> add.send.doClick());
        waitFor("request sent", 60, () -> app.openDialog("add") == null);

        // Bob receives the request over Tor and accepts it.
        MessengerEvent.RequestReceived request = await(bobEvents, MessengerEvent.RequestReceived.class,
                e -> e.request().direction() == Direction.INCOMING, "Bob receives Ana's request");
        assertEquals("", request.request().nickname(), "no name at all: not the profile's, not a piece of the address");
        assertEquals("Hello Bob, it's Ana.", request.request().message());
        bob.accept(request.request().id());
        ContactId anaAtBob = request.request().id();

        // Ana's UI learns of the acceptance: Bob becomes a contact.
        waitFor("Bob in Ana's contacts", TOR_SECONDS, () -> bobInList() != null);
        Contact bobAtAna = onEdt(this::bobInList);
        edt(() -> app.main.contactList.select(bobAtAna.id()));
        waitFor("conversation shown", () -> app.main.conversation.contact() != null);
        // Issue 13: the request's message is the first item of the conversation, on both sides.
        waitFor("the request's message opens Ana's conversation", () -> app.main.conversation.bubbles().size() == 1);
        org.allium.core.api.Message opening = onEdt(() -> app.main.conversation.bubbles().get(0).message());
        assertEquals("Hello Bob, it's Ana.", opening.text());
        assertEquals(Direction.OUTGOING, opening.direction());
        assertEquals(MessageStatus.DELIVERED, opening.status());
        org.allium.core.api.Message atBobFirst = bob.conversation(anaAtBob, 10, null).get(0);
        assertEquals("Hello Bob, it's Ana.", atBobFirst.text());
        assertEquals(Direction.INCOMING, atBobFirst.direction());

        // Ana → Bob: typed in the composer, Enter sends, the status reaches "Delivered".
        Composer composer = onEdt(() -> app.main.conversation.composer);
        edt(() -> {
            composer.area.setText("First message from the desktop app.");
            composer.area.dispatchEvent(new java.awt.event.KeyEvent(composer.area,
                    java.awt.event.KeyEvent.KEY_PRESSED, System.currentTimeMillis(), 0,
                    java.awt.event.KeyEvent.VK_ENTER, java.awt.event.KeyEvent.CHAR_UNDEFINED));
        });
        waitFor("message shown", 60, () -> app.main.conversation.bubbles().size() == 2);
        MessageId sent = onEdt(() -> app.main.conversation.bubbles().get(1).message().id());
        waitFor("Ana's message delivered", TOR_SECONDS, () ->
                app.main.conversation.bubble(sent).message().status() == MessageStatus.DELIVERED
                        && app.main.conversation.bubble(sent).meta.getText().endsWith("Delivered"));
        MessengerEvent.MessageReceived atBob = await(bobEvents, MessengerEvent.MessageReceived.class,
                e -> e.message().text().equals("First message from the desktop app."), "Bob receives it");
        assertEquals(anaAtBob, atBob.message().contact());

        // Bob → Ana: it appears in the open conversation; Bob sees it delivered.
        MessageId reply = bob.sendMessage(anaAtBob, "Got it, Ana. Replying from core.");
        waitFor("Bob's reply shown in the UI", TOR_SECONDS, () -> app.main.conversation.bubbles().stream()
                .anyMatch(b -> b.message().text().equals("Got it, Ana. Replying from core.")
                        && b.message().direction() == Direction.INCOMING));
        await(bobEvents, MessengerEvent.MessageStatusChanged.class,
                e -> e.message().equals(reply) && e.status() == MessageStatus.DELIVERED, "Bob's reply delivered");
        UiTestSupport.screenshot(app.frame(), "e2e-conversation");

        // Issue 14: files both ways over Tor in the real window — attach → progress → done, and
        // an offer from Bob accepted and saved with "Save as…".
        filesBothWays(anaAtBob, tmp);

        // Quit, start again: the wrong passphrase says so, the right one unlocks the same profile.
        AlliumApp first = app;
        edt(first::quit);
        waitFor("app closed", 60, () -> !first.frame().isDisplayable());
        app = launch(context(testnet, prefs));
        waitFor("unlock screen", 60, () -> "unlock".equals(app.shownScreen()));
        edt(() -> {
            app.unlock.passphrase.setText("not ana's passphrase");
            app.unlock.unlockButton.doClick();
        });
        waitFor("wrong passphrase message", 60, () -> !app.unlock.error.getText().isBlank());
        assertEquals("That passphrase is not right. Check Caps Lock and try again.",
                onEdt(app.unlock.error::getText));
        UiTestSupport.screenshot(app.frame(), "e2e-wrong-passphrase");
        edt(() -> {
            app.unlock.passphrase.setText(ANA_PASS);
            app.unlock.unlockButton.doClick();
        });
        waitFor("main window again", TOR_SECONDS, () -> "main".equals(app.shownScreen()));
        waitFor("Bob still a contact", 60, () -> bobInList() != null);
        assertNotNull(onEdt(this::bobInList));
    }

    private void filesBothWays(ContactId anaAtBob, Path tmp) throws Exception {
        FileShots.UserPlaces places = new FileShots.UserPlaces();
        edt(() -> app.main.files.setPlaces(places));
        java.util.Random random = new java.util.Random(14);
        byte[] toBob = new byte[700_000];
        random.nextBytes(toBob);
        Path doc = java.nio.file.Files.write(tmp.resolve("notes for bob.txt"), toBob);
        places.toSend = List.of(doc);
        edt(() -> app.main.files.attach.doClick());
        org.allium.core.api.FileTransfer offerAtBob = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TOR_SECONDS);
        while (offerAtBob == null) {
            assertTrue(System.nanoTime() < deadline, "Ana's offer reaches Bob");
            offerAtBob = bob.files().list(anaAtBob).stream()
                    .filter(t -> t.direction() == Direction.INCOMING).findFirst().orElse(null);
            Thread.sleep(200);
        }
        MessageId fromAna = offerAtBob.id();
        waitFor("Ana's offer shown as a file", 60, () -> card(fromAna).isShowing());
        bob.files().accept(fromAna, null);
        waitFor("Ana sees it sent and verified", TOR_SECONDS, () -> card(fromAna).texts().contains("Sent and verified."));
        Path atBob = bob.files().export(fromAna, java.nio.file.Files.createDirectories(tmp.resolve("bob-out")));
        assertEquals(java.util.Arrays.toString(sha256(toBob)),
                java.util.Arrays.toString(sha256(java.nio.file.Files.readAllBytes(atBob))));

        byte[] toAna = new byte[900_000];
        random.nextBytes(toAna);
        Path report = java.nio.file.Files.write(tmp.resolve("report for ana.pdf"), toAna);
        MessageId fromBob = bob.files().offer(anaAtBob, report).id();
        waitFor("Bob's offer shown with Accept", TOR_SECONDS, () -> card(fromBob).button("file.accept") != null);
        UiTestSupport.screenshot(app.frame(), "e2e-file-offer");
        edt(() -> card(fromBob).button("file.accept").doClick());
        waitFor("received and verified", TOR_SECONDS, () -> card(fromBob).button("file.saveAs") != null);
        Path out = java.nio.file.Files.createDirectories(tmp.resolve("ana-out"));
        places.saveTo = out.resolve("saved report.pdf");
        edt(() -> card(fromBob).button("file.saveAs").doClick());
        waitFor("saved", 60, () -> card(fromBob).button("file.openFolder") != null);
        assertEquals(java.util.Arrays.toString(sha256(toAna)),
                java.util.Arrays.toString(sha256(java.nio.file.Files.readAllBytes(places.saveTo))));
        UiTestSupport.screenshot(app.frame(), "e2e-file-done");
    }

    private FileShots.FileCardView card(MessageId id) {
        javax.swing.JComponent c = javax.swing.SwingUtilities.isEventDispatchThread() ? app.main.files.card(id)
                : onEdt(() -> app.main.files.card(id));
        return new FileShots.FileCardView(new Messages(Locale.ENGLISH), c);
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    }

    private Contact bobInList() {
        for (int i = 0; i < app.main.contactList.contacts.size(); i++) {
            Contact c = app.main.contactList.contacts.get(i);
            if (c.serviceId().equals(bob.myIdentity().serviceId())) {
                return c;
            }
        }
        return null;
    }

    private static <E extends MessengerEvent> E await(BlockingQueue<MessengerEvent> events, Class<E> type,
                                                      Predicate<E> match, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TOR_SECONDS);
        while (System.nanoTime() < deadline) {
            MessengerEvent e = events.poll(1, TimeUnit.SECONDS);
            if (type.isInstance(e) && match.test(type.cast(e))) {
                return type.cast(e);
            }
        }
        fail("timed out waiting for: " + what);
        return null;
    }
}
