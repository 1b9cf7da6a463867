package org.allium.tor;

import net.freehaven.tor.control.TorControlException;

import org.allium.tor.api.ExternalTorSettings;
import org.allium.tor.api.HostPort;
import org.allium.tor.api.ListenAddress;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.TorCommandException;
import org.allium.tor.api.TorException;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.logging.Level;

/**
 * An existing tor we attach to through its control port (system tor, Tails, Whonix). We
 * never change its network settings or shut it down; our onion services are tied to our
 * control connection and vanish when it closes, and the client credentials we added are
 * removed when we detach.
 */
final class ExternalTor extends AbstractTor {
    private final ExternalTorSettings settings;

    ExternalTor(ExternalTorSettings settings, Executor eventExecutor) {
        super(eventExecutor);
        this.settings = settings;
    }

    @Override
    boolean networkEnabledOnAttach() {
        return true;
    }

    @Override
    Attached attach(int generation) throws TorException {
        Socket socket = null;
        boolean ok = false;
        try {
            socket = settings.control().connect(java.time.Duration.ofSeconds(10));
            AlliumControlConnection c = new AlliumControlConnection(socket);
            c.launchThread(true);
            if (settings.cookieFile() != null) {
                byte[] cookie;
                try {
                    cookie = Files.readAllBytes(settings.cookieFile());
                } catch (IOException e) {
                    throw new TorException("cannot read tor's control cookie " + settings.cookieFile()
                            + " (is this user allowed to read it? e.g. in the debian-tor group)", e);
                }
                // Never the plain cookie: whoever listens on that port must prove it knows it first.
                c.authenticateSafeCookie(cookie);
            } else {
                // A password goes to whoever listens on the port; cookie authentication is the safer choice.
                byte[] secret = settings.password() != null
                        ? settings.password().getBytes(StandardCharsets.UTF_8) // jtorctl sends it hex-encoded
                        : new byte[0];
                try {
                    c.authenticate(secret);
                } catch (TorControlException e) {
                    throw new TorCommandException("AUTHENTICATE", AlliumControlConnection.torMessage(e));
                }
            }
            ListenAddress socks = settings.socks();
            if (socks == null) {
                // A system tor's Unix SOCKS socket usually belongs to its own user: prefer TCP.
                List<ListenAddress> listeners = ControlReplies.listeners(c.info("net/listeners/socks"));
                socks = listeners.stream().filter(l -> l instanceof HostPort).findFirst()
                        .orElse(listeners.isEmpty() ? null : listeners.get(0));
                if (socks == null) {
                    throw new TorException("the tor at " + settings.control()
                            + " has no SOCKS listener; configure one or give its SOCKS port");
                }
            }
            ok = true;
            LOG.info("attached to the tor at " + settings.control());
            return new Attached(c, socket, socks, null);
        } catch (IOException e) {
            if (e instanceof TorException te) throw te;
            throw new TorException("cannot connect to tor's control port " + settings.control() + ": " + e.getMessage(), e);
        } finally {
            if (!ok) closeQuietly(socket);
        }
    }

    @Override
    void detach(Attached a) {
        for (String id : state.clientAuthIds()) {
            try {
                a.connection().onionClientAuthRemove(new ServiceId(id));
            } catch (TorException e) {
                LOG.log(Level.FINE, "removing a client credential from the external tor", e);
            }
        }
        closeQuietly(a.socket());
    }

    @Override
    void onControlConnectionClosed(int generation) {
        torExited(generation, -1, List.of());
    }
}
