package org.allium.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.allium.core.api.Contact;
import org.allium.core.api.ContactId;
import org.allium.core.api.ContactRequest;
import org.allium.core.api.InvalidAddressException;
import org.allium.core.api.Message;
import org.allium.core.api.MessageId;
import org.allium.core.api.MessageStatus;
import org.allium.core.api.Messenger;
import org.allium.core.api.Profile;
import org.allium.core.api.MessengerEvent;
import org.allium.core.api.MessengerException;
import org.allium.core.api.UnknownContactException;

/**
 * The operations of the control protocol, run against one messenger. The daemon runs them
 * for requests on its socket; the one-shot commands run the same code on a profile they
 * opened themselves, so both paths behave alike. Thread-safe (the messenger is); operations
 * that wait block the calling thread, never the core event thread.
 */
final class Operations {

    /** The most messages one {@code history} returns (cli/README.md). */
    static final int MAX_HISTORY = 10_000;

    /** Longest wait a request may ask for, in seconds. */
    static final int MAX_WAIT_SECONDS = 3600;

    private final Messenger messenger;
    private final Profile profile;
    private final EventWaiter events;
    private final Runnable networkNeeded;

    /**
     * @param networkNeeded run before waiting for the other side, once the operation's own
     *        part has succeeded (a one-shot command starts tor only then)
     */
    Operations(Messenger messenger, Profile profile, EventWaiter events, Runnable networkNeeded) {
        this.messenger = messenger;
        this.profile = profile;
        this.events = events;
        this.networkNeeded = networkNeeded;
    }

    /**
     * Runs one operation.
     *
     * @return the result object of the response
     */
    Map<String, Object> call(String cmd, Args a) throws CliException, InterruptedException {
        try {
            return dispatch(cmd, a);
        } catch (MessengerException e) {
            throw Errors.map(e);
        }
    }

    private Map<String, Object> dispatch(String cmd, Args a)
            throws CliException, MessengerException, InterruptedException {
        Map<String, Object> r = new LinkedHashMap<>();
        switch (cmd) {
            case "ping":
                r.put("v", JsonView.SCHEMA);
                return r;
            case "status":
                r.put("state", JsonView.lower(messenger.state()));
                r.put("accepting", messenger.isAcceptingContacts());
                long needed = messenger.diskSpaceNeeded();
                r.put("storage", needed > 0 ? "disk_full" : "ok");
                if (needed > 0) {
                    r.put("needed_mb", org.allium.core.api.DiskFullException.megabytes(needed));
                }
                return r;
            case "id":
                return JsonView.identity(messenger.myIdentity());
            case "contacts": {
                List<Object> list = new ArrayList<>();
                for (Contact c : messenger.contacts()) {
                    list.add(JsonView.contact(c, false));
                }
                r.put("contacts", list);
                return r;
            }
            case "requests": {
                List<Object> list = new ArrayList<>();
                for (ContactRequest q : messenger.requests()) {
                    list.add(JsonView.request(q, false));
                }
                r.put("requests", list);
                return r;
            }
            case "add":
                return add(a);
            case "accept": {
                ContactId id = resolve(a.contactRef("contact"));
                int wait = waitSeconds(a);
                messenger.accept(id);
                r.put("contact", id.value());
                if (wait > 0) {
                    networkNeeded.run();
                    Optional<MessengerEvent> e = awaitOrTorMissing(ev -> ev instanceof MessengerEvent.PresenceChanged
                            && ((MessengerEvent.PresenceChanged) ev).contact().equals(id)
                            && ((MessengerEvent.PresenceChanged) ev).online(), wait);
                    r.put("online", e.isPresent());
                }
                return r;
            }
            case "reject":
            case "block":
            case "remove":
            case "verify": {
                ContactId id = resolve(a.contactRef("contact"));
                switch (cmd) {
                    case "reject": messenger.reject(id); break;
                    case "block": messenger.block(id); break;
                    case "remove": messenger.remove(id); break;
                    default: messenger.markVerified(id); break;
                }
                r.put("contact", id.value());
                return r;
            }
            case "read": {
                ContactId id = resolve(a.contactRef("contact"));
                messenger.markRead(id);
                r.put("contact", id.value());
                return r;
            }
            case "send":
                return send(a);
            case "retry": {
                MessageId id = messageId(a.string("message"));
                messenger.retry(id);
                r.put("message", id.hex());
                return r;
            }
            case "history": {
                ContactId id = resolve(a.contactRef("contact"));
                int limit = a.intArg("limit", 50, 1, MAX_HISTORY);
                String before = a.optString("before");
                List<Object> list = new ArrayList<>();
                for (Message m : messenger.conversation(id, limit, before == null ? null : messageId(before))) {
                    list.add(JsonView.message(m, false));
                }
                r.put("contact", id.value());
                r.put("messages", list);
                return r;
            }
            case "accepting": {
                Boolean on = a.optBool("on");
                if (on != null) {
                    messenger.setAcceptingContacts(on);
                }
                r.put("accepting", messenger.isAcceptingContacts());
                return r;
            }
            case "backup":
                return backup(a);
            default:
                if (GroupOperations.handles(cmd)) {
                    return new GroupOperations(messenger, this).call(cmd, a);
                }
                if (FileOperations.handles(cmd)) {
                    return FileOperations.call(messenger, this, cmd, a);
                }
                if (DropOperations.handles(cmd)) {
                    return DropOperations.call(messenger, this, cmd, a);
                }
                throw new CliException(ExitCode.USAGE, "unknown command \"" + cmd + "\"");
        }
    }

