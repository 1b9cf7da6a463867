package org.allium.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.allium.testnet.Testnet;
import org.allium.testnet.TestnetExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What another user of the same machine can reach (issue 11 §5, §6): a messenger with its own
 * tor, in a child JVM, listens on no TCP port at all — neither our onion targets nor tor's
 * control or SOCKS port (all Unix sockets in owner-only directories) — and the tor it starts
 * does not inherit {@code ALLIUM_PASSPHRASE} or any other {@code ALLIUM_*} variable.
 */
@ExtendWith(TestnetExtension.class)
class LocalSurfaceIT {
    static {
        TestLogs.install();
    }

    private static final String SECRET = "pass-in-env-9f3c";

    @Test
    void ownTorModeListensOnNoTcpPortAndTorInheritsNoAlliumSecret(Testnet testnet, @TempDir Path tmp)
            throws Exception {
        Path lines = tmp.resolve("torrc-lines");
        Files.write(lines, testnet.clientTorrcLines());
        try (Node n = new Node("lena", tmp, testnet.clientTorrcLines(), Timings.testnet())) {
            ChildProcess c = ChildProcess.start(ChildMessenger.class,
                    List.of(n.dir.resolve("profile").toString(), lines.toString()), tmp.resolve("child-stderr.log"),
                    Map.of("ALLIUM_PASSPHRASE", SECRET, "ALLIUM_OTHER_SECRET", SECRET));
            Process child = c.process();
            try {
                c.awaitReady();
                // Wait for the identity onion's target listener, whatever its kind, before looking.
                long deadline = System.nanoTime() + Node.LONG.toNanos();
                while (unixListeners(child.pid()) == 0
                        && listeningTcpInodes().stream().noneMatch(socketInodes(child.pid())::contains)) {
                    assertTrue(System.nanoTime() < deadline, "the messenger never listened for its onion");
                    Thread.sleep(50);
                }

                long torPid = child.descendants().filter(p -> p.info().command().orElse("").endsWith("tor"))
                        .mapToLong(ProcessHandle::pid).findFirst().orElseThrow(() -> new AssertionError("no tor child"));
                Set<String> ours = socketInodes(child.pid());
                ours.addAll(socketInodes(torPid));
                assertFalse(ours.isEmpty(), "the processes have sockets");
                List<String> tcp = listeningTcpInodes();
                List<String> exposed = tcp.stream().filter(ours::contains).toList();
                assertEquals(List.of(), exposed, "TCP listeners of the messenger or its tor (socket inodes)");
                assertTrue(unixListeners(child.pid()) >= 1, "the onion target is a Unix socket");

                String environ = Files.readString(Path.of("/proc/" + torPid + "/environ"), StandardCharsets.ISO_8859_1);
                for (String var : environ.split("\0")) {
                    assertFalse(var.startsWith("ALLIUM_"), "tor inherited " + var.split("=", 2)[0]);
                }
                assertFalse(environ.contains(SECRET), "tor's environment holds the passphrase");
            } finally {
                c.stopQuietly();
            }
        }
    }

    /** Inodes of every socket the process holds open. */
    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return inodes;
    }

    /** Inodes of every TCP socket in state LISTEN (0A) on this machine, IPv4 and IPv6. */
    static List<String> listeningTcpInodes() throws IOException {
        List<String> inodes = new ArrayList<>();
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(file);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> rows = Files.readAllLines(p);
            for (String row : rows.subList(1, rows.size())) {
                String[] f = row.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A")) {
                    inodes.add(f[9]);
                }
            }
        }
        return inodes;
    }

    /** How many listening Unix sockets the process holds (from /proc/net/unix, flag __SO_ACCEPTCON). */
    private static long unixListeners(long pid) throws IOException {
        Set<String> ours = socketInodes(pid);
        return Files.readAllLines(Path.of("/proc/net/unix")).stream().skip(1)
                .map(r -> r.trim().split("\\s+"))
                .filter(f -> f.length > 6 && f[3].equals("00010000") && ours.contains(f[6]))
                .count();
    }
}
