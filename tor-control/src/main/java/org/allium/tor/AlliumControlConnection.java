package org.allium.tor;

import net.freehaven.tor.control.EventHandler;
import net.freehaven.tor.control.TorControlConnection;
import net.freehaven.tor.control.TorControlException;

import org.allium.tor.api.OnionServiceSpec;
import org.allium.tor.api.ServiceId;
import org.allium.tor.api.TorCommandException;
import org.allium.tor.api.TorException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * jtorctl's connection plus what 0.5 lacks: ADD_ONION with our own key and ClientAuthV3,
 * MaxStreams and PoW arguments, DEL_ONION with typed errors, ONION_CLIENT_AUTH_ADD/REMOVE.
 * Every error reply becomes a {@link TorCommandException} carrying tor's message; a broken
 * connection becomes a {@link TorException}. Thread-safe as jtorctl is (one command at a
 * time). Must not be called on jtorctl's reader thread (i.e. from its EventHandler).
 */
final class AlliumControlConnection extends TorControlConnection {
    /** The ADD_ONION keywords that a tor older than 0.4.9.2 does not know. */
    static final int[] POW_MIN_VERSION = {0, 4, 9, 2};

    AlliumControlConnection(Socket socket) throws IOException {
        super(socket);
    }

    /** For tests: talk over any pair of streams. */
    AlliumControlConnection(InputStream in, OutputStream out) {
        super(in, out);
    }

    private volatile EventHandler handler;
    /** Set once jtorctl's reader thread has ended: no reply will ever come again. */
    private volatile boolean closed;
    /** Commands waiting for a reply, woken by {@link #markClosed()}. */
    private final Set<Call> waiting = ConcurrentHashMap.newKeySet();

    /**
     * One command in flight. Its thread may be interrupted only while {@code active}, under the
     * call's lock, so a late {@link #markClosed()} can never hit the caller after it returned.
     */
    private static final class Call {
        final Thread thread = Thread.currentThread();
        boolean active = true;
        boolean interruptedByUs;
    }

    @Override
    public void setEventHandler(EventHandler handler) {
        this.handler = handler;
        super.setEventHandler(handler);
    }

    /**
     * jtorctl reports a clean end of the connection to the handler but not a broken one
     * (an IOException just ends its reader thread); report both, so an external tor's
     * disappearance is never silent.
     */
    @Override
    protected void react() throws IOException {
        boolean ok = false;
        try {
            super.react();
            ok = true;
        } catch (IOException e) {
            EventHandler h = handler;
            if (h != null) h.controlConnectionClosed();
            throw e;
        } finally {
            if (!ok) markClosed();
        }
    }

    /**
     * jtorctl wakes only the commands already waiting when its reader thread ends; a
     * command sent just after would wait forever. Every call registers itself before it
     * checks {@link #closed}, so either it sees the flag or this interrupts it — but only
     * while it is still waiting (see {@link Call}).
     */
    private void markClosed() {
        closed = true;
        for (Call c : waiting) {
            synchronized (c) {
                if (c.active) {
                    c.interruptedByUs = true;
                    c.thread.interrupt();
                }
            }
        }
    }

