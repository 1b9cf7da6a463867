package org.allium.core;

import java.nio.file.Files;
import java.nio.file.Path;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;

/**
 * A messenger in its own JVM, so a test can kill -9 it ({@link ChildProcess}). Args: profile
 * directory, file of torrc lines. Prints {@code READY}, {@code RECEIVED <text>} and
 * {@code PRESENCE <online>} lines on stdout; reads {@code stop} on stdin.
 */
public final class ChildMessenger {
    private ChildMessenger() {
    }

    public static void main(String[] args) {
        ChildProcess.run(args, ChildMessenger::run);
    }

    private static void run(String[] args) throws Exception {
        Profile profile = ChildProcess.openProfile(Path.of(args[0]));
        TorSettings tor = TorSettings.ownTor().withTestnetLines(Files.readAllLines(Path.of(args[1])));
        MessengerImpl m = Messengers.create(profile, tor, Timings.testnet());
        m.subscribe(e -> {
            if (e instanceof MessengerEvent.MessageReceived r) {
                ChildProcess.out("RECEIVED " + r.message().text());
            } else if (e instanceof MessengerEvent.PresenceChanged p) {
                ChildProcess.out("PRESENCE " + p.online());
            }
        });
        ChildProcess.serve(m, profile, line -> {
        });
    }
}