    /** A consistent, encrypted backup of the running profile to an absolute path. */
    private Map<String, Object> backup(Args a) throws CliException, MessengerException {
        String file = a.string("file");
        java.nio.file.Path path;
        try {
            path = java.nio.file.Path.of(file);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CliException(ExitCode.USAGE, "backup: not a file name");
        }
        if (!path.isAbsolute() || path.getFileName() == null) {
            throw new CliException(ExitCode.USAGE, "backup: the file must be an absolute path");
        }
        // Replaced when complete: never a directory, a device or anything else but a file.
        if (java.nio.file.Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && !java.nio.file.Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new CliException(ExitCode.USAGE, "backup: " + path + " exists and is not a regular file");
        }
        if (path.getParent() == null || !java.nio.file.Files.isDirectory(path.getParent())) {
            throw new CliException(ExitCode.USAGE, "backup: the directory " + path.getParent() + " does not exist");
        }
        Map<String, Integer> rows = profile.backup(path);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("file", path.toString());
        r.put("rows", new LinkedHashMap<String, Object>(rows));
        return r;
    }

    private Map<String, Object> add(Args a) throws CliException, MessengerException, InterruptedException {
        String address = a.string("address");
        String nickname = a.optString("nickname");
        String message = a.optString("message");
        int wait = waitSeconds(a);
        ContactId id = messenger.sendContactRequest(address, nickname, message == null ? "" : message);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("contact", id.value());
        boolean delivered = false;
        if (wait > 0) {
            networkNeeded.run();
            delivered = awaitOrTorMissing(ev -> ev instanceof MessengerEvent.RequestChanged
                    && ((MessengerEvent.RequestChanged) ev).request().id().equals(id)
                    && ((MessengerEvent.RequestChanged) ev).request().delivered()
                    || ev instanceof MessengerEvent.ContactAdded
                    && ((MessengerEvent.ContactAdded) ev).contact().id().equals(id), wait).isPresent();
        }
        r.put("delivered", delivered);
        return r;
    }

