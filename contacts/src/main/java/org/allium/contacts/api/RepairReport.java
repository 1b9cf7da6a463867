package org.allium.contacts.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link ProfileManager#repair} found and did. Counts are by table (lower-case names,
 * e.g. {@code messages}); a table in {@code cutShort} had a stretch that could not be read at
 * all, so an unknown number of its rows there is lost besides the {@code rowsDropped} ones
 * (rows that were read but failed their integrity check).
 *
 * @param problems           what was wrong, one sentence per damaged file (empty: nothing to repair)
 * @param damagedFilesKept   the directory holding the damaged originals, or null when nothing was repaired
 * @param logChangesReplayed changes from the commit log that the store lacked, now in it
 * @param logChangesSkipped  intact changes from the commit log that were not applied (an older
 *                           state of the store, or their contact is gone)
 */
public record RepairReport(List<String> problems, Path damagedFilesKept, Map<String, Integer> rowsRecovered,
                           Map<String, Integer> rowsDropped, List<String> cutShort, int logChangesReplayed,
                           int logChangesSkipped) {
    public RepairReport {
        problems = List.copyOf(problems);
        rowsRecovered = Map.copyOf(rowsRecovered);
        rowsDropped = Map.copyOf(rowsDropped);
        cutShort = List.copyOf(cutShort);
    }

    /** Whether anything was damaged (and so repaired). */
    public boolean repaired() {
        return damagedFilesKept != null;
    }
}
