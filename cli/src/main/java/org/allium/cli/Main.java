package org.allium.cli;

/** Entry point of the {@code allium} command line. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, CliContext.system());
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command line and returns its exit code; never calls System.exit. */
    static int run(String[] args, CliContext ctx) {
        return AlliumCommand.execute(args, ctx);
    }
}
