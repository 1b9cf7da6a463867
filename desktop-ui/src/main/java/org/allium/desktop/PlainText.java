package org.allium.desktop;

import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.plaf.basic.BasicHTML;
import org.allium.core.api.DisplayText;

/**
 * Text from outside on screen — nicknames, request and message texts, tor's words, file and
 * group names: always sanitised by core's {@link DisplayText}, never markup.
 *
 * <p>Swing renders any label, button, tooltip, list cell, tab or option-pane text that starts
 * with {@code <html>} as HTML, and its HTML fetches images, style sheets and objects from the
 * network by itself — outside Tor, without a click. So every component that may show outside
 * text is {@link #guard guarded} ({@code html.disable}); the labels of {@link Ui} are, by
 * default. The only HTML the app renders is its own: {@link Ui#wrapped}, whose every
 * character of text is escaped, marked {@link #OWN_HTML}. And the strings this class hands
 * out never start as HTML either ({@link #inert}), for a sink someone forgets to guard.
 * Event thread only for the component methods; the string methods are pure.
 */
public final class PlainText {
    /** Swing's client property that turns off HTML rendering of a component's text. */
    public static final String HTML_DISABLE = "html.disable";
    /** Marks a label whose HTML the app wrote itself, with every outside character escaped. */
    public static final String OWN_HTML = "allium.ownHtml";
    /** Invisible, and makes a string no longer start with {@code <html>}. */
    private static final String WORD_JOINER = "\u2060";

    private PlainText() {
    }

    /** Makes {@code c} show its text literally, never as HTML. */
    public static <C extends JComponent> C guard(C c) {
        c.putClientProperty(HTML_DISABLE, Boolean.TRUE);
        c.putClientProperty(OWN_HTML, null);
        return c;
    }

    /** A label that shows its text literally. */
    public static JLabel label() {
        return guard(new JLabel());
    }

    /** A name someone chose (or we gave them), sanitised; {@code placeholder} when it is empty. */
    public static String name(String raw, String placeholder) {
        String n = DisplayText.name(raw);
        return inert(n.isEmpty() ? placeholder : n);
    }

    /**
     * A text someone wrote (message, request), sanitised, line breaks kept: for text areas,
     * which never render HTML (so it is left exactly as sanitised, for copying).
     */
    public static String text(String raw, int maxChars) {
        return DisplayText.text(raw, maxChars);
    }

    /** One line of outside text (e.g. tor's own words), sanitised. */
    public static String line(String raw, int maxChars) {
        return inert(DisplayText.line(raw, maxChars));
    }

    /** {@code s}, made not to start as HTML in any Swing component (invisible change). */
    public static String inert(String s) {
        return isHtml(s) ? WORD_JOINER + s : s;
    }

    /** Whether Swing would render {@code s} as HTML in an unguarded component. */
    public static boolean isHtml(String s) {
        return BasicHTML.isHTMLString(s);
    }
}
