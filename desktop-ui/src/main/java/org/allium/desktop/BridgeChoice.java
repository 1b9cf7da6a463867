package org.allium.desktop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.swing.ButtonGroup;
import javax.swing.JPanel;
import javax.swing.JRadioButton;
import javax.swing.JTextArea;
import org.allium.core.api.TorSettings;

/**
 * The bridge choice offered where Tor cannot connect (first start, or lost later): none, the
 * built-in obfs4 bridges (Tor Browser's list, {@link BridgeLines}; its recommended default), the
 * built-in snowflake bridges, or bridge lines the user pastes (from bridges.torproject.org or a
 * friend; each checked by {@link BridgeLines#isBridgeLine}). Applied at once by "Try again".
 * Event thread only.
 */
final class BridgeChoice {
    /**
     * Tor's built-in snowflake bridges (as Tor Browser's pt_config.json lists them). The
     * broker's fronts change over time; pasted bridges stay the reliable choice.
     */
    static final List<String> BUILT_IN_SNOWFLAKE = List.of(
            "snowflake 192.0.2.3:80 2B280B23E1107BB62ABFC40DDCC8824814F80A72"
                    + " fingerprint=2B280B23E1107BB62ABFC40DDCC8824814F80A72 url=https://1098762253.rsc.cdn77.org/"
                    + " fronts=app.datapacket.com,www.datapacket.com"
                    + " ice=stun:stun.epygi.com:3478,stun:stun.uls.co.za:3478,stun:stun.voipgate.com:3478,"
                    + "stun:stun.mixvoip.com:3478,stun:stun.telnyx.com:3478,stun:stun.hot-chilli.net:3478,"
                    + "stun:stun.fitauto.ru:3478,stun:stun.m-online.net:3478 utls-imitate=hellorandomizedalpn",
            "snowflake 192.0.2.4:80 8838024498816A039FCBBAB14E6F40A0843051FA"
                    + " fingerprint=8838024498816A039FCBBAB14E6F40A0843051FA url=https://1098762253.rsc.cdn77.org/"
                    + " fronts=app.datapacket.com,www.datapacket.com"
                    + " ice=stun:stun.epygi.com:3478,stun:stun.uls.co.za:3478,stun:stun.voipgate.com:3478,"
                    + "stun:stun.mixvoip.com:3478,stun:stun.telnyx.com:3478,stun:stun.hot-chilli.net:3478,"
                    + "stun:stun.fitauto.ru:3478,stun:stun.m-online.net:3478 utls-imitate=hellorandomizedalpn");
    private static final List<String> SNOWFLAKE_CLIENTS = List.of("/usr/bin/snowflake-client", "/usr/bin/lyrebird");
    private static final List<String> OBFS4_CLIENTS = List.of("/usr/bin/obfs4proxy", "/usr/bin/lyrebird");

    final JRadioButton none;
    final JRadioButton obfs4;
    final JRadioButton snowflake;
    final JRadioButton custom;
    final JTextArea lines = new JTextArea(4, 44);
    /** Which pasted line is not a bridge line, or empty. */
    final javax.swing.JLabel error = Ui.colored("Allium.error.foreground");
    private final UiContext ctx;
    final JPanel panel;