    /**
     * Every command, ours and jtorctl's own (AUTHENTICATE, SETEVENTS, TAKEOWNERSHIP …), goes
     * through here, so none can wait forever on a connection whose reader has ended.
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // jtorctl's ReplyLine is package-private: raw List
    protected List sendAndWaitForResponse(String s, String rest) throws IOException {
        Call call = new Call();
        waiting.add(call);
        try {
            if (closed) throw new IOException("control connection to tor is closed");
            return super.sendAndWaitForResponse(s, rest);
        } finally {
            boolean ours;
            synchronized (call) {
                call.active = false;
                ours = call.interruptedByUs;
            }
            waiting.remove(call);
            // The interrupt markClosed() aimed at this command must not hit the caller's next wait.
            if (ours) Thread.interrupted();
        }
    }

    static final String SERVER_HASH_KEY = "Tor safe cookie authentication server-to-controller hash";
    static final String CLIENT_HASH_KEY = "Tor safe cookie authentication controller-to-server hash";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * SAFECOOKIE authentication (control-spec §3.24, AUTHCHALLENGE): we send a fresh nonce,
     * the server must answer with {@code HMAC-SHA256(server key, cookie | our nonce | its
     * nonce)}, which only a process that can read tor's cookie can compute, and only then do
     * we prove that we know the cookie too — with a hash that is useless anywhere else. A
     * process squatting the control port (tor not running yet, or restarting) therefore
     * learns neither the cookie nor, refused here, anything we would send after
     * authenticating: identity and endpoint keys, client credentials.
     *
     * @throws TorException if the server's hash is wrong or missing (nothing secret was sent)
     */
    void authenticateSafeCookie(byte[] cookie) throws TorException {
        if (cookie.length != 32) throw new TorException("tor's control cookie is not 32 bytes");
        byte[] clientNonce = new byte[32];
        RANDOM.nextBytes(clientNonce);
        HexFormat hex = HexFormat.of().withUpperCase();
        List<Reply> replies = command("AUTHCHALLENGE", "SAFECOOKIE " + hex.formatHex(clientNonce));
        String msg = replies.isEmpty() || replies.get(0).msg() == null ? "" : replies.get(0).msg();
        byte[] serverHash;
        byte[] serverNonce;
        try {
            if (!msg.startsWith("AUTHCHALLENGE ")) throw new IllegalArgumentException("not an AUTHCHALLENGE reply");
            Map<String, String> kw = ControlReplies.keywords(msg.substring("AUTHCHALLENGE ".length()));
            serverHash = HexFormat.of().parseHex(kw.getOrDefault("SERVERHASH", ""));
            serverNonce = HexFormat.of().parseHex(kw.getOrDefault("SERVERNONCE", ""));
            if (serverHash.length != 32 || serverNonce.length != 32) throw new IllegalArgumentException("bad lengths");
        } catch (IllegalArgumentException e) {
            throw new TorException("the control port's AUTHCHALLENGE reply is malformed; not authenticating");
        }
        if (!MessageDigest.isEqual(serverHash, safeCookieHash(SERVER_HASH_KEY, cookie, clientNonce, serverNonce))) {
            throw new TorException("the control port could not prove it knows tor's cookie (is another process "
                    + "listening there?); not authenticating");
        }
        command("AUTHENTICATE", hex.formatHex(safeCookieHash(CLIENT_HASH_KEY, cookie, clientNonce, serverNonce)));
    }

    /** HMAC-SHA256(key, cookie | clientNonce | serverNonce), as control-spec §3.24 defines both hashes. */
    static byte[] safeCookieHash(String key, byte[] cookie, byte[] clientNonce, byte[] serverNonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            mac.update(cookie);
            mac.update(clientNonce);
            mac.update(serverNonce);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }

    /** One reply line: status code, the line's text and its data block (or null). */
    record Reply(String status, String msg, String rest) {}

