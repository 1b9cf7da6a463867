package org.allium.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import org.allium.contacts.api.KdfParams;
import org.allium.core.api.ContactId;
import org.allium.core.api.FileEvent;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;

/**
 * A messenger in its own JVM for file-transfer crash tests (kill -9). Args: profile directory,
 * file of torrc lines. Prints {@code READY}, {@code ONLINE}, {@code FILE <id> <state> <bytes>}
 * on stdout; reads {@code offer <contact> <path>} and {@code stop} on stdin.
 */
public final class FileChild {
    private FileChild() {
    }

    public static void main(String[] args) throws Exception {
        TestLogs.install(); // core's FINE lines on stderr, which the test keeps in a log file
        Path dir = Path.of(args[0]);
        List<String> lines = Files.readAllLines(Path.of(args[1]));
        ProfilesImpl profiles = ProfilesImpl.create(Executors.newSingleThreadExecutor(),
                KdfParams.FAST_INSECURE_FOR_TESTS);
        Profile profile = profiles.open(dir, Node.PASS);
        MessengerImpl m = Messengers.create(profile, TorSettings.ownTor().withTestnetLines(lines), Timings.testnet());
        m.subscribe(e -> {
            if (e instanceof MessengerEvent.Ready) {
                out("READY");
            } else if (e instanceof MessengerEvent.PresenceChanged p && p.online()) {
                out("ONLINE");
            }
        });
        m.files().subscribe((FileEvent e) -> out("FILE " + e.transfer().id() + " " + e.transfer().state() + " "
                + e.transfer().bytesDone()));
        m.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String l; (l = in.readLine()) != null; ) {
            if (l.equals("stop")) {
                break;
            }
            if (l.startsWith("offer ")) {
                String[] p = l.split(" ", 3);
                out("OFFERED " + m.files().offer(ContactId.parse(p[1]), Path.of(p[2])).id());
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
}
