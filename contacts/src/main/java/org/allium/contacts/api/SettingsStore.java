package org.allium.contacts.api;

import java.util.Map;
import java.util.Optional;

/**
 * Key/value settings of a profile, stored encrypted like everything else. Keys are
 * 1–128 characters of {@code [a-z0-9._-]}; values at most 4096 characters. Thread-safe;
 * blocks on disk I/O.
 */
public interface SettingsStore {
    Optional<String> get(String key) throws StoreException;

    void put(String key, String value) throws StoreException;

    void remove(String key) throws StoreException;

    /** Every setting, sorted by key. */
    Map<String, String> all() throws StoreException;
}
