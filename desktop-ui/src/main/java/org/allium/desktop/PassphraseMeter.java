package org.allium.desktop;

import java.awt.BorderLayout;
import java.awt.Color;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.JProgressBar;

/**
 * A passphrase field's strength meter and hint, and whether the confirmation matches.
 * Event thread only.
 */
final class PassphraseMeter extends JPanel {
    private final UiContext ctx;
    private final JProgressBar bar = new JProgressBar(0, 4);
    private final JLabel hint = PlainText.label();
    private PassphraseStrength strength = PassphraseStrength.EMPTY;

    PassphraseMeter(UiContext ctx) {
        super(new BorderLayout(Ui.gap(), Ui.gap() / 2));
        this.ctx = ctx;
        setOpaque(false);
        bar.getAccessibleContext().setAccessibleName(ctx.text("passphrase.strength.name"));
        bar.setFocusable(false);
        add(bar, BorderLayout.NORTH);
        add(hint, BorderLayout.CENTER);
        update(new char[0]);
    }

    void update(char[] passphrase) {
        strength = PassphraseStrength.of(passphrase);
        java.util.Arrays.fill(passphrase, '\0');
        bar.setValue(strength.level());
        String key = "Allium.strength." + switch (strength) {
            case EMPTY, WEAK -> "weak";
            case FAIR -> "fair";
            case GOOD -> "good";
            case STRONG -> "strong";
        };
        Color c = Theme.color(key, Color.GRAY);
        bar.setForeground(c);
        hint.setText(ctx.text(strength.hintKey()));
        bar.getAccessibleContext().setAccessibleDescription(hint.getText());
    }

    PassphraseStrength strength() {
        return strength;
    }

    /** Hooks this meter to {@code field}. */
    void follow(JPasswordField field) {
        Ui.onChange(field, () -> update(field.getPassword()));
    }

    JLabel hintLabel() {
        return hint;
    }
}
