package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.edt;
import static org.allium.desktop.UiTestSupport.onEdt;
import static org.allium.desktop.UiTestSupport.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.util.List;
import org.allium.core.api.MessageStatus;
import org.junit.jupiter.api.Test;

/** Issue 13: messages can be selected and copied, have a menu, date lines, and a search box. */
class ConversationToolsTest extends UiTest {
    @Test
    void dayLinesSeparateTheDays() throws Exception {
        app = gallery.populatedMain();
        assertEquals(List.of("Yesterday", "Today"), onEdt(app.main.conversation::dayLines));
    }

    @Test
    void textIsSelectableAndTheMenuCopiesIt() throws Exception {
        app = gallery.populatedMain();
        MessageBubble first = onEdt(() -> app.main.conversation.bubbles().get(0));
        // Nothing selected: the whole message.
        edt(() -> first.copy.doClick());
        assertEquals("Hi. I got your address from the card you left.", clipboard());
        // A selection: just that.
        edt(() -> first.text.select(6, 9));
        edt(() -> first.copy.doClick());
        assertEquals("got", clipboard());
        // Retry is offered in the menu of a failed message only.
        MessageBubble failed = onEdt(() -> app.main.conversation.bubbles().stream()
                .filter(b -> b.message().status() == MessageStatus.FAILED).findFirst().orElseThrow());
        edt(() -> failed.getComponentPopupMenu().show(failed, 5, 5));
        assertTrue(onEdt(failed.retryItem::isVisible));
        edt(() -> failed.getComponentPopupMenu().setVisible(false));
        edt(() -> first.getComponentPopupMenu().show(first, 5, 5));
        assertFalse(onEdt(first.retryItem::isVisible));
        edt(() -> first.getComponentPopupMenu().setVisible(false));
        edt(() -> failed.retryItem.doClick());
        waitFor("queued again", () -> failed.message().status() == MessageStatus.QUEUED);
    }

    @Test
    void searchShowsOnlyMatchingMessages() throws Exception {
        app = gallery.populatedMain();
        ConversationPanel c = onEdt(() -> app.main.conversation);
        edt(() -> c.search.setText("DOCUMENT"));
        List<String> shown = onEdt(() -> c.bubbles().stream().filter(MessageBubble::isVisible)
                .map(b -> b.message().text()).toList());
        assertEquals(List.of("Contracts at the port authority. I have documents.\nI can't talk on the phone.",
                "When could you share the first document?"), shown);
        assertFalse(onEdt(c.searchNone::isVisible));
        edt(() -> c.search.setText("no such words"));
        assertTrue(onEdt(c.searchNone::isVisible));
        assertEquals(0L, (long) onEdt(() -> c.bubbles().stream().filter(MessageBubble::isVisible).count()));
        edt(() -> c.search.setText(""));
        assertEquals(7L, (long) onEdt(() -> c.bubbles().stream().filter(MessageBubble::isVisible).count()));
        assertFalse(onEdt(c.searchNone::isVisible));
    }

    private static String clipboard() throws Exception {
        return (String) Toolkit.getDefaultToolkit().getSystemClipboard().getData(DataFlavor.stringFlavor);
    }
}
