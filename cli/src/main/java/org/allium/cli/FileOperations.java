package org.allium.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.allium.core.api.ContactId;
import org.allium.core.api.FileEvent;
import org.allium.core.api.FileTransfer;
import org.allium.core.api.MessageId;
import org.allium.core.api.Messenger;
import org.allium.core.api.MessengerException;

/**
 * The file-transfer operations of the control protocol ({@code send-file}, {@code files},
 * {@code accept-file}, {@code decline-file}, {@code cancel-file}, {@code save-file}) and
 * the JSON shape of transfers and file events. Paths arrive absolute (the client resolves
 * them), so a daemon and a one-shot command mean the same file.
 */
final class FileOperations {
    static final Set<String> NAMES = Set.of("send-file", "files", "accept-file", "decline-file", "cancel-file",
            "save-file", "pause-file", "resume-file", "file-limits");

    private FileOperations() {
    }

    static boolean handles(String cmd) {
        return NAMES.contains(cmd);
    }

    static Map<String, Object> call(Messenger messenger, Operations ops, String cmd, Args a)
            throws CliException, MessengerException {
        Map<String, Object> r = new LinkedHashMap<>();
        switch (cmd) {
            case "send-file": {
                ContactId to = ops.resolve(a.contactRef("contact"));
                Object paths = a.map().get("paths");
                if (!(paths instanceof List<?> list) || list.isEmpty()) {
                    throw new CliException(ExitCode.USAGE, "\"paths\" must be a non-empty list of file paths");
                }
                List<Object> out = new ArrayList<>();
                for (Object p : list) {
                    if (!(p instanceof String s) || !Path.of(s).isAbsolute()) {
                        throw new CliException(ExitCode.USAGE, "each path must be an absolute path");
                    }
                    out.add(transfer(messenger.files().offer(to, Path.of(s)), false));
                }
                r.put("files", out);
                return r;
            }
            case "files": {
                ContactId c = a.map().get("contact") == null ? null : ops.resolve(a.contactRef("contact"));
                List<Object> out = new ArrayList<>();
                for (FileTransfer t : messenger.files().list(c)) {
                    out.add(transfer(t, false));
                }
                r.put("files", out);
                return r;
            }
            case "accept-file": {
                MessageId id = id(a);
                String dir = a.optString("to");
                messenger.files().accept(id, dir == null ? null : absolute(dir));
                r.put("file", transfer(messenger.files().get(id).orElseThrow(), false));
                return r;
            }
            case "decline-file", "cancel-file", "pause-file", "resume-file": {
                MessageId id = id(a);
                switch (cmd) {
                    case "decline-file" -> messenger.files().decline(id);
                    case "cancel-file" -> messenger.files().cancel(id);
                    case "pause-file" -> messenger.files().pause(id);
                    default -> messenger.files().resume(id);
                }
                r.put("file", transfer(messenger.files().get(id).orElseThrow(), false));
                return r;
            }
            case "file-limits": {
                Long max = optBytes(a, "max_incoming_bytes");
                Long auto = optBytes(a, "auto_accept_bytes");
                ContactId c = a.map().get("contact") == null ? null : ops.resolve(a.contactRef("contact"));
                if (auto != null && c == null) {
                    throw new CliException(ExitCode.USAGE, "\"auto_accept_bytes\" needs a \"contact\"");
                }
                if (max != null) {
                    messenger.files().setMaxIncomingBytes(max);
                }
                r.put("max_incoming_bytes", messenger.files().maxIncomingBytes());
                if (c != null) {
                    if (auto != null) {
                        messenger.files().setAutoAcceptBytes(c, auto);
                    }
                    r.put("contact_id", c.value());
                    r.put("auto_accept_bytes", messenger.files().autoAcceptBytes(c));
                }
                return r;
            }
            case "save-file": {
                MessageId id = id(a);
                Path saved = messenger.files().export(id, absolute(a.string("path")));
                r.put("path", saved.toString());
                return r;
            }
            default:
                throw new CliException(ExitCode.USAGE, "unknown command \"" + cmd + "\"");
        }
    }

    private static Path absolute(String p) throws CliException {
        Path path = Path.of(p);
        if (!path.isAbsolute()) {
            throw new CliException(ExitCode.USAGE, "the path must be absolute");
        }
        return path;
    }

    /** A byte count argument, 0 to 2^50, or null if absent. */
    private static Long optBytes(Args a, String name) throws CliException {
        Object v = a.map().get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Long n) || n < 0 || n > (1L << 50)) {
            throw new CliException(ExitCode.USAGE, "\"" + name + "\" must be a number of bytes from 0 to 2^50");
        }
        return n;
    }

    private static MessageId id(Args a) throws CliException {
        try {
            return new MessageId(a.string("file"));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "a file id is 32 hex digits");
        }
    }

    /** One transfer as JSON; {@code redact} leaves out the name. */
    static Map<String, Object> transfer(FileTransfer t, boolean redact) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id().hex());
        m.put("contact_id", t.contact().value());
        m.put("direction", JsonView.lower(t.direction()));
        if (!redact) {
            m.put("name", t.name());
        }
        m.put("size", t.size());
        m.put("state", JsonView.lower(t.state()));
        m.put("bytes_done", t.bytesDone());
        m.put("bytes_per_second", t.bytesPerSecond());
        m.put("seconds_left", t.secondsLeft());
        if (t.reason() != null) {
            m.put("reason", t.reason());
        }
        m.put("offered", t.offered().toString());
        m.put("original_gone", t.originalGone());
        return m;
    }

    /**
     * A file event line: type {@code file_offered}, {@code file_progress} (the engine sends at
     * most 4 a second per transfer), {@code file_completed}, {@code file_failed} (declined,
     * cancelled, failed) or {@code file_changed} (accepted, paused, resumed).
     */
    static Map<String, Object> event(FileEvent e, Instant now, boolean redact) {
        String type = switch (e.kind()) {
            case OFFERED -> "file_offered";
            case PROGRESS -> "file_progress";
            case CHANGED -> switch (e.transfer().state()) {
                case COMPLETE -> "file_completed";
                case FAILED, CANCELLED, DECLINED -> "file_failed";
                default -> "file_changed";
            };
        };
        Map<String, Object> m = JsonView.header(type, now);
        m.put("file", transfer(e.transfer(), redact));
        return m;
    }
}
