package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.CLOCK;
import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.TorSettings;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: first start when Tor cannot connect — after a while without bootstrap progress
 * the app says so plainly and offers bridges (built-in snowflake, pasted lines), "Try again"
 * applies them at once; Tor lost later shows a banner with the actions.
 */
class TorTroubleTest extends UiTest {
    private FakeCore stuckCore() throws Exception {
        FakeCore core = new FakeCore(CLOCK);
        core.bootstrapCompletes = false; // progress stops at 45 %, and nothing says why
        core.create(core.defaultDirectory(), ScreenGallery.PASS.toCharArray(), "Ana").close();
        return core;
    }

    @Test
    void noProgressSaysSoAndTryAgainAppliesTheBuiltInSnowflakeBridgesAtOnce() throws Exception {
        FakeCore core = stuckCore();
        app = gallery.app(core);
        edt(() -> app.connecting.stallMillis = 800);
        ScreenGallery.unlock(app);
        waitFor("connecting", () -> "connecting".equals(app.shownScreen()));
        waitFor("stall said plainly", () -> app.connecting.stalledShown());
        assertEquals("Tor cannot connect", onEdt(app.connecting.problemTitle::getText));
        assertTrue(onEdt(app.connecting::bridgesOffered));
        assertEquals(1, core.startedWith.size());
        assertTrue(core.startedWith.get(0).bridges().isEmpty());

        edt(() -> app.connecting.bridges.snowflake.setSelected(true));
        edt(app.connecting.retry::doClick);
        waitFor("restarted with bridges", () -> core.startedWith.size() == 2);
        TorSettings used = core.startedWith.get(1);
        assertEquals(BridgeChoice.BUILT_IN_SNOWFLAKE, used.bridges());
        assertNotNull(used.transportBinary());
        // The session comes back on the event thread after tor restarted: wait for it, don't race it.
        waitFor("the restarted session", () -> app.session() != null);
        assertEquals(BridgeChoice.BUILT_IN_SNOWFLAKE, onEdt(() -> app.session().profile().torSettings().bridges()),
                "saved in the profile, no Save → Close → Try again dance");
        waitFor("watching again", () -> !app.connecting.stalledShown() && "connecting".equals(app.shownScreen()));
    }

    @Test
    void pastedBridgeLinesAreCleanedAndUsed() throws Exception {
        FakeCore core = stuckCore();
        app = gallery.app(core);
        edt(() -> app.connecting.stallMillis = 800);
        ScreenGallery.unlock(app);
        waitFor("stall said plainly", () -> app.connecting.stalledShown());
        edt(() -> app.connecting.bridges.lines.setText(
                "Bridge obfs4 203.0.113.10:443 ABCDEF0123456789ABCDEF0123456789ABCDEF01 cert=qUVQ0srL1JI/vO6V6m/24anYXiJD3QP2HgzUKQtQ7GRqqUvs7P+tG43RtAqdhLOALP7DJQ iat-mode=0\n\n"
                        + "  obfs4 198.51.100.7:9001 0123456789ABCDEF0123456789ABCDEF01234567 cert=bjRaMrr1BRiAW8IE9U5z27fQaYgOhX1UCmOpg2pFpoMvo6ZgQMzLsaTzzQNTlm7hNcb+Sg iat-mode=0  \n"));
        assertTrue(onEdt(app.connecting.bridges.custom::isSelected), "typing lines chooses them");
        edt(app.connecting.retry::doClick);
        waitFor("restarted with bridges", () -> core.startedWith.size() == 2);
        assertEquals(List.of("obfs4 203.0.113.10:443 ABCDEF0123456789ABCDEF0123456789ABCDEF01 cert=qUVQ0srL1JI/vO6V6m/24anYXiJD3QP2HgzUKQtQ7GRqqUvs7P+tG43RtAqdhLOALP7DJQ iat-mode=0",
                "obfs4 198.51.100.7:9001 0123456789ABCDEF0123456789ABCDEF01234567 cert=bjRaMrr1BRiAW8IE9U5z27fQaYgOhX1UCmOpg2pFpoMvo6ZgQMzLsaTzzQNTlm7hNcb+Sg iat-mode=0"),
                core.startedWith.get(1).bridges());
        assertNotNull(core.startedWith.get(1).transportBinary(), "obfs4 needs its transport program");
        // And back to no bridges.
        waitFor("stalled again", () -> app.connecting.stalledShown());
        edt(() -> app.connecting.bridges.none.setSelected(true));
        edt(app.connecting.retry::doClick);
        waitFor("restarted without bridges", () -> core.startedWith.size() == 3);
        assertTrue(core.startedWith.get(2).bridges().isEmpty());
    }

