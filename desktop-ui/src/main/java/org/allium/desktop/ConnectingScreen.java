package org.allium.desktop;

import java.awt.GridBagLayout;
import java.util.Locale;
import java.util.Set;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import org.allium.core.api.MessengerEvent.TorProblem;
import org.allium.core.api.MessengerEvent.TorProgress;

/**
 * While tor starts: a progress bar with the bootstrap stage in words, and when something is
 * wrong, what to do about it (install tor, try bridges) — never a stack trace.
 * Event thread only.
 */
final class ConnectingScreen extends JPanel {
    interface Listener {
        void openTorSettings();

        /** Try again; with {@code bridgesOrNull} the chosen bridges are applied first. */
        void retry(BridgeChoice.Choice bridgesOrNull);

        void quit();
    }

    private static final Set<String> DIRECTORY_TAGS = Set.of("requesting_status", "loading_status",
            "loading_keys", "requesting_descriptors", "loading_descriptors", "enough_dirinfo");

    private final UiContext ctx;
    final JProgressBar progress = new JProgressBar(0, 100);
    final JLabel stage = PlainText.label();
    final JLabel problemTitle = Ui.colored("Allium.warning.foreground");
    final JLabel problemAdvice = Ui.ownHtml(new JLabel());
    final JLabel problemDetail = Ui.ownHtml(Ui.small(" "));
    private final JPanel problemPanel = new JPanel();
    /** Bridges, offered when tor makes no progress. */
    final BridgeChoice bridges;
    final JButton retry;
    /** How long without bootstrap progress before saying so (tests shorten it). */
    int stallMillis = 60_000;
    private final javax.swing.Timer stallTimer;
    private boolean stalled;

    ConnectingScreen(UiContext ctx, Listener listener) {
        super(new GridBagLayout());
        this.ctx = ctx;
        setName("connecting");
        JPanel column = new JPanel();
        column.setLayout(new BoxLayout(column, BoxLayout.Y_AXIS));
        column.setOpaque(false);
        column.add(Ui.title(ctx.text("connecting.title")));
        column.add(Box.createVerticalStrut(Ui.gap()));
        column.add(Ui.wrapped(ctx.text("connecting.intro"), 440));
        column.add(Box.createVerticalStrut(Ui.gap() * 2));
        progress.setStringPainted(true);
        progress.getAccessibleContext().setAccessibleName(ctx.text("connecting.progress.name"));
        progress.setFocusable(false);
        column.add(progress);
        column.add(Box.createVerticalStrut(Ui.gap()));
        column.add(stage);
        column.add(Box.createVerticalStrut(Ui.gap() * 2));

        problemPanel.setLayout(new BoxLayout(problemPanel, BoxLayout.Y_AXIS));
        problemPanel.setOpaque(false);
        problemTitle.setFont(problemTitle.getFont().deriveFont(java.awt.Font.BOLD));
        problemPanel.add(problemTitle);
        problemPanel.add(Box.createVerticalStrut(Ui.gap() / 2));
        problemPanel.add(problemAdvice);
        problemPanel.add(Box.createVerticalStrut(Ui.gap() / 2));
        problemPanel.add(problemDetail);
        problemPanel.add(Box.createVerticalStrut(Ui.gap()));
        column.add(problemPanel);
        bridges = new BridgeChoice(ctx);
        bridges.panel.setVisible(false);
        column.add(bridges.panel);
        column.add(Box.createVerticalStrut(Ui.gap()));
        stallTimer = new javax.swing.Timer(stallMillis, e -> stalled());
        stallTimer.setRepeats(false);

        JPanel buttons = new JPanel();
        buttons.setLayout(new BoxLayout(buttons, BoxLayout.X_AXIS));
        buttons.setOpaque(false);
        JButton settings = Ui.button(ctx.text("connecting.settings"), e -> listener.openTorSettings());
        retry = Ui.button(ctx.text("connecting.retry"),
                e -> {
                    if (!bridges.panel.isVisible()) {
                        listener.retry(null);
                        return;
                    }
                    BridgeChoice.Choice c = bridges.snapshot();
                    if (c != null) {
                        listener.retry(c);
                    }
                });
        JButton quit = Ui.button(ctx.text("connecting.quit"), e -> listener.quit());
        buttons.add(settings);
        buttons.add(Box.createHorizontalStrut(Ui.gap()));
        buttons.add(retry);
        buttons.add(Box.createHorizontalStrut(Ui.gap()));
        buttons.add(quit);
        column.add(buttons);
        for (java.awt.Component c : column.getComponents()) {
            ((JComponent) c).setAlignmentX(LEFT_ALIGNMENT);
        }
        add(column);
        reset();
    }

