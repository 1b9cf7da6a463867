package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.CLOCK;
import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.Direction;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, privacy first: an empty "Your name" sends no name at all (not the profile's), the
 * dialog says exactly what they will see, a too-long nickname is refused as it is typed on
 * the first screen too, and the user can change their own nickname at any time.
 */
class OwnNicknameTest extends UiTest {
    @Test
    void emptyNameInAddContactSendsNoNameAtAll() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
        ScreenGallery.openDialog(app, "add");
        AddContactPanel p = onEdt(() -> (AddContactPanel) app.openDialog("add").getContentPane());
        assertEquals("Ana", onEdt(p.nickname::getText), "the field shows the profile's name, which would be sent");
        assertEquals("They will see you as \u201cAna\u201d.", onEdt(p.nicknameStatus::getText));
        String address = FakeCore.serviceId(Arrays.copyOf(new byte[] {9, 9}, 32));
        edt(() -> {
            p.address.setText("allium:" + address);
            p.nickname.setText("   ");
        });
        assertEquals("They will see no name.", onEdt(p.nicknameStatus::getText));
        assertTrue(onEdt(p.send::isEnabled));
        edt(p.send::doClick);
        waitFor("request sent", () -> app.openDialog("add") == null);
        ContactRequest sent = m.requests().stream().filter(r -> r.serviceId().equals(address)).findFirst().orElseThrow();
        assertEquals(Direction.OUTGOING, sent.direction());
        assertEquals("", sent.nickname(), "an empty name must not become the profile's name");
        // Listed under their address, never under our own name.
        waitFor("listed", () -> app.main.contactList.requests.size() == 4);
        edt(() -> app.request(sent));
        waitFor("request dialog", () -> app.openDialog("request") != null);
        RequestPanel rp = onEdt(() -> (RequestPanel) app.openDialog("request").getContentPane());
        assertTrue(onEdt(() -> UiTestSupport.showsText(rp, "They will see no name.")));
        assertFalse(onEdt(() -> UiTestSupport.showsText(rp, "Ana")));
    }

    @Test
    void aNameOverTheLimitIsRefusedAsItIsTyped() throws Exception {
        app = gallery.populatedMain();
        ScreenGallery.openDialog(app, "add");
        AddContactPanel p = onEdt(() -> (AddContactPanel) app.openDialog("add").getContentPane());
        edt(() -> {
            p.address.setText("allium:" + FakeCore.serviceId(Arrays.copyOf(new byte[] {3}, 32)));
            p.nickname.setText("x".repeat(65));
        });
        assertFalse(onEdt(p.send::isEnabled));
        assertEquals("A name has at most 64 characters (fewer with accents or emoji).", onEdt(p.nicknameStatus::getText));
        // 40 emoji are 40 characters on screen but 160 bytes on the wire: refused too, with the reason.
        edt(() -> p.nickname.setText("\uD83C\uDF37".repeat(20)));
        assertFalse(onEdt(p.send::isEnabled));
        edt(() -> p.nickname.setText("x".repeat(64)));
        assertTrue(onEdt(p.send::isEnabled));
    }

    @Test
    void firstRunRefusesALongNicknameBeforeCreatingAnything() throws Exception {
        FakeCore core = new FakeCore(CLOCK);
        app = gallery.app(core);
        edt(() -> app.firstRun.nickname.setText("n".repeat(70)));
        assertEquals("A name has at most 64 characters (fewer with accents or emoji).",
                onEdt(app.firstRun.nicknameStatus::getText));
        edt(() -> {
            app.firstRun.passphrase.setText(ScreenGallery.PASS);
            app.firstRun.confirm.setText(ScreenGallery.PASS);
            app.firstRun.create();
        });
        assertEquals("A name has at most 64 characters (fewer with accents or emoji).",
                onEdt(app.firstRun.createError::getText));
        assertFalse(core.exists(core.defaultDirectory()));
        edt(() -> {
            app.firstRun.nickname.setText("Ana");
            app.firstRun.create();
        });
        waitFor("main window", () -> "main".equals(app.shownScreen()));
        assertEquals("Ana", core.last().myIdentity().nickname());
    }

    @Test
    void ownNicknameCanBeChangedAtAnyTime() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
        ScreenGallery.openDialog(app, "settings-profile");
        SettingsPanel s = onEdt(() -> (SettingsPanel) app.openDialog("settings").getContentPane());
        assertEquals("Ana", onEdt(s.nickname::getText));
        edt(() -> s.nickname.setText("n".repeat(65)));
        assertFalse(onEdt(s.saveNickname::isEnabled));
        edt(() -> {
            s.nickname.setText("A. from the night desk");
            s.saveNickname.doClick();
        });
        waitFor("saved", () -> s.nicknameStatus.getText().equals("Saved."));
        assertEquals("A. from the night desk", m.myIdentity().nickname());
        edt(() -> {
            s.nickname.setText("");
            s.saveNickname.doClick();
        });
        waitFor("cleared", () -> m.myIdentity().nickname() == null);
        // The next request offers what the profile now says: nothing.
        edt(() -> app.openDialog("settings").dispose());
        ScreenGallery.openDialog(app, "add");
        AddContactPanel p = onEdt(() -> (AddContactPanel) app.openDialog("add").getContentPane());
        assertEquals("", onEdt(p.nickname::getText));
        assertEquals("They will see no name.", onEdt(p.nicknameStatus::getText));
    }
}
