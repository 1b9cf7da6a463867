package org.allium.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.ParentCommand;

/**
 * Base of the commands that run one control operation: against the profile's daemon when
 * one runs, otherwise against the profile opened here. Prints the result as text, or as
 * one JSON object with {@code --json}.
 */
abstract class OneShotCommand implements Callable<Integer> {

    @ParentCommand
    AlliumCommand top;

    /** The operation name and arguments of the control protocol. */
    abstract String operation();

    abstract Map<String, Object> arguments() throws CliException;

    /** Prints the result for a person; returns the exit code. */
    abstract ExitCode printText(Map<String, Object> result, PrintStream out, boolean viaDaemon) throws CliException;

    /** The exit code for the JSON form (the same rules as the text form). */
    ExitCode exitFor(Map<String, Object> result) throws CliException {
        return ExitCode.OK;
    }

    @Override
    public Integer call() throws CliException, InterruptedException {
        CliContext ctx = top.ctx;
        try (Target target = Target.open(top.global, ctx)) {
            Map<String, Object> args = arguments();
            Map<String, Object> result = target.call(operation(), withDefaults(args, target.viaDaemon()));
            if (top.global.json) {
                ctx.out().println(Json.write(result));
                return exitFor(result).code();
            }
            return printText(result, ctx.out(), target.viaDaemon()).code();
        }
    }

    /** Hook for defaults that depend on whether a daemon runs (e.g. how long to wait). */
    Map<String, Object> withDefaults(Map<String, Object> args, boolean viaDaemon) {
        return args;
    }
}