    void reset() {
        progress.setValue(0);
        progress.setString(ctx.format("connecting.percent", 0));
        stage.setText(ctx.text("tor.stage.starting"));
        problemPanel.setVisible(false);
        bridges.panel.setVisible(false);
        stalled = false;
        restartStallTimer();
    }

    private void restartStallTimer() {
        stallTimer.setInitialDelay(stallMillis);
        stallTimer.restart();
    }

    /** Stops watching for a stall (the screen is left). */
    void stopWatching() {
        stallTimer.stop();
    }

    /**
     * No bootstrap progress for {@link #stallMillis}: say so plainly and offer bridges; "Try
     * again" applies them at once.
     */
    void stalled() {
        if (!isShowing() || progress.getValue() >= 100) {
            return;
        }
        stalled = true;
        problemTitle.setText(ctx.text("connecting.stalled.title"));
        problemAdvice.setText(Ui.wrap(ctx.text("connecting.stalled.advice"), 440));
        problemDetail.setText(" ");
        problemPanel.setVisible(true);
        offerBridges();
    }

    /** Shows the bridge choice, set to what {@code current} uses. */
    void offerBridges() {
        bridges.panel.setVisible(true);
        revalidate();
        repaint();
    }

    boolean bridgesOffered() {
        return bridges.panel.isVisible();
    }

    boolean stalledShown() {
        return stalled && problemPanel.isVisible();
    }

    void progress(TorProgress p) {
        if (p.percent() > progress.getValue()) {
            restartStallTimer();
        }
        if (p.percent() >= 100) {
            stallTimer.stop();
        }
        progress.setValue(p.percent());
        progress.setString(ctx.format("connecting.percent", p.percent()));
        stage.setText(ctx.text(stageKey(p.tag(), p.percent())));
        progress.getAccessibleContext().setAccessibleDescription(stage.getText());
        // Progress means the earlier problem (e.g. "stuck") is over.
        if (p.percent() > 0 && !stalled) {
            problemPanel.setVisible(false);
        }
    }

    /** The bundle key that names a bootstrap stage; tor's tags grouped into a few phrases. */
    static String stageKey(String tag, int percent) {
        String t = tag.toLowerCase(Locale.ROOT);
        if (t.equals("done") || percent >= 100) {
            return "tor.stage.publishing";
        }
        if (t.equals("starting")) {
            return "tor.stage.starting";
        }
        if (DIRECTORY_TAGS.contains(t)) {
            return "tor.stage.directory";
        }
        if (t.equals("circuit_create")) {
            return "tor.stage.circuit";
        }
        if (t.contains("pt")) {
            return "tor.stage.bridge";
        }
        if (t.startsWith("conn") || t.startsWith("handshake") || t.startsWith("ap_")
                || t.equals("onehop_create")) {
            return "tor.stage.connecting";
        }
        return "tor.stage.other";
    }

    void problem(TorProblem p) {
        if (p.kind() == TorProblem.Kind.POW_UNAVAILABLE) {
            return; // informational: tor runs fine without the defence
        }
        String k = "tor.problem." + p.kind().name().toLowerCase(Locale.ROOT);
        problemTitle.setText(ctx.text(k + ".title"));
        problemAdvice.setText(Ui.wrap(ctx.text(k + ".advice"), 440));
        problemDetail.setText(Ui.wrap(ctx.format("tor.problem.detail", PlainText.line(p.message(), 300)), 440));
        problemPanel.setVisible(true);
        if (p.kind() == TorProblem.Kind.BOOTSTRAP_STUCK) {
            offerBridges();
        }
        revalidate();
    }

    boolean problemShown() {
        return problemPanel.isVisible();
    }
}
