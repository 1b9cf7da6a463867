package org.allium.cli;

/** Entry point of the {@code allium} command line. */
public final class Main {

    private Main() {
    }

    /** Log level for stderr, e.g. {@code INFO} or {@code FINE}; default WARNING. */
    static final String LOG_LEVEL_ENV = "ALLIUM_LOG_LEVEL";

    public static void main(String[] args) {
        configureLogging(System.getenv(LOG_LEVEL_ENV));
        int code = run(args, CliContext.system());
        System.out.flush();
        System.exit(code);
    }

    /**
     * A command line's stderr is for the user: only warnings by default (the engine's INFO
     * lines would bury the answer). Logs never hold addresses or texts at any level.
     */
    static void configureLogging(String level) {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        java.util.logging.Level l;
        try {
            l = level == null || level.isBlank() ? java.util.logging.Level.WARNING
                    : java.util.logging.Level.parse(level.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            l = java.util.logging.Level.WARNING;
        }
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(l);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(l);
        }
    }

    /** Runs one command line and returns its exit code; never calls System.exit. */
    static int run(String[] args, CliContext ctx) {
        return AlliumCommand.execute(args, ctx);
    }
}
