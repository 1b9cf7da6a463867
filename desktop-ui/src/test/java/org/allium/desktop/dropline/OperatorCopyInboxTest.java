package org.allium.desktop.dropline;

import static org.allium.desktop.UiTestSupport.CLOCK;
import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertFalse;

import javax.swing.JList;
import javax.swing.JToggleButton;
import org.allium.desktop.AlliumApp;
import org.allium.desktop.EdtWatchdog;
import org.allium.desktop.FakeCore;
import org.allium.desktop.UiTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Team mode: an operator's own drop line is off, yet it holds the team's cases: the inbox shows them. */
@ExtendWith(EdtWatchdog.class)
class OperatorCopyInboxTest {
    @BeforeAll
    static void warm() {
        UiTestSupport.warmUp();
    }

    @AfterEach
    void close() {
        UiTestSupport.disposeAllWindows();
    }

    @Test
    void anOperatorWithTheDropLineOffSeesTheTeamsCases() throws Exception {
        FakeCore core = new FakeCore(CLOCK);
        FakeDropLines drops = new FakeDropLines(CLOCK);
        AlliumApp app = InboxFlowCheck.unlockedApp(core, drops);
        FakeDropLines.Line line = drops.lines().get(0);
        line.submit(FakeDropLines.sourceKey("x", "y"), new byte[16], "A copy of the team's case.");
        JToggleButton toggle = onEdt(() -> UiTestSupport.find(app.frame(), JToggleButton.class,
                b -> "dropLineToggle".equals(b.getName())));
        edt(toggle::doClick);
        @SuppressWarnings("unchecked")
        JList<?> list = onEdt(() -> UiTestSupport.find(app.frame(), JList.class, l -> "dropCases".equals(l.getName())));
        waitFor("the team's case listed in the inbox", () -> list.isShowing() && list.getModel().getSize() == 1);
        assertFalse(onEdt(() -> UiTestSupport.find(app.frame(), DropSettingsPanel.class, p -> true).isShowing()));
    }
}
