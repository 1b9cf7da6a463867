package org.allium.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tor itself as the oracle: our expanded secret key, written in tor's key-file format,
 * makes tor (offline, DisableNetwork 1) derive exactly the address we compute. Needs the
 * tor binary ({@code ALLIUM_TOR} or {@code tor} on PATH); fails when it is missing.
 */
class TorAgreesIT {
    private static final byte[] SECRET_HEADER = "== ed25519v1-secret: type0 ==\0\0\0".getBytes(StandardCharsets.US_ASCII);

    static String torBinary() {
        String env = System.getenv("ALLIUM_TOR");
        if (env != null && !env.isBlank()) {
            return env;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "tor");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        fail("tor not found: install the 'tor' package or set ALLIUM_TOR");
        return null;
    }

    @Test
    void torDerivesOurAddressesFromOurExpandedKeys(@TempDir Path dir) throws Exception {
        List<IdentityKeyPair> ids = new ArrayList<>();
        ids.add(IdentityKeyPair.fromSeed(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")));
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 4; i++) {
            ids.add(IdentityKeyPair.generate(random));
        }
        var privateDir = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        Path data = Files.createDirectory(dir.resolve("data"), privateDir);
        StringBuilder torrc = new StringBuilder("DataDirectory " + data + "\nSocksPort 0\nDisableNetwork 1\nLog notice stdout\n");
        List<Path> hostnames = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Path hs = Files.createDirectory(dir.resolve("hs" + i), privateDir);
            byte[] expanded = ids.get(i).expandedSecretKey();
            byte[] file = new byte[SECRET_HEADER.length + expanded.length];
            System.arraycopy(SECRET_HEADER, 0, file, 0, SECRET_HEADER.length);
            System.arraycopy(expanded, 0, file, SECRET_HEADER.length, expanded.length);
            Files.write(hs.resolve("hs_ed25519_secret_key"), file);
            torrc.append("HiddenServiceDir ").append(hs).append("\nHiddenServicePort 80 127.0.0.1:9\n");
            hostnames.add(hs.resolve("hostname"));
        }
        Path torrcFile = Files.writeString(dir.resolve("torrc"), torrc);
        Process tor = new ProcessBuilder(torBinary(), "-f", torrcFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("tor.log").toFile()).start();
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            for (Path h : hostnames) {
                h.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!allWritten(hostnames)) {
                if (!tor.isAlive()) {
                    fail("tor exited with " + tor.exitValue() + ": " + Files.readString(dir.resolve("tor.log")));
                }
                if (System.nanoTime() > deadline) {
                    fail("tor wrote no hostname files within 120 s: " + Files.readString(dir.resolve("tor.log")));
                }
                var key = watcher.poll(1, TimeUnit.SECONDS); // an event or a re-check of the process
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        } finally {
            tor.destroy();
            if (!tor.waitFor(30, TimeUnit.SECONDS)) {
                tor.destroyForcibly();
            }
        }
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(ids.get(i).address().hostname(), Files.readString(hostnames.get(i)).strip(), "identity " + i);
        }
        assertTrue(Files.readString(hostnames.get(0)).startsWith("aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead"));
    }

    private static boolean allWritten(List<Path> hostnames) throws IOException {
        for (Path h : hostnames) {
            if (!Files.exists(h) || !Files.readString(h).strip().endsWith(".onion")) {
                return false;
            }
        }
        return true;
    }
}
