package org.allium.core;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.allium.contacts.api.KdfParams;
import org.allium.core.api.Messenger;
import org.allium.core.api.Profile;
import org.allium.core.api.Profiles;
import org.allium.core.api.TorSettings;
import org.allium.tor.Tors;
import org.allium.tor.api.ExternalTorSettings;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.OwnTorSettings;
import org.allium.tor.api.SocketDirectory;
import org.allium.tor.api.TargetListener;
import org.allium.tor.api.Tor;
import org.allium.tor.api.TorException;

/**
 * Entry point of the engine: the one place front ends obtain implementations from.
 * Stateless and thread-safe.
 */
public final class Messengers {
    /** Timers of every handshake in this JVM (short tasks only: closing timed-out sockets). */
    private static final ScheduledExecutorService HANDSHAKE_TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "allium-core-handshake-timers");
        t.setDaemon(true);
        return t;
    });

    private Messengers() {
    }

    /** The profile manager over the encrypted store on disk (Argon2id at its default cost). */
    public static Profiles profiles() {
        return ProfilesImpl.create(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "allium-store-events");
            t.setDaemon(true);
            return t;
        }), KdfParams.DEFAULT);
    }

    /**
     * A new messenger for an open profile, in state NEW. Reads one setting of the profile
     * (blocks on store I/O briefly).
     *
     * @param profile an open profile from {@link #profiles()}
     * @param tor how to reach tor (usually {@code profile.torSettings()})
     */
    public static Messenger create(Profile profile, TorSettings tor) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(tor, "tor");
        Timings timings = tor.testnetLines().isEmpty() ? Timings.defaults() : Timings.testnet();
        return create(profile, tor, timings);
    }

    static MessengerImpl create(Profile profile, TorSettings tor, Timings timings) {
        if (!(profile instanceof ProfileImpl p)) {
            throw new IllegalArgumentException("profile must come from Messengers.profiles()");
        }
        return new MessengerImpl(p.store(), p.identityKey(), torFactory(p, tor),
                new ProtocolWire(HANDSHAKE_TIMERS, new SecureRandom()), timings);
    }

    /**
     * The drop line of a messenger made by {@link #create} (PROTOCOL.md §13): switch it on,
     * read and answer cases. Same as {@link Messenger#dropLine()}.
     */
    public static org.allium.core.api.DropLine dropLine(Messenger messenger) {
        return messenger.dropLine();
    }

    /**
     * An address as a user typed or pasted it ({@code allium:<id>}, {@code <id>.onion} or
     * {@code <id>}, blanks and wrapping cleaned) as its 56-character service id, for front ends
     * without a messenger (a drop line's source). Pure.
     *
     * @throws org.allium.core.api.InvalidAddressException with the reason a user can act on
     */
    public static String normalizeAddress(String typed) throws org.allium.core.api.InvalidAddressException {
        return Addresses.parse(typed).serviceId();
    }

    static TorFactory torFactory(ProfileImpl profile, TorSettings s) {
        if (s.mode() == TorSettings.Mode.EXTERNAL) {
            HostPort control = new HostPort(s.controlHost(), s.controlPort());
            ExternalTorSettings ext = new ExternalTorSettings(control, s.cookieFile(), s.controlPassword(),
                    HostPort.loopback(s.socksPort()));
            return () -> Tors.external(ext);
        }
        Path torDir = profile.directory().resolve("tor");
        OwnTorSettings.Builder own = OwnTorSettings.builder(torDir)
                .torBinary(s.torBinary())
                .extraTorrcLines(s.testnetLines())
                .bridges(s.bridges())
                .transportBinary(s.transportBinary());
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
            OwnTorSettings settings = own.build();
            return () -> Tors.own(settings); // tor on Windows has no Unix sockets
        }
        return new TorFactory() {
            // Tor's control and SOCKS sockets and our onion targets share one private directory.
            private Path sockets;

            private synchronized Path sockets() throws IOException {
                if (sockets == null) {
                    sockets = SocketDirectory.create(torDir.resolve("sockets"));
                }
                return sockets;
            }

            @Override
            public Tor create() throws TorException {
                try {
                    return Tors.own(own.socketDirectory(sockets()).build());
                } catch (IOException e) {
                    throw new TorException("cannot prepare the directory for tor's sockets: " + e.getMessage(), e);
                }
            }

            @Override
            public TargetListener listen() throws IOException {
                return TargetListener.unix(sockets());
            }
        };
    }
}
