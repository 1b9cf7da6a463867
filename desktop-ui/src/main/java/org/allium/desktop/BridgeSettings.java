package org.allium.desktop;

import java.util.function.UnaryOperator;
import javax.swing.JComponent;
import org.allium.core.api.TorSettings;

/**
 * The bridge choice of the connecting screen ({@link BridgeChoice}) for other windows — the
 * drop line's source window, which runs a tor of its own and keeps its choice for that window
 * only. Event thread only, except the function {@link #chosen} returns.
 */
public final class BridgeSettings {
    private final BridgeChoice choice;

    public BridgeSettings(UiContext ctx) {
        this.choice = new BridgeChoice(ctx);
    }

    /** The radio buttons, the pasted lines and the hint. */
    public JComponent panel() {
        return choice.panel;
    }

    /** Shows what {@code t} uses now. */
    public void load(TorSettings t) {
        choice.load(t);
    }

    /**
     * What the user chose, as a change to apply to tor settings; it looks for the transport
     * program on disk, so apply it off the event thread. An external tor is left as it is.
     */
    public UnaryOperator<TorSettings> chosen() {
        BridgeChoice.Choice c = choice.snapshot();
        return t -> BridgeChoice.apply(t, c);
    }
}
