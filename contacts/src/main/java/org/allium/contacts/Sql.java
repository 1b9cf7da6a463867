package org.allium.contacts;

import java.sql.SQLException;
import org.allium.contacts.api.StoreException;

/** SQL helpers. */
final class Sql {
    private Sql() {
    }

    /**
     * A StoreException for a failed SQL operation that carries no data: H2 messages quote
     * SQL values (a unique-key violation prints the key), so only the error code and the
     * stack trace are kept.
     */
    static StoreException scrub(String operation, SQLException e) {
        // Syntax errors (class 42) quote only our own SQL text, which never holds values.
        String detail = e.getSQLState() != null && e.getSQLState().startsWith("42") ? ": " + e.getMessage() : "";
        ScrubbedSqlException cause = new ScrubbedSqlException(e.getErrorCode(), e.getSQLState(), detail);
        cause.setStackTrace(e.getStackTrace());
        return new StoreException("database error while " + operation + " (H2 code " + e.getErrorCode() + ")", cause);
    }

    /** An SQLException with its message (which may quote values) removed. */
    static final class ScrubbedSqlException extends Exception {
        private static final long serialVersionUID = 1L;

        ScrubbedSqlException(int code, String state, String detail) {
            super("H2 error " + code + " (SQLState " + state + ")" + detail);
        }
    }
}
