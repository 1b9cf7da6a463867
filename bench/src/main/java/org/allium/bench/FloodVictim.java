package org.allium.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.allium.core.Messengers;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.MessengerException;
import org.allium.core.api.Profile;
import org.allium.core.api.Profiles;
import org.allium.core.api.TorSettings;

/**
 * The flooded messenger of {@link FloodFigures}, alone in its JVM so that its heap and RSS are
 * its own (its tor is a separate process, not counted). Args: profile dir, torrc-lines file.
 * Accepts the one request whose text is {@code contact-please} (the contact that chats); every
 * other request stays pending. Stdout: {@code ADDRESS id}; on stdin {@code memory} →
 * {@code MEMORY heapBytes rssBytes pendingRequests}; {@code stop} ends it.
 */
public final class FloodVictim {
    private static final char[] PASS = "figures only".toCharArray();

    private FloodVictim() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<String> lines = Files.readAllLines(Path.of(args[1]));
        Profiles profiles = Messengers.profiles();
        Profile profile = profiles.create(dir, PASS, null);
        Messenger m = Messengers.create(profile, TorSettings.ownTor().withTestnetLines(lines));
        m.subscribe(e -> {
            if (e instanceof MessengerEvent.Ready) {
                out("ADDRESS " + m.myIdentity().serviceId());
            } else if (e instanceof MessengerEvent.RequestReceived r && "contact-please".equals(r.request().message())) {
                try {
                    m.accept(r.request().id());
                } catch (MessengerException ex) {
                    out("ERROR " + ex.getMessage());
                }
            }
        });
        m.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String l; (l = in.readLine()) != null; ) {
            if (l.equals("stop")) {
                break;
            }
            if (l.equals("memory")) {
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    Thread.sleep(200);
                }
                Runtime rt = Runtime.getRuntime();
                long heap = rt.totalMemory() - rt.freeMemory();
                long rssKb = 0;
                for (String s : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (s.startsWith("VmRSS:")) {
                        rssKb = Long.parseLong(s.replaceAll("[^0-9]", ""));
                    }
                }
                out("MEMORY " + heap + " " + rssKb * 1024 + " " + m.requests().size());
            }
        }
        m.stop();
        profile.close();
        out("STOPPED");
        System.exit(0);
    }

    private static synchronized void out(String s) {
        System.out.println(s);
        System.out.flush();
    }
}
