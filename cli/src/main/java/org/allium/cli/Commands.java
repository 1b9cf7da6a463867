package org.allium.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The one-shot commands: each is one control operation plus how to print its result. */
final class Commands {

    /** Waiting for the other side by default when no daemon runs (tor must start first). */
    static final long DEFAULT_LOCAL_WAIT_SECONDS = 120;

    private Commands() {
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> result, String key) {
        return (List<Map<String, Object>>) result.get(key);
    }

    static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    /** Parses a contact reference from the command line: a number, a link or a nickname. */
    static Object contactRef(String s) {
        return s.trim().matches("[0-9]{1,18}") ? (Object) Long.parseLong(s.trim()) : s;
    }

    /** Base of commands that wait for the other side: --wait SECONDS. */
    abstract static class Waiting extends OneShotCommand {
        @Option(names = "--wait", paramLabel = "SECONDS",
                description = "How long to wait for the other side (0: just queue it). Default: 0 when a daemon "
                        + "runs, " + DEFAULT_LOCAL_WAIT_SECONDS + " otherwise.")
        Long waitSeconds;

        @Override
        Map<String, Object> withDefaults(Map<String, Object> args, boolean viaDaemon) {
            Map<String, Object> m = new LinkedHashMap<>(args);
            m.put("wait", waitSeconds != null ? waitSeconds : viaDaemon ? 0L : DEFAULT_LOCAL_WAIT_SECONDS);
            return m;
        }
    }

    @Command(name = "id", description = "Show your address (allium: link) and safety fingerprint.")
    static final class Id extends OneShotCommand {
        @Override
        String operation() {
            return "id";
        }

        @Override
        Map<String, Object> arguments() {
            return map();
        }

