package org.allium.tor;

import net.freehaven.tor.control.TorControlException;

import org.allium.tor.api.ExternalTorSettings;
import org.allium.tor.api.HostPort;
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
        Socket socket = new Socket();
        boolean ok = false;
        try {
            socket.connect(settings.control().toSocketAddress(), 10_000);
            AlliumControlConnection c = new AlliumControlConnection(socket);
            c.launchThread(true);
            byte[] secret;
            if (settings.cookieFile() != null) {
                try {
                    secret = Files.readAllBytes(settings.cookieFile());
                } catch (IOException e) {
                    throw new TorException("cannot read tor's control cookie " + settings.cookieFile()
                            + " (is this user allowed to read it? e.g. in the debian-tor group)", e);
                }
                if (secret.length != 32) throw new TorException("tor's control cookie is not 32 bytes");
            } else if (settings.password() != null) {
                // jtorctl sends the bytes hex-encoded, which tor accepts for passwords too.
                secret = settings.password().getBytes(StandardCharsets.UTF_8);
            } else {
                secret = new byte[0];
            }
            try {
                c.authenticate(secret);
            } catch (TorControlException e) {
                throw new TorCommandException("AUTHENTICATE", AlliumControlConnection.torMessage(e));
            }
            HostPort socks = settings.socks();
            if (socks == null) {
                List<HostPort> listeners = ControlReplies.listeners(c.info("net/listeners/socks"));
                if (listeners.isEmpty()) {
                    throw new TorException("the tor at " + settings.control()
                            + " has no TCP SOCKS listener; configure one or give its SOCKS port");
                }
                socks = listeners.get(0);
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
