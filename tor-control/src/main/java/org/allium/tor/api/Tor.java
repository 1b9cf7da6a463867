package org.allium.tor.api;

import java.net.Socket;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * One tor: either a process we launch and own, or an existing tor we attach to through
 * its control port. Create with {@code org.allium.tor.Tors}.
 *
 * <p>Thread-safe. Methods that talk to tor block until tor answers; none may be called on
 * the observer's event executor while waiting on that executor. {@link #start()} and
 * {@link #stop()} must not run concurrently with each other.
 *
 * <p>Life cycle: {@link #start()} → {@link #enableNetwork()} →
 * {@link #awaitBootstrapped(Duration)} → publish/dial → {@link #stop()}. After
 * {@link TorState#STOPPED} or {@link TorState#EXITED} the same instance may be started
 * again; onion services and client credentials must then be added again.
 */
public interface Tor extends AutoCloseable {

    /**
     * Launches tor (or attaches to it), authenticates and subscribes to events. Returns in
     * {@link TorState#STARTED} with the network still disabled for our own tor.
     *
     * @throws TorNotFoundException       no tor binary
     * @throws TransportMissingException  a bridge needs a transport binary that is missing
     * @throws TorExitedException         tor exited during start-up (with its last log lines)
     * @throws TorException               anything else
     */
    void start() throws TorException, InterruptedException;

    /** Lets tor connect to the network ({@code DisableNetwork 0}); no-op for an external tor. */
    void enableNetwork() throws TorException;

    /**
     * Blocks until tor has bootstrapped to 100 %.
     *
     * @throws TorExitedException if tor exits meanwhile
     * @throws TorException       on timeout (the message has the last bootstrap status)
     */
    void awaitBootstrapped(Duration timeout) throws TorException, InterruptedException;

    /** Shuts our own tor down ({@code SIGNAL TERM}, waits up to 10 s, then kills it), or detaches from an external one. Idempotent. */
    void stop() throws InterruptedException;

    /** Same as {@link #stop()}, restoring the interrupt flag if interrupted. */
    @Override
    void close();

    TorState state();

    /** The latest bootstrap status (never null). */
    BootstrapStatus bootstrapStatus();

    /** Tor's SOCKS listener (a Unix socket for our own tor); only while running. */
    ListenAddress socksAddress() throws TorException;

    /** The PID of the tor process we launched, empty for an external tor or when not running. */
    OptionalLong processId();

    /**
     * Publishes an onion service from our own key ({@code ADD_ONION}, {@code Flags=DiscardPK}
     * and the spec's extras). Checks that tor's service id equals the expected one.
     *
     * @throws OnionAddressMismatchException tor derived another id (the service is removed again)
     * @throws TorCommandException            tor refused the command (its message included)
     */
    PublishedOnion publish(OnionServiceSpec spec) throws TorException;

    /** Removes a service this tor published ({@code DEL_ONION}). */
    void unpublish(ServiceId service) throws TorException;

    /**
     * Adds a client-authorization credential for dialling {@code service}
     * ({@code ONION_CLIENT_AUTH_ADD}); the key is the raw 32-byte x25519 private key.
     * Kept in tor's memory only.
     */
    void addClientAuth(ServiceId service, byte[] x25519PrivateKey) throws TorException;

    /** Removes a credential added by {@link #addClientAuth}; removing an absent one is fine. */
    void removeClientAuth(ServiceId service) throws TorException;

    /**
     * Asks tor to fetch {@code service}'s descriptor from the directories again now
     * ({@code HSFETCH}), whatever it has cached: a cached descriptor of a service that went
     * away and came back lists dead introduction points, and tor would otherwise keep trying
     * them (and wait before asking the directories again). Returns once tor took the command;
     * the fetch runs in the background (a dial right after may still use the old descriptor).
     */
    void refetchDescriptor(ServiceId service) throws TorException;

    /**
     * Connects to {@code service:port} through tor's SOCKS port, isolated by
     * {@code isolation} (null: tor's default isolation). Blocks up to {@code timeout}.
     *
     * @return a connected socket with no read timeout set; the caller closes it
     * @throws SocksException with a typed {@link SocksFailure} reason
     */
    Socket dial(ServiceId service, int port, StreamIsolation isolation, Duration timeout)
            throws TorException, InterruptedException;

    /** Adds an observer; it hears the current state first. */
    void addObserver(TorObserver observer);

    void removeObserver(TorObserver observer);

    /** Tor's version string ({@code GETINFO version}); only while running. */
    String version() throws TorException;
}