    @Test
    void theBuiltInObfs4BridgesAreTheDefaultAndAPastedNonBridgeLineIsRefused() throws Exception {
        FakeCore core = stuckCore();
        app = gallery.app(core);
        edt(() -> app.connecting.stallMillis = 800);
        ScreenGallery.unlock(app);
        waitFor("stall said plainly", () -> app.connecting.stalledShown());
        // Something that is not a bridge line: said which line, nothing restarted, nothing saved.
        edt(() -> app.connecting.bridges.lines.setText(
                "obfs4 198.51.100.7:9001 0123456789ABCDEF0123456789ABCDEF01234567 cert=bjRaMrr1BRiAW8IE9U5z27fQaYgOhX1UCmOpg2pFpoMvo6ZgQMzLsaTzzQNTlm7hNcb+Sg iat-mode=0\n"
                        + "ExitNodes {us}\n"));
        edt(app.connecting.retry::doClick);
        assertEquals("Line 2 is not a bridge line. A bridge line looks like \"obfs4 192.0.2.1:443 FINGERPRINT cert=…"
                + " iat-mode=0\".", onEdt(app.connecting.bridges.error::getText));
        UiTestSupport.screenshot(app.frame(), "connecting-bridge-invalid-"
                + (Theme.isDarkInstalled() ? "dark" : "light"));
        Thread.sleep(300);
        assertEquals(1, core.startedWith.size(), "not restarted");
        // Tor Browser's obfs4 list (the default choice), saved in the profile and used at once.
        edt(() -> app.connecting.bridges.lines.setText(""));
        edt(() -> app.connecting.bridges.obfs4.setSelected(true));
        edt(app.connecting.retry::doClick);
        waitFor("restarted with bridges", () -> core.startedWith.size() == 2);
        assertEquals(BridgeLines.builtInObfs4(), core.startedWith.get(1).bridges());
        assertNotNull(core.startedWith.get(1).transportBinary(), "obfs4 needs its transport program");
        assertEquals("", onEdt(app.connecting.bridges.error::getText));
        waitFor("the restarted session", () -> app.session() != null);
        assertEquals(BridgeLines.builtInObfs4(), onEdt(() -> app.session().profile().torSettings().bridges()));
    }

    @Test
    void settingsFillTheBuiltInBridges() throws Exception {
        app = gallery.populatedMain();
        SettingsPanel s = onEdt(app::settings);
        edt(s::showTorTab);
        // The saved settings load in the background and then fill the form: a click before that is overwritten.
        waitFor("tor settings loaded", () -> s.saveTor.isEnabled());
        edt(s.builtInObfs4::doClick);
        assertEquals(BridgeLines.builtInObfs4(), onEdt(() -> s.torSettings().bridges()));
        assertEquals(java.nio.file.Path.of("/usr/bin/obfs4proxy"), onEdt(() -> s.torSettings().transportBinary()));
        edt(s.builtInSnowflake::doClick);
        assertEquals(BridgeChoice.BUILT_IN_SNOWFLAKE, onEdt(() -> s.torSettings().bridges()));
        edt(() -> s.bridges.setText("UseBridges 1"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> onEdt(s::torSettings));
        assertTrue(e.getCause() instanceof SettingsPanel.InvalidBridgeLine, String.valueOf(e.getCause()));
    }

    @Test
    void torLostLaterShowsABannerWithTheActions() throws Exception {
        app = gallery.populatedMain();
        FakeCore.FakeMessenger m = (FakeCore.FakeMessenger) onEdt(() -> app.session().messenger());
        assertFalse(onEdt(app.torBanner::isShowing));
        m.emit(new MessengerEvent.TorProblem(MessengerEvent.TorProblem.Kind.TOR_EXITED, "tor exited with code 1"));
        m.drain();
        waitFor("banner", () -> app.torBanner.isShowing());
        assertTrue(onEdt(app.torBanner.text::getText).startsWith("Tor stopped"));
        assertEquals("Tor settings…", onEdt(app.torBanner.settings::getText));
        edt(app.torBanner.settings::doClick);
        waitFor("tor settings", () -> app.openDialog("settings") != null);
        m.emit(new MessengerEvent.Ready());
        m.drain();
        waitFor("banner gone", () -> !app.torBanner.isShowing());
    }
}
