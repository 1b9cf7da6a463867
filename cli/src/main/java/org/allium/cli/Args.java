package org.allium.cli;

import java.util.Map;

/** Typed access to the arguments of one control request; wrong or missing ones are usage errors. */
final class Args {

    private final Map<String, Object> map;

    Args(Map<String, Object> map) {
        this.map = map;
    }

    Map<String, Object> map() {
        return map;
    }

    String string(String name) throws CliException {
        String s = optString(name);
        if (s == null) {
            throw new CliException(ExitCode.USAGE, "missing \"" + name + "\"");
        }
        return s;
    }

    String optString(String name) throws CliException {
        Object v = map.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String)) {
            throw new CliException(ExitCode.USAGE, "\"" + name + "\" must be a string");
        }
        return (String) v;
    }

    int intArg(String name, int dflt, int min, int max) throws CliException {
        Object v = map.get(name);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Long) || (Long) v < min || (Long) v > max) {
            throw new CliException(ExitCode.USAGE, "\"" + name + "\" must be an integer from " + min + " to " + max);
        }
        return (int) (long) (Long) v;
    }

    Boolean optBool(String name) throws CliException {
        Object v = map.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Boolean)) {
            throw new CliException(ExitCode.USAGE, "\"" + name + "\" must be true or false");
        }
        return (Boolean) v;
    }

    /** A contact given as its number, or as a string: a number, a link/address or a nickname. */
    Object contactRef(String name) throws CliException {
        Object v = map.get(name);
        if (v instanceof Long || v instanceof String) {
            return v;
        }
        throw new CliException(ExitCode.USAGE, "missing \"" + name + "\" (a contact id, link or nickname)");
    }
}
