package org.allium.core.api;

import java.util.Objects;

/**
 * Everything a front end needs to follow the messenger. Delivered in order on one core event
 * thread; listeners must return quickly and must not block (hand work to your own executor,
 * e.g. {@code SwingUtilities.invokeLater}). {@code toString()} of every event is free of
 * addresses, nicknames and message text, so events may be logged.
 */
public sealed interface MessengerEvent {

    /** Tor bootstrap progress, 0–100. */
    record TorProgress(int percent, String tag, String summary) implements MessengerEvent {
        public TorProgress {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("percent out of range: " + percent);
            }
            Objects.requireNonNull(tag, "tag");
            Objects.requireNonNull(summary, "summary");
        }
    }

    /** Something is wrong with tor; {@code message} is a sentence for the user. */
    record TorProblem(Kind kind, String message) implements MessengerEvent {
        public TorProblem {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }

        public enum Kind {
            /** No tor binary found; the message says how to install one. */
            TOR_MISSING,
            /** Tor could not be started or the control connection could not be made. */
            START_FAILED,
            /** The tor process exited or the control connection was lost; the messenger restarts it. */
            TOR_EXITED,
            /** Bootstrap made no progress for a long time (no network, blocked, bad bridges). */
            BOOTSTRAP_STUCK,
            /** An onion service could not be published. */
            PUBLISH_FAILED,
            /** Tor refused the proof-of-work defence (tor older than 0.4.9); running without it. */
            POW_UNAVAILABLE
        }
    }

    /** Tor is bootstrapped and our onion services are published; sent again after a tor restart. */
    record Ready() implements MessengerEvent {
    }

    /** The messenger has stopped; no further events follow. */
    record Stopped() implements MessengerEvent {
    }

    /** Whether our public identity onion is accepting contact requests changed. */
    record AcceptingContactsChanged(boolean accepting) implements MessengerEvent {
    }

    /** A stranger asked to become our contact. */
    record RequestReceived(ContactRequest request) implements MessengerEvent {
        public RequestReceived {
            Objects.requireNonNull(request, "request");
        }
    }

    /** One of our pending requests changed (e.g. our outgoing request reached the other side). */
    record RequestChanged(ContactRequest request) implements MessengerEvent {
        public RequestChanged {
            Objects.requireNonNull(request, "request");
        }
    }

    /**
     * A request was withdrawn unanswered: ours after 30 days (real network) without an
     * answer (our endpoint for them is gone, they can no longer accept it), or theirs after the
     * same time or pushed out of a full request list by newer ones (a requester still waiting
     * asks again and reappears as a {@link RequestReceived}). A {@link ContactRemoved} follows.
     */
    record RequestExpired(ContactRequest request) implements MessengerEvent {
        public RequestExpired {
            Objects.requireNonNull(request, "request");
        }
    }

    /** A contact became {@link ContactState#ACCEPTED} (we accepted, or learned they accepted). */
    record ContactAdded(Contact contact) implements MessengerEvent {
        public ContactAdded {
            Objects.requireNonNull(contact, "contact");
        }
    }

    /** A contact's details changed (verified, unread count, blocked, nickname). */
    record ContactChanged(Contact contact) implements MessengerEvent {
        public ContactChanged {
            Objects.requireNonNull(contact, "contact");
        }
    }

    /** A contact or request is gone (removed, rejected). */
    record ContactRemoved(ContactId contact) implements MessengerEvent {
        public ContactRemoved {
            Objects.requireNonNull(contact, "contact");
        }
    }

    /** An authenticated connection to the contact opened ({@code online}) or closed. */
    record PresenceChanged(ContactId contact, boolean online) implements MessengerEvent {
        public PresenceChanged {
            Objects.requireNonNull(contact, "contact");
        }
    }

    /** A new message from a contact, already committed to our store. Sent once per message. */
    record MessageReceived(Message message) implements MessengerEvent {
        public MessageReceived {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The delivery state of one of our messages changed. */
    record MessageStatusChanged(ContactId contact, MessageId message, MessageStatus status)
            implements MessengerEvent {
        public MessageStatusChanged {
            Objects.requireNonNull(contact, "contact");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * The profile's disk is full: changes (sending, receiving, accepting) are refused until
     * {@code bytesNeeded} more bytes are free; reading works. {@code message} is a sentence for
     * the user ("disk full: N MB needed …"). {@link DiskSpaceRestored} follows by itself once
     * there is room; no restart is needed. Messages from contacts are not lost meanwhile: they
     * are not acknowledged, so their senders deliver them again.
     */
    record DiskFull(long bytesNeeded, String message) implements MessengerEvent {
        public DiskFull {
            if (bytesNeeded <= 0) {
                throw new IllegalArgumentException("bytesNeeded must be positive");
            }
            Objects.requireNonNull(message, "message");
        }
    }

    /** There is room on the profile's disk again after {@link DiskFull}: writes work. */
    record DiskSpaceRestored() implements MessengerEvent {
    }
}
