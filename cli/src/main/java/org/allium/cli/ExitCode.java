package org.allium.cli;

import java.util.Locale;

/**
 * The documented exit codes of {@code allium} (cli/README.md lists them). The same names,
 * lower-cased, are the {@code "code"} of an error on the control socket.
 */
enum ExitCode {
    OK(0),
    /** A bug or an unexpected I/O error; the message says what. */
    ERROR(1),
    /** Bad command line: unknown option, missing argument, no passphrase source. */
    USAGE(2),
    /** Not an Allium address or link (typo, wrong checksum, wrong length). */
    BAD_ADDRESS(3),
    WRONG_PASSPHRASE(4),
    /** Another process (a daemon, the desktop app) has the profile open. */
    PROFILE_IN_USE(5),
    /** No tor binary found. */
    TOR_MISSING(6),
    /** Tor was found but failed: exited, bootstrap stuck, external control port unusable. */
    TOR_FAILED(7),
    /** No profile in the directory: run {@code allium init} first. */
    NO_PROFILE(8),
    /** {@code init} on a directory that already holds a profile. */
    PROFILE_EXISTS(9),
    UNKNOWN_CONTACT(10),
    /** The operation was queued but did not complete within the wait (e.g. not delivered yet). */
    TIMEOUT(11),
    /** The running daemon's control socket failed or answered nonsense. */
    CONTROL_FAILED(12),
    /** Refused by the engine for another reason (e.g. a message too long, a contact blocked). */
    REFUSED(13),
    /**
     * A file of the profile (or a backup) is damaged; nothing was changed. The message names
     * the file and what to do ({@code allium repair}, {@code allium restore}).
     */
    DAMAGED(14),
    /**
     * The profile's disk is full: nothing was changed, nothing stored was lost; the message
     * says how much space is needed ("disk full: N MB needed"). A running daemon goes on by
     * itself once there is room.
     */
    DISK_FULL(15),
    /**
     * The profile is read-only (read-only media, no permission to write it): reading commands
     * work, a change or {@code run} is refused; nothing was changed.
     */
    READ_ONLY(16),
    /** Stopped by Ctrl-C / SIGINT. */
    INTERRUPTED(130);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    /** The stable lower-case name used in JSON ({@code "bad_address"}). */
    String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ExitCode fromJsonName(String name) {
        for (ExitCode c : values()) {
            if (c.jsonName().equals(name)) {
                return c;
            }
        }
        return ERROR;
    }
}