        @Override
        ExitCode printText(Map<String, Object> r, PrintStream out, boolean viaDaemon) {
            out.println(str(r, "link"));
            out.println("fingerprint: " + str(r, "fingerprint"));
            if (r.get("nickname") != null) {
                out.println("nickname:    " + Text.safe(str(r, "nickname"), false));
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "contacts", description = "List your contacts.")
    static final class Contacts extends OneShotCommand {
        @Override
        String operation() {
            return "contacts";
        }

        @Override
        Map<String, Object> arguments() {
            return map();
        }

        @Override
        ExitCode printText(Map<String, Object> r, PrintStream out, boolean viaDaemon) {
            List<Map<String, Object>> cs = list(r, "contacts");
            if (cs.isEmpty()) {
                out.println("no contacts yet (allium add ADDRESS, or share: allium id)");
                return ExitCode.OK;
            }
            out.printf("%-4s %-20s %-9s %-7s %-6s %-8s %s%n", "ID", "NICKNAME", "STATE", "ONLINE", "UNREAD",
                    "VERIFIED", "LINK");
            for (Map<String, Object> c : cs) {
                out.printf("%-4s %-20s %-9s %-7s %-6s %-8s %s%n", str(c, "id"), Text.safe(str(c, "nickname"), false),
                        str(c, "state"), Boolean.TRUE.equals(c.get("online")) ? "yes" : "no", str(c, "unread"),
                        Boolean.TRUE.equals(c.get("verified")) ? "yes" : "no", str(c, "link"));
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "requests", description = "List pending contact requests, incoming and outgoing.")
    static final class Requests extends OneShotCommand {
        @Override
        String operation() {
            return "requests";
        }

        @Override
        Map<String, Object> arguments() {
            return map();
        }

        @Override
        ExitCode printText(Map<String, Object> r, PrintStream out, boolean viaDaemon) {
            List<Map<String, Object>> qs = list(r, "requests");
            if (qs.isEmpty()) {
                out.println("no pending requests");
                return ExitCode.OK;
            }
            for (Map<String, Object> q : qs) {
                boolean in = "incoming".equals(q.get("direction"));
                out.printf("%-4s %s %s %s%s%n", str(q, "id"), in ? "from" : "to  ",
                        Text.safe(str(q, "nickname"), false), str(q, "link"),
                        in ? "" : Boolean.TRUE.equals(q.get("delivered")) ? " (delivered)" : " (not delivered yet)");
                String msg = str(q, "message");
                if (!msg.isEmpty()) {
                    out.println("     \"" + Text.safe(msg, false) + "\"");
                }
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "add", description = "Send a contact request to an address (allium:… link or .onion).")
    static final class Add extends Waiting {
        @Parameters(index = "0", paramLabel = "ADDRESS", description = "Their allium: link or onion address.")
        String address;

        @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "A short note for them.")
        String message;

        @Option(names = "--nickname", paramLabel = "NAME",
                description = "The nickname to offer them (default: the profile's).")
        String nickname;

        @Override
        String operation() {
            return "add";
        }

        @Override
        Map<String, Object> arguments() {
            return map("address", address, "message", message, "nickname", nickname);
        }

        @Override
        ExitCode exitFor(Map<String, Object> r) {
            return Boolean.TRUE.equals(r.get("delivered")) || Long.valueOf(0).equals(waitUsed) ? ExitCode.OK
                    : ExitCode.TIMEOUT;
        }

        private Long waitUsed;

        @Override
        Map<String, Object> withDefaults(Map<String, Object> args, boolean viaDaemon) {
            Map<String, Object> m = super.withDefaults(args, viaDaemon);
            waitUsed = (Long) m.get("wait");
            return m;
        }

        @Override
        ExitCode printText(Map<String, Object> r, PrintStream out, boolean viaDaemon) {
            ExitCode code = exitFor(r);
            if (Boolean.TRUE.equals(r.get("delivered"))) {
                out.println("request " + str(r, "contact") + " delivered; they become a contact when they accept");
            } else if (code == ExitCode.OK) {
                out.println("request " + str(r, "contact") + " queued");
            } else {
                top.ctx.err().println("allium: request " + str(r, "contact") + " not delivered within " + waitUsed
                        + " s; it is kept and sent the next time this profile is online (allium run)");
            }
            return code;
        }
    }

    /** accept / reject / block / remove / verify: one contact argument. */
    abstract static class OnContact extends Waiting {
        @Parameters(index = "0", paramLabel = "CONTACT", description = "Contact number, link or nickname.")
        String contact;

        @Override
        Map<String, Object> arguments() {
            return map("contact", contactRef(contact));
        }

        @Override
        Map<String, Object> withDefaults(Map<String, Object> args, boolean viaDaemon) {
            return args; // only accept waits
        }

        @Override
        ExitCode printText(Map<String, Object> r, PrintStream out, boolean viaDaemon) {
            out.println(done() + " " + str(r, "contact"));
            return ExitCode.OK;
        }

        abstract String done();
    }

    @Command(name = "accept", description = "Accept an incoming contact request.")
    static final class Accept extends OnContact {
        @Override
        String operation() {
            return "accept";
        }

        @Override
        Map<String, Object> withDefaults(Map<String, Object> args, boolean viaDaemon) {
            Map<String, Object> m = new LinkedHashMap<>(args);
            // Locally we only wait if asked: the requester may well be offline now.
            m.put("wait", waitSeconds != null ? waitSeconds : 0L);
            return m;
        }

        @Override
        String done() {
            return "accepted";
        }
    }

    @Command(name = "reject", description = "Reject an incoming contact request (the requester is not told).")
    static final class Reject extends OnContact {
        @Override
        String operation() {
            return "reject";
        }

        @Override
        String done() {
            return "rejected";
        }
    }

    @Command(name = "block", description = "Block a contact or requester.")
    static final class Block extends OnContact {
        @Override
        String operation() {
            return "block";
        }

        @Override
        String done() {
            return "blocked";
        }
    }

    @Command(name = "remove", description = "Remove a contact or request and its conversation.")
    static final class Remove extends OnContact {
        @Override
        String operation() {
            return "remove";
        }

        @Override
        String done() {
            return "removed";
        }
    }

    @Command(name = "verify", description = "Mark a contact's safety fingerprint as checked in person.")
    static final class Verify extends OnContact {
        @Override
        String operation() {
            return "verify";
        }

        @Override
        String done() {
            return "verified";
        }
    }

    @Command(name = "send", description = "Send a message to a contact.")
    static final class Send extends Waiting {
        @Parameters(index = "0", paramLabel = "CONTACT", description = "Contact number, link or nickname.")
        String contact;

        @Parameters(index = "1", paramLabel = "TEXT", arity = "0..1",
                description = "The message; read from standard input when absent or \"-\".")
        String text;

        @Option(names = "--client-id", paramLabel = "ID",
                description = "Your name for this message (1-64 of A-Z a-z 0-9 . _ : -): sending again with the same id"
                        + " within 7 days, e.g. after a lost reply, gives the same message instead of a second one.")
        String clientId;

        private Long waitUsed;

        @Override
        String operation() {
            return "send";
        }

        @Override
        Map<String, Object> arguments() throws CliException {
            String t = text;
            if (t == null || t.equals("-")) {
                try {
                    byte[] in = top.ctx.in().readNBytes(Short.MAX_VALUE);
                    t = new String(in, java.nio.charset.StandardCharsets.UTF_8).stripTrailing();
                } catch (java.io.IOException e) {
                    throw new CliException(ExitCode.USAGE, "cannot read the message from standard input");
                }
            }
            if (t.isEmpty()) {
                throw new CliException(ExitCode.USAGE, "empty message");
            }
            Map<String, Object> m = map("contact", contactRef(contact), "text", t);
            if (clientId != null) {
                m.put("client_id", clientId);
            }
            return m;
        }

        @Override
        Map<String, Object> withDefaults(Map<String, Object> args, boolean viaDaemon) {
            Map<String, Object> m = super.withDefaults(args, viaDaemon);
            waitUsed = (Long) m.get("wait");
            return m;
        }

        @Override
        ExitCode exitFor(Map<String, Object> r) {
            String status = str(r, "status");
            if (status.equals("failed")) {
                return ExitCode.REFUSED;
            }
            return status.equals("delivered") || Long.valueOf(0).equals(waitUsed) ? ExitCode.OK : ExitCode.TIMEOUT;
        }

        @Override
        ExitCode printText(Map<String, Object> r, PrintStream out, boolean viaDaemon) {
            ExitCode code = exitFor(r);
            String id = str(r, "message");
            if (code == ExitCode.OK) {
                out.println(id + " " + str(r, "status"));
            } else if (code == ExitCode.REFUSED) {
                top.ctx.err().println("allium: message " + id + " failed (contact blocked or removed)");
            } else {
                out.println(id + " " + str(r, "status"));
                top.ctx.err().println("allium: not delivered within " + waitUsed + " s; the message is kept and sent "
                        + "the next time this profile is online (allium run)");
            }
            return code;
        }
    }

    @Command(name = "history", description = "Show a conversation, oldest first.")
    static final class History extends OneShotCommand {
        @Parameters(index = "0", paramLabel = "CONTACT", description = "Contact number, link or nickname.")
        String contact;

        @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "50",
                description = "How many of the newest messages (default ${DEFAULT-VALUE}).")
        long limit;

        @Option(names = "--before", paramLabel = "MESSAGE-ID", description = "Only messages before this one.")
        String before;

        @Override
        String operation() {
            return "history";
        }

        @Override
        Map<String, Object> arguments() {
            return map("contact", contactRef(contact), "limit", limit, "before", before);
        }

        @Override
        ExitCode printText(Map<String, Object> r, PrintStream out, boolean viaDaemon) {
            for (Map<String, Object> m : list(r, "messages")) {
                boolean in = "incoming".equals(m.get("direction"));
                String time = str(m, "composed");
                out.printf("%s %s %s%s%n", time.length() >= 19 ? time.substring(0, 19).replace('T', ' ') : time,
                        in ? "<" : ">", Text.safe(str(m, "text"), false),
                        in ? "" : "  [" + str(m, "status") + "]");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "accepting", description = "Show, or switch on/off, whether strangers can send you contact "
            + "requests (your public address online).")
    static final class Accepting extends OneShotCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "on|off")
        String onOff;

        @Override
        String operation() {
            return "accepting";
        }

        @Override
        Map<String, Object> arguments() throws CliException {
            if (onOff == null) {
                return map();
            }
            if (!onOff.equals("on") && !onOff.equals("off")) {
                throw new CliException(ExitCode.USAGE, "accepting takes \"on\" or \"off\"");
            }
            return map("on", onOff.equals("on"));
        }

        @Override
        ExitCode printText(Map<String, Object> r, PrintStream out, boolean viaDaemon) {
            out.println(Boolean.TRUE.equals(r.get("accepting")) ? "accepting contact requests"
                    : "not accepting contact requests");
            return ExitCode.OK;
        }
    }
}
