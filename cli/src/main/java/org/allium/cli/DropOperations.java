package org.allium.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.allium.contacts.api.DropStore;
import org.allium.contacts.api.MessageId;
import org.allium.core.Messengers;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerException;
import org.allium.core.api.DropLine;

/**
 * The drop line's control operations ({@code drop.*}) for operators, run against the
 * messenger of the drop-line profile: through the daemon's socket or on the profile opened
 * by the command. Results name cases by number and pseudonym; texts are plain strings.
 */
final class DropOperations {
    private DropOperations() {
    }

    static boolean handles(String cmd) {
        return cmd.startsWith("drop.");
    }

    static Map<String, Object> call(Messenger messenger, Operations ops, String cmd, Args a)
            throws CliException, MessengerException {
        DropLine d = Messengers.dropLine(messenger);
        Map<String, Object> r = new LinkedHashMap<>();
        try {
            switch (cmd) {
                case "drop.settings" -> {
                    Boolean on = a.optBool("on");
                    if (on != null) {
                        d.setEnabled(on);
                    }
                    String ack = a.optString("acknowledgement");
                    if (ack != null) {
                        d.setAcknowledgement(ack);
                    }
                    String days = a.optString("retention");
                    if (days != null) {
                        d.setRetentionDays(parseInt(days, "retention"));
                    }
                    r.put("on", d.enabled());
                    r.put("address", messenger.myIdentity().link());
                    r.put("acknowledgement", d.acknowledgement());
                    r.put("retention_days", (long) d.retentionDays());
                    r.put("deleted", (long) d.applyRetention());
                }
                case "drop.cases" -> {
                    List<Object> list = new ArrayList<>();
                    for (DropStore.Case c : d.cases()) {
                        list.add(view(c));
                    }
                    r.put("cases", list);
                }
                case "drop.show" -> {
                    long id = caseId(a);
                    List<Object> items = new ArrayList<>();
                    for (DropStore.Item i : d.read(id)) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("kind", i.kind().name().toLowerCase(Locale.ROOT));
                        m.put("composed_at", i.composed().toString());
                        m.put("stored_at", i.stored().toString());
                        if (i.author() != null) {
                            m.put("author", i.author());
                        }
                        if (i.by() != null) {
                            m.put("by", i.by().name());
                        }
                        m.put("text", i.text());
                        items.add(m);
                    }
                    r.put("case", view(d.get(id)));
                    r.put("items", items);
                }
                case "drop.reply", "drop.note" -> {
                    long id = caseId(a);
                    String text = a.string("text");
                    DropStore.Item i = cmd.equals("drop.reply") ? d.reply(id, text) : d.note(id, text);
                    r.put("case", id);
                    r.put("item", i.id().toHex());
                }
                case "drop.state" -> {
                    long id = caseId(a);
                    d.setState(id, state(a.string("state")));
                    r.put("case", view(d.get(id)));
                }
                case "drop.assign" -> {
                    long id = caseId(a);
                    String who = a.optString("operator");
                    d.assign(id, who == null ? null : (long) parseInt(who, "operator"));
                    r.put("case", view(d.get(id)));
                }
                case "drop.take" -> {
                    long id = caseId(a);
                    d.take(id);
                    r.put("case", view(d.get(id)));
                }
                case "drop.operator.add", "drop.operator.remove" -> {
                    long contact = ops.resolve(a.contactRef("contact")).value();
                    boolean changed = cmd.endsWith("add") ? d.addOperator(contact) : d.removeOperator(contact);
                    r.put("contact", contact);
                    r.put("changed", changed);
                    r.put("operators", new ArrayList<Object>(d.operators()));
                }
                case "drop.operator.list" -> r.put("operators", new ArrayList<Object>(d.operators()));
                case "drop.files" -> {
                    long id = caseId(a);
                    List<Object> files = new ArrayList<>();
                    for (DropStore.Attachment x : d.attachments(id)) {
                        files.add(attachment(x));
                    }
                    r.put("case", id);
                    r.put("files", files);
                }
                case "drop.save" -> {
                    MessageId file = fileId(a.string("file"));
                    Path dir = absolute(a.string("path"));
                    DropStore.Attachment x = find(d, file);
                    Path saved = d.export(x.caseId(), file, dir);
                    r.put("case", x.caseId());
                    r.put("file", file.toHex());
                    r.put("path", saved.toString());
                }
                case "drop.delete" -> {
                    long id = caseId(a);
                    d.delete(id);
                    r.put("case", id);
                    r.put("deleted", true);
                }
                default -> throw new CliException(ExitCode.USAGE, "unknown command \"" + cmd + "\"");
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage());
        }
        return r;
    }

    static Map<String, Object> view(DropStore.Case c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("case", c.id());
        m.put("pseudonym", c.pseudonym());
        m.put("state", c.state().name().toLowerCase(Locale.ROOT));
        m.put("unread", c.unread());
        m.put("submissions", (long) c.submissions());
        m.put("replies", (long) c.replies());
        if (c.assignee() != null) {
            m.put("assignee", c.assignee());
        }
        if (c.assignedTo() != null) {
            m.put("assigned_to", c.assignedTo().name());
        }
        if (c.line() != null) {
            m.put("line", c.line()); // an operator's copy: the drop line's contact number
        }
        m.put("updated_at", c.updated().toString());
        return m;
    }

    /**
     * One attachment as JSON: {@code id} (32 hex, for {@code drop.save}), the submission it came
     * with, the source's {@code name} (plain text, never a path), {@code size}, {@code received}
     * (bytes verified and stored) and {@code complete}.
     */
    /**
     * A drop line event line: type {@code drop_submitted}, {@code drop_changed},
     * {@code drop_attachment} or {@code drop_switched}, with {@code case} (not for a switch) and
     * {@code file} (an attachment's id, for {@code drop_attachment}). Numbers only, like the
     * core's event: re-read the case ({@code drop show}, {@code drop files}) for anything to show.
     */
    static Map<String, Object> event(org.allium.core.api.DropEvent e, java.time.Instant now) {
        Map<String, Object> m = JsonView.header("drop_" + e.kind().name().toLowerCase(Locale.ROOT), now);
        if (e.kind() != org.allium.core.api.DropEvent.Kind.SWITCHED) {
            m.put("case", e.caseId());
        }
        if (e.fileId() != null) {
            m.put("file", e.fileId().toHex());
        }
        return m;
    }

    static Map<String, Object> attachment(DropStore.Attachment x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", x.fileId().toHex());
        m.put("case", x.caseId());
        m.put("submission", x.item().toHex());
        m.put("name", x.spec().name());
        m.put("size", x.spec().size());
        m.put("received", x.received());
        m.put("complete", x.complete());
        m.put("created_at", x.created().toString());
        return m;
    }

    /** The attachment {@code file} in whichever case holds it. */
    private static DropStore.Attachment find(DropLine d, MessageId file) throws CliException, MessengerException {
        for (DropStore.Case c : d.cases()) {
            for (DropStore.Attachment x : d.attachments(c.id())) {
                if (x.fileId().equals(file)) {
                    return x;
                }
            }
        }
        throw new CliException(ExitCode.USAGE, "no attachment " + file.toHex() + " in any case (see drop files CASE)");
    }

    private static MessageId fileId(String hex) throws CliException {
        String h = hex.trim();
        if (!h.matches("[0-9a-fA-F]{32}")) {
            throw new CliException(ExitCode.USAGE, "an attachment id is 32 hex digits (see drop files CASE)");
        }
        return MessageId.fromBytes(java.util.HexFormat.of().parseHex(h));
    }

    private static Path absolute(String p) throws CliException {
        Path path;
        try {
            path = Path.of(p);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CliException(ExitCode.USAGE, "not a directory name");
        }
        if (!path.isAbsolute()) {
            throw new CliException(ExitCode.USAGE, "the directory must be an absolute path");
        }
        if (!java.nio.file.Files.isDirectory(path)) {
            throw new CliException(ExitCode.USAGE, "no such directory: " + path + " (an attachment is saved into a "
                    + "directory, under a safe version of the source's name)");
        }
        return path;
    }

    private static long caseId(Args a) throws CliException {
        return parseInt(a.string("case"), "case");
    }

    private static int parseInt(String s, String what) throws CliException {
        try {
            int v = Integer.parseInt(s.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new CliException(ExitCode.USAGE, what + " must be a number");
        }
    }

    private static DropStore.State state(String s) throws CliException {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "new" -> DropStore.State.NEW;
            case "read" -> DropStore.State.READ;
            case "replied" -> DropStore.State.REPLIED;
            case "closed" -> DropStore.State.CLOSED;
            default -> throw new CliException(ExitCode.USAGE, "a state is new, read, replied or closed");
        };
    }
}
