package org.allium.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import org.allium.contacts.api.KdfParams;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;
import org.allium.core.groups.GroupEvent;

/**
 * A group member in its own JVM, so a test can kill -9 it mid-sync, on a tor shared with the
 * test ({@link SharedTor}). Args: profile directory, control port, cookie file, SOCKS port,
 * file of torrc lines. Prints {@code READY} and {@code POSTED <entry id> <author seq>} for every
 * group entry stored; reads {@code stop} on stdin.
 */
public final class GroupChild {
    private GroupChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        TorSettings tor = TorSettings.externalTor("127.0.0.1", Integer.parseInt(args[1]), Path.of(args[2]), null,
                Integer.parseInt(args[3])).withTestnetLines(Files.readAllLines(Path.of(args[4])));
        ProfilesImpl profiles = ProfilesImpl.create(Executors.newSingleThreadExecutor(),
                KdfParams.FAST_INSECURE_FOR_TESTS);
        Profile profile = profiles.open(dir, Node.PASS);
        MessengerImpl m = Messengers.create(profile, tor, Timings.testnet());
        m.groups().subscribe(e -> {
            if (e instanceof GroupEvent.Posted p) {
                out("POSTED " + p.post().id() + " " + p.post().seq());
            }
        });
        m.subscribe(e -> {
            if (e instanceof MessengerEvent.Ready) {
                out("READY");
            }
        });
        m.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String l; (l = in.readLine()) != null; ) {
            if (l.equals("stop")) {
                break;
            }
        }
        m.stop();
        profile.close();
        out("STOPPED");
        System.exit(0);
    }

    private static synchronized void out(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** The arguments for {@code shared}'s tor. */
    static List<String> args(Path profile, SharedTor shared, Path torrcLines) {
        TorSettings s = shared.settings();
        return List.of(profile.toString(), Integer.toString(s.controlPort()), s.cookieFile().toString(),
                Integer.toString(s.socksPort()), torrcLines.toString());
    }
}
