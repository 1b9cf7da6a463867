package org.allium.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.SwingUtilities;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactState;
import org.allium.core.api.Direction;
import org.allium.core.api.Message;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small pure parts: passphrase strength, theme choice, preferences, notifications, QR, background. */
class UnitsTest {
    @Test
    void passphraseStrengthGrowsWithLengthAndWords() {
        assertEquals(PassphraseStrength.EMPTY, PassphraseStrength.of(new char[0]));
        assertEquals(PassphraseStrength.WEAK, PassphraseStrength.of("abc123".toCharArray()));
        assertEquals(PassphraseStrength.WEAK, PassphraseStrength.of("aaaaaaaaaaaaaaaaaaaa".toCharArray()));
        assertEquals(PassphraseStrength.WEAK, PassphraseStrength.of("password".toCharArray()));
        assertTrue(PassphraseStrength.of("Tr0ub4dor&3x".toCharArray()).level() >= PassphraseStrength.FAIR.level());
        assertEquals(PassphraseStrength.STRONG,
                PassphraseStrength.of("correct horse battery staple".toCharArray()));
    }

    @Test
    void systemThemeFollowsGtkTheme() {
        assertTrue(Theme.isDark(ThemeChoice.DARK, Map.of()));
        assertFalse(Theme.isDark(ThemeChoice.LIGHT, Map.of("GTK_THEME", "Adwaita:dark")));
        assertTrue(Theme.isDark(ThemeChoice.SYSTEM, Map.of("GTK_THEME", "Adwaita:dark")));
        assertFalse(Theme.isDark(ThemeChoice.SYSTEM, Map.of("GTK_THEME", "Adwaita")));
        assertFalse(Theme.isDark(ThemeChoice.SYSTEM, Map.of()));
    }

    @Test
    void preferencesSurviveARestartAndDefaultToPrivateNotifications(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cfg").resolve("desktop.properties");
        UiPreferences p = UiPreferences.load(file);
        assertEquals(ThemeChoice.SYSTEM, p.theme());
        assertTrue(p.notificationsEnabled());
        assertFalse(p.notificationDetails());
        p.setTheme(ThemeChoice.DARK);
        p.setNotificationDetails(true);
        p.setProfileDirectory(dir.resolve("profile"));
        p.save();
        UiPreferences again = UiPreferences.load(file);
        assertEquals(ThemeChoice.DARK, again.theme());
        assertTrue(again.notificationDetails());
        assertEquals(dir.resolve("profile").toAbsolutePath(), again.profileDirectory().orElseThrow());
    }

    @Test
    void notificationsSayOnlyNewMessageUnlessTheUserOptsIn() {
        UiContext ctx = UiTestSupport.context(new FakeCore(UiTestSupport.CLOCK).access(), Locale.ENGLISH);
        Contact from = new Contact(new ContactId(1), FakeCore.serviceId(new byte[32]), "Bogdan",
                ContactState.ACCEPTED, true, 1, false, "AAAA");
        Message m = new Message(new MessageId("0123456789abcdef0123456789abcdef"), from.id(), Direction.INCOMING,
                "the documents are ready", Instant.EPOCH, Instant.EPOCH, MessageStatus.DELIVERED, false);
        Notifier.Note note = Notifier.forMessage(ctx, from, m);
        assertEquals("New message", note.text());
        assertFalse(note.title().contains("Bogdan") || note.text().contains("Bogdan"));
        assertFalse(note.text().contains("documents"));
        ctx.preferences().setNotificationDetails(true);
        Notifier.Note detailed = Notifier.forMessage(ctx, from, m);
        assertTrue(detailed.title().contains("Bogdan"));
        assertEquals("the documents are ready", detailed.text());
    }

    @Test
    void notificationsCanBeSwitchedOff() {
        UiContext ctx = UiTestSupport.context(new FakeCore(UiTestSupport.CLOCK).access(), Locale.ENGLISH);
        Notifier n = new Notifier(ctx, () -> { }, () -> { }, () -> false);
        n.show(Notifier.forRequest(ctx));
        assertEquals("New contact request", n.last().text());
        Notifier off = new Notifier(ctx, () -> { }, () -> { }, () -> false);
        ctx.preferences().setNotificationsEnabled(false);
        off.show(Notifier.forRequest(ctx));
        assertNull(off.last());
    }

    @Test
    void qrCodeDecodesBackToTheLink() throws Exception {
        String link = "allium:" + FakeCore.serviceId(new byte[32]);
        QrCodeView v = new QrCodeView();
        v.setText(link);
        v.setSize(300, 300);
        BufferedImage img = new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB);
        v.paint(img.createGraphics());
        int[] pixels = img.getRGB(0, 0, 300, 300, null, 0, 300);
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(300, 300, pixels)));
        assertEquals(link, new QRCodeReader().decode(bitmap).getText());
    }

    @Test
    void backgroundWorkCompletesOnTheEventThread() throws Exception {
        Background bg = new Background(Runnable::run);
        CountDownLatch done = new CountDownLatch(2);
        AtomicBoolean onEdt = new AtomicBoolean(true);
        AtomicReference<Exception> failure = new AtomicReference<>();
        bg.run(() -> 42, v -> {
            onEdt.compareAndSet(true, SwingUtilities.isEventDispatchThread() && v == 42);
            done.countDown();
        }, e -> { });
        bg.run(() -> {
            throw new java.io.IOException("disk");
        }, v -> { }, e -> {
            onEdt.compareAndSet(true, SwingUtilities.isEventDispatchThread());
            failure.set(e);
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(onEdt.get());
        assertEquals("disk", failure.get().getMessage());
    }

    @Test
    void bootstrapTagsMapToPlainWords() {
        assertEquals("tor.stage.directory", ConnectingScreen.stageKey("requesting_descriptors", 45));
        assertEquals("tor.stage.connecting", ConnectingScreen.stageKey("conn", 5));
        assertEquals("tor.stage.bridge", ConnectingScreen.stageKey("conn_pt", 5));
        assertEquals("tor.stage.circuit", ConnectingScreen.stageKey("circuit_create", 90));
        assertEquals("tor.stage.publishing", ConnectingScreen.stageKey("done", 100));
        assertEquals("tor.stage.other", ConnectingScreen.stageKey("brand_new_phase", 50));
    }
}
