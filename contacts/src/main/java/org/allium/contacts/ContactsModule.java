package org.allium.contacts;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executor;
import org.allium.contacts.api.KdfParams;
import org.allium.contacts.api.ProfileManager;

/**
 * The one place the contacts implementation is wired. Not a singleton: each call makes an
 * independent manager.
 */
public final class ContactsModule {
    private ContactsModule() {
    }

    /**
     * A profile manager publishing store events on {@code eventExecutor}, which should run
     * tasks one at a time in order (events are handed to it in commit order), and never block
     * the caller (e.g. a single-thread executor).
     */
    public static ProfileManager profileManager(Executor eventExecutor) {
        return profileManager(eventExecutor, Clock.systemUTC(), new SecureRandom());
    }

    /** As {@link #profileManager(Executor)} with an explicit clock and randomness. */
    public static ProfileManager profileManager(Executor eventExecutor, Clock clock, SecureRandom random) {
        return new ProfileManagerImpl(eventExecutor, clock, random, KdfParams.DEFAULT);
    }

    /**
     * As {@link #profileManager(Executor, Clock, SecureRandom)} creating (and re-keying)
     * profiles with {@code kdf} instead of {@link KdfParams#DEFAULT}. For test suites that
     * cannot spend seconds per profile ({@link KdfParams#FAST_INSECURE_FOR_TESTS}); never for
     * real users.
     */
    public static ProfileManager profileManager(Executor eventExecutor, Clock clock, SecureRandom random,
            KdfParams kdf) {
        return new ProfileManagerImpl(eventExecutor, clock, random, kdf);
    }
}
