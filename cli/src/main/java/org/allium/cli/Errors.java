package org.allium.cli;

import org.allium.core.api.DiskFullException;
import org.allium.core.api.IllegalContactStateException;
import org.allium.core.api.InvalidAddressException;
import org.allium.core.api.MessengerException;
import org.allium.core.api.ProfileDamagedException;
import org.allium.core.api.ProfileExistsException;
import org.allium.core.api.ProfileInUseException;
import org.allium.core.api.ProfileNotFoundException;
import org.allium.core.api.TextTooLongException;
import org.allium.core.api.UnknownContactException;
import org.allium.core.api.WrongPassphraseException;

/** Maps the core API's exceptions to the command line's documented exit codes and messages. */
final class Errors {

    private Errors() {
    }

    static CliException map(MessengerException e) {
        if (e instanceof WrongPassphraseException) {
            return new CliException(ExitCode.WRONG_PASSPHRASE, "wrong passphrase", e);
        }
        if (e instanceof org.allium.core.api.ProfileReadOnlyException) {
            return new CliException(ExitCode.READ_ONLY, e.getMessage(), e);
        }
        if (e instanceof DiskFullException) {
            return new CliException(ExitCode.DISK_FULL, e.getMessage(), e);
        }
        if (e instanceof ProfileDamagedException) {
            return new CliException(ExitCode.DAMAGED, e.getMessage(), e);
        }
        if (e instanceof ProfileInUseException) {
            return new CliException(ExitCode.PROFILE_IN_USE,
                    "profile in use: another Allium (the desktop app or a daemon) has it open", e);
        }
        if (e instanceof ProfileNotFoundException) {
            return new CliException(ExitCode.NO_PROFILE, "no profile there: run 'allium init' first", e);
        }
        if (e instanceof ProfileExistsException) {
            return new CliException(ExitCode.PROFILE_EXISTS, "a profile already exists there", e);
        }
        if (e instanceof InvalidAddressException) {
            return new CliException(ExitCode.BAD_ADDRESS, "bad address: " + e.getMessage(), e);
        }
        if (e instanceof UnknownContactException) {
            return new CliException(ExitCode.UNKNOWN_CONTACT, "unknown contact: " + e.getMessage(), e);
        }
        if (e instanceof TextTooLongException || e instanceof IllegalContactStateException) {
            return new CliException(ExitCode.REFUSED, "refused: " + e.getMessage(), e);
        }
        return new CliException(ExitCode.ERROR, e.getMessage(), e);
    }
}