    private Map<String, Object> send(Args a) throws CliException, MessengerException, InterruptedException {
        ContactId id = resolve(a.contactRef("contact"));
        String text = a.string("text");
        if (text.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "empty message");
        }
        String clientId = a.optString("client_id");
        if (clientId != null && (clientId.isEmpty() || clientId.length() > 64
                || !clientId.matches("[A-Za-z0-9._:-]+"))) {
            throw new CliException(ExitCode.USAGE, "a client id is 1 to 64 characters from A-Z, a-z, 0-9, '.', '_',"
                    + " ':', '-'");
        }
        int wait = waitSeconds(a);
        MessageId mid;
        try {
            mid = messenger.sendMessage(id, text, clientId);
        } catch (IllegalArgumentException e) {
            // The engine's own precondition (a client id reused for another text): the caller's mistake.
            throw new CliException(ExitCode.USAGE, e.getMessage());
        }
        MessageStatus status = MessageStatus.QUEUED;
        if (wait > 0) {
            networkNeeded.run();
            Optional<MessengerEvent> e = awaitOrTorMissing(ev -> ev instanceof MessengerEvent.MessageStatusChanged
                    && ((MessengerEvent.MessageStatusChanged) ev).message().equals(mid)
                    && isFinal(((MessengerEvent.MessageStatusChanged) ev).status()), wait);
            if (e.isPresent()) {
                status = ((MessengerEvent.MessageStatusChanged) e.get()).status();
            } else {
                status = latestStatus(mid).orElse(MessageStatus.QUEUED);
            }
        } else {
            status = latestStatus(mid).orElse(MessageStatus.QUEUED);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("contact", id.value());
        r.put("message", mid.hex());
        r.put("status", JsonView.lower(status));
        return r;
    }

    private static boolean isFinal(MessageStatus s) {
        return s == MessageStatus.DELIVERED || s == MessageStatus.FAILED;
    }

    private Optional<MessageStatus> latestStatus(MessageId mid) {
        MessageStatus[] last = {null};
        events.find(MessengerEvent.MessageStatusChanged.class, ev -> {
            if (ev.message().equals(mid)) {
                last[0] = ev.status();
            }
            return false;
        });
        return Optional.ofNullable(last[0]);
    }

    private Optional<MessengerEvent> awaitOrTorMissing(java.util.function.Predicate<MessengerEvent> done, int seconds)
            throws CliException, InterruptedException {
        Optional<MessengerEvent> e = events.await(ev -> done.test(ev) || isTorMissing(ev), Duration.ofSeconds(seconds));
        if (e.isPresent() && isTorMissing(e.get())) {
            throw new CliException(ExitCode.TOR_MISSING, "tor missing: "
                    + ((MessengerEvent.TorProblem) e.get()).message());
        }
        return e;
    }

    static boolean isTorMissing(MessengerEvent e) {
        return e instanceof MessengerEvent.TorProblem
                && ((MessengerEvent.TorProblem) e).kind() == MessengerEvent.TorProblem.Kind.TOR_MISSING;
    }

    private static int waitSeconds(Args a) throws CliException {
        return a.intArg("wait", 0, 0, MAX_WAIT_SECONDS);
    }

    private static MessageId messageId(String hex) throws CliException {
        try {
            return new MessageId(hex);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "a message id is 32 hex digits");
        }
    }

    /**
     * Finds a contact or request from what the user typed: its number, its link/address, or
     * its exact nickname (if unique).
     */
    ContactId resolve(Object ref) throws CliException, MessengerException {
        if (ref instanceof Long) {
            return contactId((Long) ref);
        }
        String s = ((String) ref).trim();
        if (s.matches("[0-9]{1,18}")) {
            return contactId(Long.parseLong(s));
        }
        String serviceId = null;
        try {
            serviceId = messenger.normalizeAddress(s);
        } catch (InvalidAddressException notAnAddress) {
            // Not an address: try it as a nickname below.
        }
        List<ContactId> matches = new ArrayList<>();
        for (Contact c : messenger.contacts()) {
            if (serviceId != null ? c.serviceId().equals(serviceId) : c.nickname().equals(s)) {
                matches.add(c.id());
            }
        }
        for (ContactRequest q : messenger.requests()) {
            if ((serviceId != null ? q.serviceId().equals(serviceId) : q.nickname().equals(s))
                    && !matches.contains(q.id())) {
                matches.add(q.id());
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw Errors.map(new UnknownContactException("contact"));
        }
        throw new CliException(ExitCode.USAGE, "several contacts match; use the contact's number");
    }

    private static ContactId contactId(long v) throws CliException {
        if (v <= 0) {
            throw Errors.map(new UnknownContactException("contact"));
        }
        return new ContactId(v);
    }
}
