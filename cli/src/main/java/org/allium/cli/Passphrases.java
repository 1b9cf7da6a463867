package org.allium.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Where passphrases come from, in this order: {@code --passphrase-fd N} (one line per
 * passphrase), the environment ({@code ALLIUM_PASSPHRASE}, and {@code ALLIUM_NEW_PASSPHRASE}
 * for a new one), an interactive prompt without echo. Never argv. One instance per command;
 * not thread-safe. The caller wipes the returned arrays.
 */
final class Passphrases {

    static final String ENV = "ALLIUM_PASSPHRASE";
    static final String ENV_NEW = "ALLIUM_NEW_PASSPHRASE";
    /** Longest passphrase line read from a descriptor, in bytes. */
    static final int MAX_LINE_BYTES = 4096;

    private final CliContext ctx;
    private final Integer fd;
    private InputStream fdStream;

    Passphrases(CliContext ctx, Integer fd) {
        this.ctx = ctx;
        this.fd = fd;
    }

    /** The passphrase of an existing profile. */
    char[] existing() throws CliException {
        if (fd != null) {
            return fromFd();
        }
        String env = ctx.env(ENV);
        if (env != null) {
            return nonEmpty(env.toCharArray(), ENV);
        }
        return prompt("Passphrase: ");
    }

    /**
     * A new passphrase (for {@code init} or {@code passwd}); prompted twice to catch typos.
     *
     * @param envName the variable to look at ({@link #ENV} for init, {@link #ENV_NEW} for passwd)
     */
    char[] fresh(String envName) throws CliException {
        if (fd != null) {
            return fromFd();
        }
        String env = ctx.env(envName);
        if (env != null) {
            return nonEmpty(env.toCharArray(), envName);
        }
        char[] first = prompt("New passphrase: ");
        char[] second = prompt("Repeat the new passphrase: ");
        try {
            if (!Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw new CliException(ExitCode.USAGE, "the two passphrases differ");
            }
            return first;
        } finally {
            Arrays.fill(second, '\0');
        }
    }

    private char[] prompt(String text) throws CliException {
        if (ctx.prompt() == null) {
            throw new CliException(ExitCode.USAGE, "no passphrase: not a terminal; set " + ENV
                    + " or use --passphrase-fd N");
        }
        char[] p = ctx.prompt().read(text);
        if (p == null) {
            throw new CliException(ExitCode.USAGE, "no passphrase: end of input at the prompt");
        }
        return nonEmpty(p, "the prompt");
    }

    private char[] fromFd() throws CliException {
        if (fdStream == null) {
            if (fd < 0) {
                throw new CliException(ExitCode.USAGE, "--passphrase-fd must be 0 or more");
            }
            try {
                fdStream = ctx.fds().open(fd);
            } catch (IOException e) {
                throw new CliException(ExitCode.USAGE, "cannot read --passphrase-fd " + fd + ": " + e.getMessage());
            }
        }
        try {
            char[] line = readLine(fdStream);
            if (line == null) {
                throw new CliException(ExitCode.USAGE, "no passphrase: file descriptor " + fd + " is empty");
            }
            return nonEmpty(line, "file descriptor " + fd);
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read --passphrase-fd " + fd + ": " + e.getMessage());
        }
    }

    private static char[] nonEmpty(char[] p, String source) throws CliException {
        if (p.length == 0) {
            throw new CliException(ExitCode.USAGE, "empty passphrase from " + source);
        }
        return p;
    }

    /**
     * Reads one line (without its LF or CRLF) byte by byte, so nothing after it is consumed,
     * decoding strict UTF-8. Returns null at end of input before any byte.
     */
    static char[] readLine(InputStream in) throws IOException {
        try {
            return LineIo.readLineChars(in, MAX_LINE_BYTES);
        } catch (LineIo.BadLineException e) {
            throw new IOException("passphrase " + e.getMessage());
        }
    }
}