    BridgeChoice(UiContext ctx) {
        this.ctx = ctx;
        none = Ui.mnemonic(new JRadioButton(), ctx.text("bridges.none"));
        obfs4 = Ui.mnemonic(new JRadioButton(), ctx.text("bridges.obfs4"));
        snowflake = Ui.mnemonic(new JRadioButton(), ctx.text("bridges.snowflake"));
        custom = Ui.mnemonic(new JRadioButton(), ctx.text("bridges.custom"));
        ButtonGroup g = new ButtonGroup();
        g.add(none);
        g.add(obfs4);
        g.add(snowflake);
        g.add(custom);
        obfs4.setSelected(true);
        lines.setLineWrap(true);
        lines.getAccessibleContext().setAccessibleName(ctx.text("bridges.lines.name"));
        lines.setFocusTraversalKeys(java.awt.KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        lines.setFocusTraversalKeys(java.awt.KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
        Ui.onChange(lines, () -> {
            if (!lines.getText().isBlank()) {
                custom.setSelected(true);
            }
        });
        Ui.Form f = new Ui.Form();
        f.full(Ui.subtitle(ctx.text("bridges.title")));
        f.full(none);
        f.full(obfs4);
        f.full(snowflake);
        f.full(custom);
        f.full(Ui.scroll(lines));
        f.full(error);
        f.full(Ui.small(ctx.text("bridges.hint")));
        panel = f.panel;
        panel.setOpaque(false);
    }

    /** Shows what {@code t} uses now. */
    void load(TorSettings t) {
        if (t.bridges().isEmpty()) {
            none.setSelected(true);
        } else if (t.bridges().equals(BUILT_IN_SNOWFLAKE)) {
            snowflake.setSelected(true);
        } else if (t.bridges().equals(BridgeLines.builtInObfs4())) {
            obfs4.setSelected(true);
        } else {
            lines.setText(String.join("\n", t.bridges()));
            custom.setSelected(true);
        }
    }

    /** The pasted lines, cleaned: one bridge a line, an optional leading "Bridge" removed, blanks dropped. */
    List<String> pasted() {
        List<String> out = new ArrayList<>();
        for (String line : lines.getText().split("\n")) {
            String l = clean(line);
            if (l != null) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * {@code current} with the chosen bridges (own tor only; an external tor keeps its own
     * configuration). Touches the disk to find the transport program: call off the event
     * thread with a snapshot from {@link #snapshot()}.
     */
    static TorSettings apply(TorSettings current, Choice choice) {
        if (current.mode() != TorSettings.Mode.OWN) {
            return current;
        }
        return switch (choice.kind()) {
            case NONE -> current.withBridges(List.of(), null);
            case OBFS4 -> current.withBridges(BridgeLines.builtInObfs4(), find(OBFS4_CLIENTS));
            case SNOWFLAKE -> current.withBridges(BUILT_IN_SNOWFLAKE, find(SNOWFLAKE_CLIENTS));
            case CUSTOM -> choice.lines().isEmpty() ? current.withBridges(List.of(), null)
                    : current.withBridges(choice.lines(), choice.lines().stream().allMatch(l -> l.startsWith("snowflake "))
                            ? find(SNOWFLAKE_CLIENTS) : needsTransport(choice.lines()) ? find(OBFS4_CLIENTS) : null);
        };
    }

    /** What the user chose, as plain data (for the background thread). */
    record Choice(Kind kind, List<String> lines) {
        enum Kind { NONE, OBFS4, SNOWFLAKE, CUSTOM }
    }

    /** The choice, or null (the reason shown) when a pasted line is not a bridge line. */
    Choice snapshot() {
        Choice.Kind k = none.isSelected() ? Choice.Kind.NONE : obfs4.isSelected() ? Choice.Kind.OBFS4
                : snowflake.isSelected() ? Choice.Kind.SNOWFLAKE : Choice.Kind.CUSTOM;
        error.setText("");
        if (k == Choice.Kind.CUSTOM) {
            String[] raw = lines.getText().split("\n");
            for (int i = 0; i < raw.length; i++) {
                String l = clean(raw[i]);
                if (l != null && !BridgeLines.isBridgeLine(l)) {
                    error.setText(ctx.format("bridges.invalid", i + 1));
                    return null;
                }
            }
        }
        return new Choice(k, List.copyOf(pasted()));
    }

    /** One pasted line without "Bridge" and extra blanks; null for a blank or comment line. */
    private static String clean(String line) {
        String l = line.strip().replaceAll("\\s+", " ");
        if (l.regionMatches(true, 0, "Bridge ", 0, 7)) {
            l = l.substring(7).strip();
        }
        return l.isEmpty() || l.startsWith("#") ? null : l;
    }

    private static boolean needsTransport(List<String> bridges) {
        // A plain "IP:port fingerprint" bridge needs no transport; obfs4/webtunnel/meek lines do.
        return bridges.stream().anyMatch(l -> !Character.isDigit(l.charAt(0)) && l.charAt(0) != '[');
    }

    private static Path find(List<String> candidates) {
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return Path.of(candidates.get(0)); // tor's problem then names the missing program
    }
}
