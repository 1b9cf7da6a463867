package org.allium.desktop;

import java.awt.Component;
import java.awt.Container;
import java.awt.Window;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.swing.AbstractButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JMenu;
import javax.swing.JMenuItem;
import javax.swing.JPopupMenu;
import javax.swing.JTabbedPane;

/** Finds mnemonics (Alt+letter) that act at the same time in one window or menu. Event thread only. */
final class Mnemonics {
    private Mnemonics() {
    }

    /** One line per collision, naming the screen, the letter and the texts that share it. */
    static List<String> collisions(String screen, Window window) {
        List<String> out = new ArrayList<>();
        Map<Integer, List<String>> base = new LinkedHashMap<>();
        List<JTabbedPane> tabbed = new ArrayList<>();
        List<JPopupMenu> menus = new ArrayList<>();
        collect(window, base, tabbed, menus);
        if (tabbed.isEmpty()) {
            report(screen, base, out);
        }
        for (JTabbedPane t : tabbed) {
            for (int i = 0; i < t.getTabCount(); i++) {
                Map<Integer, List<String>> scope = copy(base);
                Component tab = t.getComponentAt(i);
                if (tab != null) {
                    List<JTabbedPane> nested = new ArrayList<>();
                    collect(tab, scope, nested, menus);
                }
                report(screen + " / tab " + t.getTitleAt(i), scope, out);
            }
        }
        for (JPopupMenu m : menus) {
            Map<Integer, List<String>> items = new LinkedHashMap<>();
            for (Component c : m.getComponents()) {
                if (c instanceof JMenuItem item && item.isVisible() && item.getMnemonic() != 0) {
                    items.computeIfAbsent(item.getMnemonic(), k -> new ArrayList<>()).add(item.getText());
                }
            }
            report(screen + " / menu " + (m.getInvoker() instanceof JMenu j ? j.getText() : m.getLabel()), items, out);
        }
        return out;
    }

    private static void collect(Component c, Map<Integer, List<String>> scope, List<JTabbedPane> tabbed,
            List<JPopupMenu> menus) {
        if (!c.isVisible()) {
            return;
        }
        if (c instanceof JComponent jc && jc.getComponentPopupMenu() != null
                && !menus.contains(jc.getComponentPopupMenu())) {
            menus.add(jc.getComponentPopupMenu());
        }
        if (c instanceof JMenu menu) {
            menus.add(menu.getPopupMenu());
        }
        if (c instanceof AbstractButton b && b.getMnemonic() != 0) {
            scope.computeIfAbsent(b.getMnemonic(), k -> new ArrayList<>()).add(b.getText());
        } else if (c instanceof JLabel l && l.getDisplayedMnemonic() != 0 && l.getLabelFor() != null) {
            scope.computeIfAbsent(l.getDisplayedMnemonic(), k -> new ArrayList<>()).add(l.getText());
        }
        if (c instanceof JTabbedPane t) {
            for (int i = 0; i < t.getTabCount(); i++) {
                if (t.getMnemonicAt(i) > 0) {
                    scope.computeIfAbsent(t.getMnemonicAt(i), k -> new ArrayList<>()).add(t.getTitleAt(i));
                }
            }
            tabbed.add(t);
            return;
        }
        if (c instanceof Container k) {
            for (Component child : k.getComponents()) {
                collect(child, scope, tabbed, menus);
            }
        }
    }

    private static Map<Integer, List<String>> copy(Map<Integer, List<String>> m) {
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return out;
    }

    private static void report(String where, Map<Integer, List<String>> scope, List<String> out) {
        scope.forEach((key, texts) -> {
            if (texts.size() > 1) {
                out.add(where + ": Alt+" + java.awt.event.KeyEvent.getKeyText(key) + " " + texts);
            }
        });
    }
}
