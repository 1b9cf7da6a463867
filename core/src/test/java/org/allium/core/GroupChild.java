package org.allium.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;
import org.allium.core.groups.GroupEvent;

/**
 * A group member in its own JVM, so a test can kill -9 it mid-sync ({@link ChildProcess}), on
 * a tor shared with the test ({@link SharedTor}). Args: profile directory, control port, cookie
 * file, SOCKS port, file of torrc lines. Prints {@code READY} and {@code POSTED <entry id>
 * <author seq>} for every group entry stored; reads {@code stop} on stdin.
 */
public final class GroupChild {
    private GroupChild() {
    }

    public static void main(String[] args) {
        ChildProcess.run(args, GroupChild::run);
    }

    private static void run(String[] args) throws Exception {
        TorSettings tor = TorSettings.externalTor("127.0.0.1", Integer.parseInt(args[1]), Path.of(args[2]), null,
                Integer.parseInt(args[3])).withTestnetLines(Files.readAllLines(Path.of(args[4])));
        Profile profile = ChildProcess.openProfile(Path.of(args[0]));
        MessengerImpl m = Messengers.create(profile, tor, Timings.testnet());
        m.groups().subscribe(e -> {
            if (e instanceof GroupEvent.Posted p) {
                ChildProcess.out("POSTED " + p.post().id() + " " + p.post().seq());
            }
        });
        ChildProcess.serve(m, profile, line -> {
        });
    }

    /** The arguments for {@code shared}'s tor. */
    static List<String> args(Path profile, SharedTor shared, Path torrcLines) {
        TorSettings s = shared.settings();
        return List.of(profile.toString(), Integer.toString(s.controlPort()), s.cookieFile().toString(),
                Integer.toString(s.socksPort()), torrcLines.toString());
    }
}
