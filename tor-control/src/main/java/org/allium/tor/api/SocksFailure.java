package org.allium.tor.api;

/**
 * Why a SOCKS5 connect through tor failed. The onion-specific reasons come from tor's
 * extended SOCKS errors (0xF0–0xF7, needs {@code ExtendedErrors} on the SOCKS port, which
 * our own tor always sets); the rest are RFC 1928 reply codes or local failures.
 */
public enum SocksFailure {
    /** 0xF0: no descriptor found — the service is offline or does not exist. */
    DESCRIPTOR_NOT_FOUND(0xF0, "onion service is offline (descriptor not found)"),
    /** 0xF1: the descriptor could not be parsed or verified. */
    DESCRIPTOR_INVALID(0xF1, "onion service descriptor is invalid"),
    /** 0xF2: every introduction point failed. */
    INTRO_FAILED(0xF2, "introduction to the onion service failed"),
    /** 0xF3: the rendezvous circuit failed. */
    RENDEZVOUS_FAILED(0xF3, "rendezvous with the onion service failed"),
    /** 0xF4: the service needs client authorization and we have no credential for it. */
    MISSING_CLIENT_AUTH(0xF4, "onion service requires client authorization we do not have"),
    /** 0xF5: our client-authorization credential was not accepted. */
    WRONG_CLIENT_AUTH(0xF5, "onion service rejected our client authorization"),
    /** 0xF6: the onion address is malformed (e.g. bad checksum). */
    BAD_ADDRESS(0xF6, "invalid onion address"),
    /** 0xF7: the introduction timed out. */
    INTRO_TIMED_OUT(0xF7, "introduction to the onion service timed out"),
    /** 0x01. */
    GENERAL_FAILURE(0x01, "general SOCKS server failure"),
    /** 0x02. */
    NOT_ALLOWED(0x02, "connection not allowed by ruleset"),
    /** 0x03. */
    NETWORK_UNREACHABLE(0x03, "network unreachable"),
    /** 0x04: for onions, tor's generic "could not reach it" without extended errors. */
    HOST_UNREACHABLE(0x04, "host unreachable"),
    /** 0x05: the service is up but nothing listens on its target port. */
    CONNECTION_REFUSED(0x05, "connection refused"),
    /** 0x06: tor's stream timed out. */
    TTL_EXPIRED(0x06, "TTL expired (timed out inside tor)"),
    /** 0x07. */
    COMMAND_NOT_SUPPORTED(0x07, "command not supported"),
    /** 0x08. */
    ADDRESS_TYPE_NOT_SUPPORTED(0x08, "address type not supported"),
    /** A reply code we do not know. */
    UNKNOWN_REPLY(-1, "unknown SOCKS reply code"),
    /** The SOCKS server broke the protocol (wrong version, refused our auth method, …). */
    PROTOCOL_ERROR(-1, "SOCKS protocol error"),
    /** Our own connect deadline passed. */
    TIMEOUT(-1, "connect timed out"),
    /** The SOCKS port itself could not be reached (tor not running?). */
    PROXY_UNREACHABLE(-1, "tor's SOCKS port is unreachable");

    private final int code;
    private final String description;

    SocksFailure(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The SOCKS reply byte, or -1 for failures that are not a reply code. */
    public int code() { return code; }

    public String description() { return description; }

    /** True when the peer is simply not there now (worth retrying later). */
    public boolean meansOffline() {
        return this == DESCRIPTOR_NOT_FOUND || this == INTRO_FAILED || this == INTRO_TIMED_OUT
                || this == RENDEZVOUS_FAILED || this == HOST_UNREACHABLE || this == TTL_EXPIRED;
    }

    /** Maps a non-zero SOCKS5 reply byte. */
    public static SocksFailure fromReplyCode(int code) {
        for (SocksFailure f : values()) {
            if (f.code == code && code >= 0) return f;
        }
        return UNKNOWN_REPLY;
    }
}
