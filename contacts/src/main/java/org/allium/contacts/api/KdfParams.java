package org.allium.contacts.api;

/**
 * Argon2id (version 0x13) cost parameters, stored in each profile's header so they can be
 * raised later without breaking old profiles.
 *
 * <p>{@link #DEFAULT} — 64 MiB of memory, 3 passes, 1 lane — is what every profile is
 * created with unless a caller passes other values. {@link #FAST_INSECURE_FOR_TESTS} exists
 * so test suites need not spend a second per profile; never use it for real data.
 */
public record KdfParams(int memoryKiB, int iterations, int parallelism) {
    /** 64 MiB, t = 3, p = 1. */
    public static final KdfParams DEFAULT = new KdfParams(64 * 1024, 3, 1);
    /** 1 MiB, t = 1, p = 1: tests only. */
    public static final KdfParams FAST_INSECURE_FOR_TESTS = new KdfParams(1024, 1, 1);
    /** The most memory a header may ask for (4 GiB), so a tampered header cannot exhaust memory. */
    public static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;

    public KdfParams {
        if (parallelism < 1 || parallelism > 16) {
            throw new IllegalArgumentException("Argon2 parallelism must be 1..16");
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2 memory must be 8·p KiB .. 4 GiB");
        }
        if (iterations < 1 || iterations > 64) {
            throw new IllegalArgumentException("Argon2 iterations must be 1..64");
        }
    }
}
