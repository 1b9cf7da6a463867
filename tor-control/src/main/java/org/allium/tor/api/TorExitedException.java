package org.allium.tor.api;

import java.util.List;

/**
 * Tor exited (or the control connection closed) while we needed it, e.g. during start-up.
 * Carries tor's last log lines, with onion addresses scrubbed.
 */
public final class TorExitedException extends TorException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;
    private final List<String> lastLogLines;

    /** @param exitCode tor's exit status, or -1 when unknown */
    public TorExitedException(String message, int exitCode, List<String> lastLogLines) {
        super(message + (lastLogLines.isEmpty() ? "" : "; tor's last log lines:\n  "
                + String.join("\n  ", lastLogLines)));
        this.exitCode = exitCode;
        this.lastLogLines = List.copyOf(lastLogLines);
    }

    public int exitCode() {
        return exitCode;
    }

    public List<String> lastLogLines() {
        return lastLogLines;
    }
}
