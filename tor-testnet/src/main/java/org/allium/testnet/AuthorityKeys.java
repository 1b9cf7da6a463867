package org.allium.testnet;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates directory-authority keys with {@code tor-gencert} and relay identity keys with
 * {@code tor --list-fingerprint}, all authorities in parallel. Stateless; blocking.
 */
final class AuthorityKeys {
    private static final long STEP_TIMEOUT_S = 120;
    /** A placeholder authority: --list-fingerprint refuses to run with none configured. */
    private static final String DUMMY_AUTHORITY = "x 127.0.0.1:1 " + "f".repeat(40);

    private AuthorityKeys() {
    }

    /** What to generate for one authority. */
    record Request(String nickname, Path dataDirectory, int orPort, int dirPort) {
    }

    static List<DirAuthority> generate(TestnetOptions options, List<Request> requests)
            throws TestnetException, InterruptedException, IOException {
        List<Process> gencerts = new ArrayList<>();
        try {
            for (Request r : requests) {
                Path keys = Dirs.createPrivate(r.dataDirectory().resolve("keys"));
                ProcessBuilder pb = new ProcessBuilder(options.torGencert().toString(),
                        "--create-identity-key", "-m", "12", "-a", "127.0.0.1:" + r.dirPort(),
                        "-i", keys.resolve("authority_identity_key").toString(),
                        "-s", keys.resolve("authority_signing_key").toString(),
                        "-c", keys.resolve("authority_certificate").toString(),
                        "--passphrase-fd", "0")
                        .redirectErrorStream(true)
                        .redirectOutput(r.dataDirectory().resolve("gencert.log").toFile());
                Process p = pb.start();
                gencerts.add(p);
                try (OutputStream stdin = p.getOutputStream()) {
                    stdin.write('\n'); // empty passphrase
                }
            }
            for (int i = 0; i < requests.size(); i++) {
                await(gencerts.get(i), requests.get(i), "tor-gencert", "gencert.log");
            }
            List<Process> fingerprints = new ArrayList<>();
            for (Request r : requests) {
                fingerprints.add(new ProcessBuilder(options.tor().toString(),
                        "--ignore-missing-torrc", "-f", "/dev/null",
                        "--DataDirectory", r.dataDirectory().toString(),
                        "--ORPort", "1", "--Nickname", r.nickname(),
                        "--DirAuthority", DUMMY_AUTHORITY,
                        "--GeoIPFile", "/dev/null", "--GeoIPv6File", "/dev/null",
                        "--list-fingerprint")
                        .redirectErrorStream(true)
                        .redirectOutput(r.dataDirectory().resolve("fingerprint.log").toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start());
            }
            gencerts.addAll(fingerprints);
            List<DirAuthority> result = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                Request r = requests.get(i);
                await(fingerprints.get(i), r, "tor --list-fingerprint", "fingerprint.log");
                result.add(new DirAuthority(r.nickname(), r.orPort(), r.dirPort(),
                        v3ident(r), relayFingerprint(r)));
            }
            return List.copyOf(result);
        } finally {
            for (Process p : gencerts) {
                p.destroyForcibly();
            }
        }
    }

    private static void await(Process p, Request r, String what, String log)
            throws TestnetException, InterruptedException {
        if (!p.waitFor(STEP_TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new TestnetException(r.nickname() + ": " + what + " did not finish within "
                    + STEP_TIMEOUT_S + " s" + tail(r, log));
        }
        if (p.exitValue() != 0) {
            throw new TestnetException(r.nickname() + ": " + what + " failed with status "
                    + p.exitValue() + tail(r, log));
        }
    }

    private static String tail(Request r, String log) {
        return "\n    " + String.join("\n    ", Dirs.tail(r.dataDirectory().resolve(log), 15));
    }

    private static String v3ident(Request r) throws TestnetException, IOException {
        for (String line : Files.readAllLines(r.dataDirectory().resolve("keys/authority_certificate"),
                StandardCharsets.US_ASCII)) {
            if (line.startsWith("fingerprint ")) {
                return line.substring("fingerprint ".length()).trim();
            }
        }
        throw new TestnetException(r.nickname() + ": no fingerprint line in the authority certificate");
    }

    private static String relayFingerprint(Request r) throws TestnetException, IOException {
        // "<nickname> <40 hex>", possibly grouped in blocks of 4 separated by spaces
        String line = Files.readString(r.dataDirectory().resolve("fingerprint"), StandardCharsets.US_ASCII).trim();
        int sp = line.indexOf(' ');
        if (sp < 0) {
            throw new TestnetException(r.nickname() + ": unreadable fingerprint file");
        }
        return line.substring(sp + 1).trim();
    }
}
