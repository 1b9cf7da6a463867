package org.allium.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.allium.core.Messengers;
import org.allium.core.api.FileEvent;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.Profile;
import org.allium.core.api.TorSettings;

/**
 * The receiving messenger of {@link FileOnionFigures} in a JVM of its own, so it can be killed
 * with -9 mid-transfer. Args: profile directory, passphrase file, file of torrc lines. Prints
 * {@code READY}, {@code ONLINE}, {@code FILE <id> <kind> <state> <bytes>} on stdout; a
 * PROGRESS line at the receiver means a chunk was newly verified and written. Reads
 * {@code stop} on stdin.
 */
public final class FileBenchChild {
    private FileBenchChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        char[] pass = Files.readString(Path.of(args[1])).toCharArray();
        List<String> lines = Files.readAllLines(Path.of(args[2]));
        Profile profile = Messengers.profiles().open(dir, pass);
        Messenger m = Messengers.create(profile, TorSettings.ownTor().withTestnetLines(lines));
        m.subscribe(e -> {
            if (e instanceof MessengerEvent.Ready) {
                out("READY");
            } else if (e instanceof MessengerEvent.PresenceChanged p && p.online()) {
                out("ONLINE");
            }
        });
        m.files().subscribe((FileEvent e) -> out("FILE " + e.transfer().id() + " " + e.kind() + " "
                + e.transfer().state() + " " + e.transfer().bytesDone()));
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
}
