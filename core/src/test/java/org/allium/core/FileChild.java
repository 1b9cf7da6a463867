package org.allium.core;

import java.nio.file.Files;
import java.nio.file.Path;
import org.allium.core.api.ContactId;
import org.allium.core.api.FileEvent;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;

/**
 * A messenger in its own JVM for file-transfer crash tests (kill -9, {@link ChildProcess}).
 * Args: profile directory, file of torrc lines. Prints {@code READY}, {@code ONLINE},
 * {@code FILE <id> <state> <bytes>} and {@code OFFERED <id>} on stdout; reads
 * {@code offer <contact> <path>} and {@code stop} on stdin.
 */
public final class FileChild {
    private FileChild() {
    }

    public static void main(String[] args) {
        ChildProcess.run(args, FileChild::run);
    }

    private static void run(String[] args) throws Exception {
        TestLogs.install(); // core's FINE lines on stderr, which the test keeps in a log file
        Profile profile = ChildProcess.openProfile(Path.of(args[0]));
        TorSettings tor = TorSettings.ownTor().withTestnetLines(Files.readAllLines(Path.of(args[1])));
        MessengerImpl m = Messengers.create(profile, tor, Timings.testnet());
        m.subscribe(e -> {
            if (e instanceof MessengerEvent.PresenceChanged p && p.online()) {
                ChildProcess.out("ONLINE");
            }
        });
        m.files().subscribe((FileEvent e) -> ChildProcess.out("FILE " + e.transfer().id() + " "
                + e.transfer().state() + " " + e.transfer().bytesDone()));
        ChildProcess.serve(m, profile, line -> {
            if (line.startsWith("offer ")) {
                String[] p = line.split(" ", 3);
                ChildProcess.out("OFFERED " + m.files().offer(ContactId.parse(p[1]), Path.of(p[2])).id());
            }
        });
    }
}
