package org.allium.desktop.dropline;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.allium.core.Messengers;
import org.allium.core.api.InvalidAddressException;
import org.allium.core.api.TorSettings;
import org.allium.core.api.DropLineException;
import org.allium.core.dropline.DropSource;
import org.allium.core.dropline.SourceTor;
import org.allium.protocol.DropCodename;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;

/**
 * The engine's source side: a {@link SourceTor} started on first use (own tor in a fresh
 * temporary directory unless the settings name an existing tor) and {@link DropSource} over
 * it, each exchange on a fresh circuit. The source key of the last (address, codename) is
 * kept in memory only, so writing again does not run Argon2id twice. A JVM shutdown hook
 * stops tor and deletes its directory if the app exits without closing the window.
 */
final class TorSourceClient implements SourceClient {
    private static final Logger LOG = Logger.getLogger(TorSourceClient.class.getName());
    private static final Duration BOOTSTRAP = Duration.ofMinutes(3);
    private static final Duration STEP = Duration.ofSeconds(30);

    // Guarded by this.
    private TorSettings settings;
    private final SecureRandom random = new SecureRandom();
    private final Thread shutdownHook = new Thread(this::close, "allium-drop-source-shutdown");

    // Guarded by this.
    private SourceTor tor;
    private DropSource source;
    private boolean closed;
    private boolean hooked;
    private Thread worker;
    private String keyFor;
    private IdentityKeyPair key;

    TorSourceClient(TorSettings settings) {
        this.settings = settings;
    }

    @Override
    public synchronized TorSettings torSettings() {
        return settings;
    }

    @Override
    public synchronized void setTorSettings(TorSettings s) {
        settings = java.util.Objects.requireNonNull(s);
        if (worker == null && tor != null) {
            SourceTor t = tor;
            tor = null;
            source = null;
            t.close(); // the next call starts tor with the new bridges
        }
    }

    @Override
    public String normalizeAddress(String typed) throws InvalidAddressException {
        return Messengers.normalizeAddress(typed);
    }

    @Override
    public byte[] newId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return id;
    }

    @Override
    public DropSource.Answer submit(String serviceId, String codename, byte[] id, String text,
                                    Consumer<Step> progress) throws DropLineException, InterruptedException {
        return call(serviceId, codename, progress, (s, line, k) -> s.submit(line, k, id, text));
    }

    @Override
    public DropSource.Answer submit(String serviceId, String codename, String text,
                                    java.util.List<DropSource.Attachment> files, DropSource.UploadListener upload,
                                    Consumer<Step> progress) throws DropLineException, InterruptedException {
        return call(serviceId, codename, progress, (s, line, k) -> s.submit(line, k, text, files, upload));
    }

    @Override
    public DropSource.Answer checkIn(String serviceId, String codename, Consumer<Step> progress)
            throws DropLineException, InterruptedException {
        return call(serviceId, codename, progress, DropSource::checkIn);
    }

    private interface Exchange {
        DropSource.Answer run(DropSource s, OnionAddress line, IdentityKeyPair key) throws IOException,
                InterruptedException;
    }

    private DropSource.Answer call(String serviceId, String codename, Consumer<Step> progress, Exchange x)
            throws DropLineException, InterruptedException {
        OnionAddress line = OnionAddress.parse(serviceId);
        synchronized (this) {
            if (closed) {
                throw new InterruptedException("closed");
            }
            worker = Thread.currentThread();
        }
        try {
            DropSource s = source(progress);
            IdentityKeyPair k = key(line, codename, progress);
            progress.accept(Step.SENDING);
            try {
                return x.run(s, line, k);
            } catch (DropSource.SourceChangedException e) {
                throw new FileChanged(e.index());
            } catch (IOException e) {
                // The cause names no address or text (DropSource's and SourceTor's messages do not).
                LOG.info("drop-line exchange failed: " + e.getClass().getSimpleName());
                throw new DropLineException("Could not reach the drop line (it may be offline, or Tor is slow). "
                        + "Try again; nothing is sent twice.", e);
            }
        } finally {
            synchronized (this) {
                worker = null;
                Thread.interrupted(); // a close() that came too late for us must not leak into the pool
                if (closed) {
                    stopLocked();
                }
            }
        }
    }

    private DropSource source(Consumer<Step> progress) throws DropLineException, InterruptedException {
        synchronized (this) {
            if (source != null) {
                return source;
            }
        }
        progress.accept(Step.STARTING_TOR);
        SourceTor t;
        TorSettings now;
        synchronized (this) {
            now = settings;
        }
        try {
            t = SourceTor.start(now, BOOTSTRAP);
        } catch (IOException e) {
            throw new DropLineException("Tor could not start: " + e.getMessage(), e);
        }
        synchronized (this) {
            if (closed) {
                t.close();
                throw new InterruptedException("closed");
            }
            tor = t;
            source = new DropSource(t::dial, random, STEP);
            if (!hooked) {
                Runtime.getRuntime().addShutdownHook(shutdownHook);
                hooked = true;
            }
            return source;
        }
    }

    private IdentityKeyPair key(OnionAddress line, String codename, Consumer<Step> progress) {
        String id = line.serviceId() + "\n" + codename;
        synchronized (this) {
            if (key != null && id.equals(keyFor)) {
                return key;
            }
        }
        progress.accept(Step.DERIVING_KEY);
        IdentityKeyPair k = DropCodename.parse(codename).sourceKey(line);
        synchronized (this) {
            keyFor = id;
            key = k;
        }
        return k;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            keyFor = null;
            key = null;
            if (worker != null) {
                worker.interrupt(); // a bootstrap or key derivation in progress stops
            }
            stopLocked(); // an exchange in progress fails at once
        }
    }

    private void stopLocked() {
        SourceTor t = tor;
        tor = null;
        source = null;
        if (t != null) {
            t.close();
        }
        if (hooked && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already
            }
            hooked = false;
        }
    }
}
