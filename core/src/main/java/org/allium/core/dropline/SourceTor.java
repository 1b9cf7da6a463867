package org.allium.core.dropline;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import org.allium.core.api.TorSettings;
import org.allium.protocol.OnionAddress;
import org.allium.tor.Tors;
import org.allium.tor.api.ExternalTorSettings;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.OwnTorSettings;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.StreamIsolation;
import org.allium.tor.api.Tor;
import org.allium.tor.api.TorException;

/**
 * A tor for a source, who has no profile: our own tor in a fresh temporary directory,
 * deleted on {@link #close()}, or an existing tor. Every dial gets its own SOCKS
 * isolation, so no two exchanges share a circuit. Not thread-safe for start/close.
 */
public final class SourceTor implements AutoCloseable {
    private final Tor tor;
    private final Path scratch;
    private final SecureRandom random = new SecureRandom();
    private final Duration dialTimeout;

    private SourceTor(Tor tor, Path scratch, Duration dialTimeout) {
        this.tor = tor;
        this.scratch = scratch;
        this.dialTimeout = dialTimeout;
    }

    /**
     * Starts (or attaches to) tor and waits until it is bootstrapped.
     *
     * @throws TorException with a message for people (tor missing, no network, …)
     */
    public static SourceTor start(TorSettings s, Duration bootstrapTimeout) throws TorException, IOException,
            InterruptedException {
        Path scratch = null;
        Tor t;
        if (s.mode() == TorSettings.Mode.EXTERNAL) {
            t = Tors.external(new ExternalTorSettings(new HostPort(s.controlHost(), s.controlPort()), s.cookieFile(),
                    s.controlPassword(), HostPort.loopback(s.socksPort())));
        } else {
            scratch = Files.createTempDirectory("allium-source-");
            t = Tors.own(ownSettings(s, scratch.resolve("tor")));
        }
        SourceTor st = new SourceTor(t, scratch, s.testnetLines().isEmpty() ? Duration.ofSeconds(120) : Duration.ofSeconds(90));
        try {
            t.start();
            t.enableNetwork();
            t.awaitBootstrapped(bootstrapTimeout);
            return st;
        } catch (TorException | InterruptedException | RuntimeException e) {
            st.close();
            throw e;
        }
    }

    /**
     * Our own tor's settings for a source: the tor binary, the private network's lines, the
     * bridges and the transport binary they need (the source's only way out where tor is blocked).
     */
    static OwnTorSettings ownSettings(TorSettings s, Path dir) {
        return OwnTorSettings.builder(dir).torBinary(s.torBinary()).extraTorrcLines(s.testnetLines())
                .bridges(s.bridges()).transportBinary(s.transportBinary()).build();
    }

    /** Dials {@code onion} on Allium's port with a new, never reused stream isolation. */
    public java.net.Socket dial(OnionAddress onion) throws IOException, InterruptedException {
        byte[] b = new byte[12];
        random.nextBytes(b);
        try {
            return tor.dial(new ServiceId(onion.serviceId()), DropSource.VIRTUAL_PORT,
                    StreamIsolation.of("drop-source-" + HexFormat.of().formatHex(b)), dialTimeout);
        } catch (TorException e) {
            throw new IOException("could not reach the drop line: " + e.getMessage(), e);
        }
    }

    /** Stops our tor and deletes its directory (nothing of the source stays on disk). */
    @Override
    public void close() {
        tor.close();
        if (scratch != null) {
            deleteTree(scratch);
        }
    }

    static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a temp directory the OS cleans eventually
        }
    }
}
