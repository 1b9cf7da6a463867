package org.allium.core;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.allium.core.api.MessengerEvent;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;
import org.allium.tor.api.OnionServiceSpec;
import org.allium.tor.api.PowSettings;
import org.allium.tor.api.PublishedOnion;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.TargetListener;
import org.allium.tor.api.Tor;
import org.allium.tor.api.TorException;

/**
 * Our onion services: for each, a listener that tor forwards to (a Unix socket in a private
 * directory for our own tor, see {@link TorFactory#listen}), and its
 * publication on the current tor (again after every tor restart). One listener per
 * service, so an inbound connection always knows which onion was dialled. Thread-safe;
 * publishing happens on the tor thread.
 */
final class OnionHost {
    private static final Logger LOG = Logger.getLogger(OnionHost.class.getName());
    /** The virtual port every Allium onion listens on. */
    static final int VIRTUAL_PORT = 7878;

    /** Handles one accepted connection; runs on an io thread and owns the socket. */
    @FunctionalInterface
    interface Handler {
        void handle(Socket socket);
    }

    /**
     * @param key        the service's key
     * @param clientAuth x25519 public key (52 base32 chars) of the one client allowed, or null (public)
     * @param pow        tor's proof-of-work defence to ask for, or null for none
     * @param maxStreams concurrent streams per circuit (tor closes the circuit beyond it)
     */
    record Spec(IdentityKeyPair key, String clientAuth, PowSettings pow, int maxStreams, Handler handler) {
        OnionAddress address() {
            return key.address();
        }
    }

    private static final class Hosted {
        final Spec spec;
        /** Connections of this onion in handlers now ({@link ListenerGate}). */
        final java.util.concurrent.Semaphore inHandlers;
        /** Those connections' sockets, closed by {@link #closeAll} so that stop never waits out a handshake. */
        final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final TargetListener server;
        boolean published;

        Hosted(Spec spec, TargetListener server) {
            this.spec = spec;
            this.server = server;
            this.inHandlers = ListenerGate.perOnion(spec.clientAuth() == null);
        }
    }

    private final Executor io;
    private final TorSupervisor tor;
    private final TorFactory listeners;
    private final EventBus bus;
    // Guarded by this.
    private final Map<String, Hosted> hosted = new HashMap<>();
    private boolean powWarned;
    private boolean closed;
    private final ListenerGate gate = new ListenerGate(ListenerGate.OVERALL);

    OnionHost(Executor io, TorSupervisor tor, TorFactory listeners, EventBus bus) {
        this.io = io;
        this.tor = tor;
        this.listeners = listeners;
        this.bus = bus;
    }

    /** Opens the listener and publishes the service when tor is (or becomes) ready. Idempotent per address. */
    void host(Spec spec) throws IOException {
        String id = spec.address().serviceId();
        Hosted h;
        synchronized (this) {
            if (closed || hosted.containsKey(id)) {
                return;
            }
            TargetListener server = listeners.listen();
            h = new Hosted(spec, server);
            hosted.put(id, h);
        }
        try {
            io.execute(() -> acceptLoop(h));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            synchronized (this) {
                hosted.remove(id);
            }
            closeQuietly(h.server);
            throw new IOException("no io thread for the listener", e);
        }
        tor.onTorThread(() -> {
            Tor t = tor.readyTor();
            if (t != null) {
                publish(t, h);
            }
        });
    }

    /** Removes the service from tor and closes its listener. No-op if not hosted. */
    void unhost(OnionAddress address) {
        Hosted h;
        synchronized (this) {
            h = hosted.remove(address.serviceId());
        }
        if (h == null) {
            return;
        }
        closeQuietly(h.server);
        tor.onTorThread(() -> {
            Tor t = tor.readyTor();
            boolean was;
            synchronized (this) {
                was = h.published;
                h.published = false;
            }
            if (t != null && was) {
                try {
                    t.unpublish(new ServiceId(address.serviceId()));
                } catch (TorException e) {
                    LOG.log(Level.INFO, "unpublish failed: " + e.getMessage());
                }
            }
        });
    }

    synchronized boolean isHosted(OnionAddress address) {
        return hosted.containsKey(address.serviceId());
    }

    /** On the tor thread, after (re)bootstrap: publishes everything not yet on this tor. */
    void publishAll(Tor t) {
        List<Hosted> all;
        synchronized (this) {
            all = new ArrayList<>(hosted.values());
        }
        for (Hosted h : all) {
            publish(t, h);
        }
    }

