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

/**
 * A messenger in its own JVM, so a test can kill -9 it. Args: profile directory, file of
 * torrc lines. Prints {@code READY} and {@code RECEIVED <text>} lines on stdout; reads
 * {@code stop} on stdin.
 */
public final class ChildMessenger {
    private ChildMessenger() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<String> lines = Files.readAllLines(Path.of(args[1]));
        ProfilesImpl profiles = ProfilesImpl.create(Executors.newSingleThreadExecutor(),
                KdfParams.FAST_INSECURE_FOR_TESTS);
        Profile profile = profiles.open(dir, Node.PASS);
        MessengerImpl m = Messengers.create(profile, TorSettings.ownTor().withTestnetLines(lines), Timings.testnet());
        m.subscribe(e -> {
            if (e instanceof MessengerEvent.Ready) {
                out("READY");
            } else if (e instanceof MessengerEvent.MessageReceived r) {
                out("RECEIVED " + r.message().text());
            } else if (e instanceof MessengerEvent.PresenceChanged p) {
                out("PRESENCE " + p.online());
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
}
