package org.allium.contacts;

import java.sql.SQLException;

/**
 * The redo of every logged write: re-creates the row one {@link CommitLog} entry describes if
 * the store lacks it, so replaying a log (after a crash, a failed write, or in a repair) applies
 * each entry exactly once however often it runs. Stateless.
 */
final class Replay {
    private Replay() {
    }

    /** Applies {@code e} if its row is missing; returns whether it was. Idempotent. */
    static boolean apply(Database.Tx tx, CommitLog.Entry e) throws SQLException {
        if (e instanceof CommitLog.MessageEntry m) {
            return MessageStoreImpl.redo(tx, m);
        }
        return GroupStoreImpl.redo(tx, (CommitLog.GroupEntry) e);
    }
}
