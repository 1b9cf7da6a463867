package org.allium.desktop.dropline;

import static org.allium.desktop.UiTestSupport.CLOCK;
import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Component;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JToggleButton;
import org.allium.contacts.api.DropStore;
import org.allium.core.api.Contact;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactState;
import org.allium.desktop.AlliumApp;
import org.allium.desktop.EdtWatchdog;
import org.allium.desktop.FakeCore;
import org.allium.desktop.UiContext;
import org.allium.desktop.UiTestSupport;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15: an operator of the team who sent no nickname is named by a readable placeholder in
 * the inbox ("assigned to an operator without a name", "Reply by …") — never a fragment of its
 * address; this profile is "you"; a contact we renamed goes by our name for it.
 */
@ExtendWith(EdtWatchdog.class)
class OperatorNamesTest {
    @BeforeAll
    static void warm() {
        UiTestSupport.warmUp();
    }

    @AfterEach
    void close() {
        UiTestSupport.disposeAllWindows();
    }

    private static OnionAddress key() {
        return IdentityKeyPair.generate(new SecureRandom()).address();
    }

    @Test
    void namesComeFromUsThenTheOperatorThenAPlaceholder() {
        UiContext ctx = UiTestSupport.context(new FakeCore(CLOCK).access(new FakeDropLines(CLOCK)), Locale.ENGLISH);
        OnionAddress me = key();
        OnionAddress renamed = key();
        OnionAddress unnamed = key();
        OnionAddress named = key();
        List<Contact> contacts = List.of(
                new Contact(new ContactId(1), renamed.serviceId(), "Maria (desk)", ContactState.ACCEPTED, true, 0, true,
                        "f"),
                new Contact(new ContactId(2), unnamed.serviceId(), "", ContactState.ACCEPTED, true, 0, true, "f"));
        OperatorNames n = OperatorNames.of(ctx, me.serviceId(), contacts);
        assertEquals("you", n.name(new DropStore.Person(me, "Newsdesk")));
        assertEquals("Maria (desk)", n.name(new DropStore.Person(renamed, "M")));
        assertEquals("an operator without a name", n.name(new DropStore.Person(unnamed, "")));
        assertEquals("an operator without a name", n.name(new DropStore.Person(key(), "  \u200b ")));
        assertEquals("Ion", n.name(new DropStore.Person(named, "Ion")));
        assertEquals("an operator without a name", n.name(null));
        assertEquals("an operator without a name", OperatorNames.none(ctx).name(new DropStore.Person(unnamed, "")));
    }

    @Test
    void anOperatorWithoutANicknameIsNamedReadablyInTheInbox() throws Exception {
        FakeCore core = new FakeCore(CLOCK);
        FakeDropLines drops = new FakeDropLines(CLOCK);
        AlliumApp app = InboxFlowCheck.unlockedApp(core, drops);
        FakeDropLines.Line line = drops.lines().get(0);
        line.submit(FakeDropLines.sourceKey("x", "y"), new byte[16], "Documents about the port.");
        long caseId = line.cases().get(0).id();
        OnionAddress operator = key();
        line.byOperator(caseId, new DropStore.Person(operator, ""), "We read it.", "I call them tomorrow.");

        JToggleButton toggle = onEdt(() -> UiTestSupport.find(app.frame(), JToggleButton.class,
                b -> "dropLineToggle".equals(b.getName())));
        edt(toggle::doClick);
        @SuppressWarnings("unchecked")
        JList<DropStore.Case> list = onEdt(() -> UiTestSupport.find(app.frame(), JList.class,
                l -> "dropCases".equals(l.getName())));
        waitFor("case listed", () -> list.isShowing() && list.getModel().getSize() == 1);
        edt(() -> list.setSelectedIndex(0));
        CaseView view = onEdt(() -> UiTestSupport.find(app.frame(), CaseView.class, v -> true));
        waitFor("items shown", () -> view.shownMeta().size() == 3);
        assertTrue(onEdt(() -> view.state.getText()).contains("assigned to an operator without a name"),
                onEdt(() -> view.state.getText()));
        List<String> meta = onEdt(view::shownMeta);
        assertTrue(meta.get(1).startsWith("Reply by an operator without a name, "), meta.toString());
        assertTrue(meta.get(2).startsWith("Note by an operator without a name (team only), "), meta.toString());
        UiTestSupport.screenshot(app.frame(), "drop-inbox-unnamed-operator-light");
        // Nothing on screen is a piece of the operator's address.
        String id = operator.serviceId();
        for (String t : onEdt(() -> texts(app.frame()))) {
            for (int i = 0; i + 6 <= id.length(); i += 3) {
                assertFalse(t.toLowerCase(Locale.ROOT).contains(id.substring(i, i + 6)), "address fragment in: " + t);
            }
        }
    }

    private static List<String> texts(java.awt.Container root) {
        List<String> out = new ArrayList<>();
        for (Component c : UiTestSupport.all(root)) {
            if (c instanceof JLabel l && l.getText() != null) {
                out.add(l.getText());
            }
        }
        return out;
    }
}
