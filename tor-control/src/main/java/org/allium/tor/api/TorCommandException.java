package org.allium.tor.api;

/**
 * Tor answered a control command with an error reply (5xx). {@link #torMessage()} is
 * tor's own text, e.g. {@code "Unrecognized option ..."}.
 */
public final class TorCommandException extends TorException {
    private static final long serialVersionUID = 1L;
    private final String command;
    private final String torMessage;

    /** @param command the command keyword only (never its arguments, which may hold keys) */
    public TorCommandException(String command, String torMessage) {
        super("tor refused " + command + ": " + torMessage);
        this.command = command;
        this.torMessage = torMessage;
    }

    public String command() {
        return command;
    }

    public String torMessage() {
        return torMessage;
    }
}