    /** On the tor thread, when tor died: nothing is published any more. */
    synchronized void torLost() {
        for (Hosted h : hosted.values()) {
            h.published = false;
        }
    }

    private void publish(Tor t, Hosted h) {
        synchronized (this) {
            if (h.published || hosted.get(h.spec.address().serviceId()) != h) {
                return;
            }
        }
        Spec s = h.spec;
        OnionServiceSpec.Builder b = OnionServiceSpec.builder(s.key().expandedSecretKey(),
                new ServiceId(s.address().serviceId()), VIRTUAL_PORT, h.server.address());
        if (s.clientAuth() != null) {
            b.clientAuth(org.allium.protocol.ClientAuthKeyPair.decodePublicKeyBase32(s.clientAuth()));
        }
        if (s.pow() != null) {
            b.pow(s.pow());
        }
        if (s.maxStreams() > 0) {
            b.maxStreams(s.maxStreams(), true);
        }
        try {
            PublishedOnion p = t.publish(b.build());
            boolean warn = false;
            synchronized (this) {
                h.published = true;
                if (s.pow() != null && !p.powEnabled() && !powWarned) {
                    powWarned = true;
                    warn = true;
                }
            }
            if (warn) {
                bus.publish(new MessengerEvent.TorProblem(MessengerEvent.TorProblem.Kind.POW_UNAVAILABLE,
                        "This tor does not support the proof-of-work defence; running without it."));
            }
        } catch (TorException e) {
            LOG.log(Level.WARNING, "publishing an onion service failed: " + e.getMessage());
            bus.publish(new MessengerEvent.TorProblem(MessengerEvent.TorProblem.Kind.PUBLISH_FAILED,
                    "An onion service could not be published."));
        }
    }

    /**
     * Hands each connection to the service's handler on an io thread, within the
     * {@link ListenerGate} bounds (beyond them the connection is closed at once). Only the
     * listener closing ends the loop: a failure to hand over one connection (an
     * {@link Error} such as "unable to create native thread" included) closes that
     * connection and pauses briefly, it does not stop accepting for good.
     */
    private void acceptLoop(Hosted h) {
        while (true) {
            Socket s;
            try {
                s = h.server.accept();
            } catch (IOException e) {
                if (!stillHosted(h)) {
                    return; // unhosted or closing: the listener was closed
                }
                LOG.fine("accept failed: " + e.getMessage());
                if (!pause()) {
                    return;
                }
                continue;
            } catch (Error e) {
                LOG.log(Level.WARNING, "accepting a connection failed", e);
                if (!pause()) {
                    return;
                }
                continue;
            }
            if (!gate.tryEnter(h.inHandlers)) {
                closeQuietly(s); // busy: the client may try again later
                continue;
            }
            h.open.add(s);
            if (!stillHosted(h)) { // closeAll ran after the accept: it did not see this one
                h.open.remove(s);
                gate.leave(h.inHandlers);
                closeQuietly(s);
                return;
            }
            try {
                io.execute(() -> {
                    try {
                        h.spec.handler().handle(s);
                    } finally {
                        h.open.remove(s);
                        gate.leave(h.inHandlers);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                h.open.remove(s);
                gate.leave(h.inHandlers);
                closeQuietly(s); // no io thread for it now (IoPool logs that): the client may try again
                if (!stillHosted(h) || !pause()) {
                    return; // stopping
                }
            } catch (RuntimeException | Error e) {
                h.open.remove(s);
                gate.leave(h.inHandlers);
                closeQuietly(s);
                LOG.log(Level.WARNING, "handing over a connection failed", e);
                if (!pause()) {
                    return;
                }
            }
        }
    }

    private synchronized boolean stillHosted(Hosted h) {
        return !closed && hosted.get(h.spec.address().serviceId()) == h;
    }

    /** @return false if interrupted (the loop then ends) */
    private static boolean pause() {
        try {
            Thread.sleep(100);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Closes every listener and every connection still in its handler (tor-side services go
     * away with tor or on stop): a client that connected and never finishes its handshake
     * would otherwise hold an io thread, and the messenger's stop, until the handshake deadline.
     */
    void closeAll() {
        List<Hosted> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(hosted.values());
            hosted.clear();
        }
        for (Hosted h : all) {
            closeQuietly(h.server);
            for (Socket s : h.open) {
                closeQuietly(s);
            }
        }
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "close failed", e);
        }
    }
}
