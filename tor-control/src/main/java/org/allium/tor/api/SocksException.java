package org.allium.tor.api;

/** A connect through tor's SOCKS port failed; {@link #reason()} says why. */
public final class SocksException extends TorException {
    private static final long serialVersionUID = 1L;
    private final SocksFailure reason;

    public SocksException(SocksFailure reason, String detail) {
        super(reason.description() + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.reason = reason;
    }

    public SocksException(SocksFailure reason, String detail, Throwable cause) {
        this(reason, detail);
        initCause(cause);
    }

    public SocksFailure reason() {
        return reason;
    }
}