    /**
     * Sends one command line and returns its reply lines.
     *
     * @param keyword the command keyword, named in errors (the arguments are not, as they
     *                may hold keys)
     */
    List<Reply> command(String keyword, String arguments) throws TorException {
        String line = arguments.isEmpty() ? keyword : keyword + " " + arguments;
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("control command must be one line");
        }
        try {
            return ReplyFields.convert(sendAndWaitForResponse(line + "\r\n", null));
        } catch (TorControlException e) {
            throw new TorCommandException(keyword, torMessage(e));
        } catch (IOException e) {
            throw new TorException("control connection to tor failed during " + keyword, e);
        }
    }

    /** Tor's text from jtorctl's exception, without jtorctl's prefix. */
    static String torMessage(TorControlException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return m.startsWith("Error reply: ") ? m.substring("Error reply: ".length()) : m;
    }

    /**
     * Builds the ADD_ONION arguments for {@code spec}. {@code withPow} false drops the PoW
     * keywords (for a tor that refuses them).
     */
    static String addOnionArguments(OnionServiceSpec spec, boolean withPow) {
        StringBuilder sb = new StringBuilder();
        sb.append("ED25519-V3:").append(Base64.getEncoder().encodeToString(spec.expandedSecretKey()));
        List<String> flags = new ArrayList<>();
        flags.add("DiscardPK");
        if (spec.hasClientAuth()) flags.add("V3Auth");
        if (spec.maxStreams() > 0 && spec.closeCircuitOnMaxStreams()) flags.add("MaxStreamsCloseCircuit");
        sb.append(" Flags=").append(String.join(",", flags));
        if (spec.maxStreams() > 0) sb.append(" MaxStreams=").append(spec.maxStreams());
        for (byte[] key : spec.clientAuthPublicKeys()) {
            sb.append(" ClientAuthV3=").append(Base32.encode(key));
        }
        if (withPow && spec.pow() != null) {
            sb.append(" PoWDefensesEnabled=1")
                    .append(" PoWQueueRate=").append(spec.pow().queueRate())
                    .append(" PoWQueueBurst=").append(spec.pow().queueBurst());
        }
        sb.append(" Port=").append(spec.virtualPort()).append(',').append(spec.target().torSyntax());
        return sb.toString();
    }

    /** Whether tor's refusal is about the PoW keywords (an older tor). */
    static boolean isPowRefusal(TorCommandException e) {
        String m = e.torMessage().toLowerCase(java.util.Locale.ROOT);
        return m.contains("pow");
    }

    /** ADD_ONION; returns the ServiceID tor reports. */
    String addOnion(OnionServiceSpec spec, boolean withPow) throws TorException {
        List<Reply> replies = command("ADD_ONION", addOnionArguments(spec, withPow));
        for (Reply r : replies) {
            String msg = r.msg();
            if (msg != null && msg.startsWith("ServiceID=")) return msg.substring("ServiceID=".length()).strip();
        }
        throw new TorException("tor's ADD_ONION reply has no ServiceID");
    }

    void delOnion(ServiceId id) throws TorException {
        command("DEL_ONION", id.value());
    }

    void onionClientAuthAdd(ServiceId id, byte[] x25519Private) throws TorException {
        if (x25519Private.length != 32) throw new IllegalArgumentException("x25519 private key must be 32 bytes");
        command("ONION_CLIENT_AUTH_ADD", id.value() + " x25519:" + Base64.getEncoder().encodeToString(x25519Private));
    }

    void onionClientAuthRemove(ServiceId id) throws TorException {
        command("ONION_CLIENT_AUTH_REMOVE", id.value());
    }

    /** HSFETCH: tor fetches the service's descriptor from the directories now (in the background). */
    void hsFetch(ServiceId id) throws TorException {
        command("HSFETCH", id.value());
    }

    /** GETINFO of one key, with typed errors. */
    String info(String key) throws TorException {
        try {
            return getInfo(key);
        } catch (TorControlException e) {
            throw new TorCommandException("GETINFO", torMessage(e));
        } catch (IOException e) {
            throw new TorException("control connection to tor failed during GETINFO", e);
        }
    }

    /** SETCONF with typed errors; values are sent as quoted strings. */
    void conf(Map<String, String> values) throws TorException {
        conf(List.copyOf(values.entrySet()));
    }

    /**
     * SETCONF of several values in one command, in order; a key may repeat (e.g. several
     * {@code Bridge} lines). The values are not named in errors (they may be bridge lines).
     */
    void conf(List<Map.Entry<String, String>> values) throws TorException {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : values) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(e.getKey()).append("=\"")
                    .append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        command("SETCONF", sb.toString());
    }

    /**
     * jtorctl's reply lines are of a package-private type; read their fields reflectively,
     * once per line. Both classes live in the unnamed module, so no --add-opens is needed.
     */
    private static final class ReplyFields {
        private static final Field STATUS;
        private static final Field MSG;
        private static final Field REST;

        static {
            try {
                Class<?> c = Class.forName("net.freehaven.tor.control.TorControlConnection$ReplyLine");
                STATUS = c.getDeclaredField("status");
                MSG = c.getDeclaredField("msg");
                REST = c.getDeclaredField("rest");
                STATUS.setAccessible(true);
                MSG.setAccessible(true);
                REST.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new ExceptionInInitializerError("jtorctl's ReplyLine is not as expected (jtorctl 0.5): " + e);
            }
        }

        static List<Reply> convert(List<?> lines) throws TorException {
            List<Reply> out = new ArrayList<>(lines.size());
            try {
                for (Object l : lines) {
                    out.add(new Reply((String) STATUS.get(l), (String) MSG.get(l), (String) REST.get(l)));
                }
            } catch (IllegalAccessException e) {
                throw new TorException("cannot read jtorctl's reply", e);
            }
            return out;
        }
    }
}
