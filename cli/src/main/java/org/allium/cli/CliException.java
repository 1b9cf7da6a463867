package org.allium.cli;

/**
 * The command line's one checked exception: a failure with the exit code it maps to and a
 * message fit for the user (never containing a passphrase; addresses only when the user
 * typed them).
 */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;

    CliException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    ExitCode exitCode() {
        return exitCode;
    }
}
