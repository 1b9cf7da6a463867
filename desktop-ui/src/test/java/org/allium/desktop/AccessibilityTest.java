package org.allium.desktop;

import static org.allium.desktop.UiTestSupport.onEdt;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Component;
import java.awt.Container;
import java.awt.FocusTraversalPolicy;
import java.awt.Window;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.swing.JComponent;
import javax.swing.JTabbedPane;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Walks the component tree of every screen and dialog: every focusable control must have an
 * accessible name (what a screen reader says), and every showing, enabled, focusable control
 * must be reachable with Tab (full keyboard use). Checked in every shipped language.
 */
@ExtendWith(EdtWatchdog.class)
class AccessibilityTest {
    @BeforeAll
    static void warmUp() {
        UiTestSupport.warmUp();
    }

    @Test
    void everyControlIsNamedAndReachableInEnglish() throws Exception {
        check(Locale.ENGLISH);
    }

    @Test
    void everyControlIsNamedAndReachableInFrench() throws Exception {
        check(Locale.FRENCH);
    }

    @Test
    void everyControlIsNamedAndReachableInRomanian() throws Exception {
        check(Locale.forLanguageTag("ro"));
    }

    private void check(Locale locale) throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> screens = new LinkedHashSet<>();
        new ScreenGallery(locale).each(shot -> {
            screens.add(shot.name());
            problems.addAll(problems(shot.name(), shot.window()));
        });
        assertTrue(screens.size() >= 9, "screens walked: " + screens);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * Problems of one window, including every tab of its tabbed panes. Called from the test
     * thread: each tab is checked in its own short event-thread task.
     */
    static List<String> problems(String screen, Window window) {
        List<String> out = new ArrayList<>();
        List<JTabbedPane> tabs = onEdt(() -> {
            List<JTabbedPane> found = new ArrayList<>();
            for (Component c : UiTestSupport.all(window)) {
                if (c instanceof JTabbedPane t) {
                    found.add(t);
                }
            }
            return found;
        });
        if (tabs.isEmpty()) {
            out.addAll(onEdt(() -> {
                List<String> o = new ArrayList<>();
                checkOnce(screen, window, o);
                return o;
            }));
        }
        for (JTabbedPane t : tabs) {
            int selected = onEdt(t::getSelectedIndex);
            int count = onEdt(t::getTabCount);
            for (int i = 0; i < count; i++) {
                int index = i;
                out.addAll(onEdt(() -> {
                    t.setSelectedIndex(index);
                    window.validate();
                    List<String> o = new ArrayList<>();
                    checkOnce(screen + "/" + t.getTitleAt(index), window, o);
                    return o;
                }));
            }
            UiTestSupport.edt(() -> t.setSelectedIndex(selected));
        }
        return out;
    }

    private static void checkOnce(String screen, Window window, List<String> out) {
        Set<Component> reachable = reachable(window);
        for (Component c : UiTestSupport.all(window)) {
            if (!(c instanceof JComponent jc) || !c.isFocusable() || !isControl(jc)) {
                continue;
            }
            String name = jc.getAccessibleContext().getAccessibleName();
            if (name == null || name.isBlank()) {
                out.add(screen + ": focusable " + describe(jc) + " has no accessible name");
            }
            if (c instanceof javax.swing.JMenuItem menu) {
                // Menus are reached with F10 / Alt+letter, not Tab: they need a mnemonic.
                if (menu.getMnemonic() == 0) {
                    out.add(screen + ": menu " + name + " has no mnemonic");
                }
                continue;
            }
            if (c.isShowing() && c.isEnabled() && !reachable.contains(c) && !groupReachable(jc, reachable)) {
                out.add(screen + ": " + describe(jc) + " (" + name + ") cannot be reached with Tab");
            }
        }
    }

    /**
     * Radio buttons of one group take a single Tab stop (the selected one) and arrow keys move
     * within the group, as native toolkits do: one reachable member makes the group usable.
     */
    static boolean groupReachable(JComponent c, Set<Component> reachable) {
        if (c instanceof javax.swing.JRadioButton r
                && r.getModel() instanceof javax.swing.DefaultButtonModel m && m.getGroup() != null) {
            java.util.Enumeration<javax.swing.AbstractButton> e = m.getGroup().getElements();
            while (e.hasMoreElements()) {
                if (reachable.contains(e.nextElement())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Components a user interacts with (not containers, labels or scroll machinery). */
    static boolean isControl(JComponent c) {
        return c instanceof javax.swing.AbstractButton || c instanceof javax.swing.text.JTextComponent
                || c instanceof javax.swing.JList || c instanceof javax.swing.JComboBox
                || c instanceof javax.swing.JSpinner || c instanceof javax.swing.JSlider
                || c instanceof javax.swing.JTable || c instanceof javax.swing.JTree
                || c instanceof JTabbedPane || c instanceof javax.swing.JProgressBar
                || c instanceof javax.swing.JScrollBar;
    }

    /** Every component the window's focus traversal policy visits, starting from the first. */
    static Set<Component> reachable(Window w) {
        Set<Component> seen = new HashSet<>();
        FocusTraversalPolicy policy = w.getFocusTraversalPolicy();
        Container root = w;
        Component first = policy.getFirstComponent(root);
        Component c = first;
        while (c != null && seen.add(c)) {
            Component next = policy.getComponentAfter(root, c);
            c = next;
        }
        return seen;
    }

    static String describe(Component c) {
        String cls = c.getClass().getName();
        return cls.substring(cls.lastIndexOf('.') + 1) + (c.getName() != null ? "[" + c.getName() + "]" : "");
    }
}
