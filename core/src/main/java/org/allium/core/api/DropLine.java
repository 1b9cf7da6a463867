package org.allium.core.api;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.allium.contacts.api.DropStore;
import org.allium.contacts.api.MessageId;

/**
 * The organisation's side of a drop line (PROTOCOL.md §13), for front ends: switch it on,
 * read cases and their attachments, reply, set status, assign, keep notes, delete. Replies
 * wait on the drop line until the source checks in. Obtain it from {@link Messenger#dropLine()}.
 *
 * <p>Threading: thread-safe. Every method except {@link #subscribe} blocks on store I/O (call
 * it off the UI thread). Events go to subscribers in order on one core thread, after the change
 * is stored; a subscriber must not block (hand work to your own thread, e.g. the Swing event
 * thread) and must not call back into this API on that thread if it could wait. Texts, names
 * and pseudonyms are plain text from strangers: never render them as markup, links or paths.
 */
public interface DropLine {
    /** The automatic answer sent to every source until changed. */
    String DEFAULT_ACKNOWLEDGEMENT = "Received. We answer within 7 days.";

    boolean enabled() throws DropLineException;

    /** Switches the drop line on or off (its identity onion is hosted while on). */
    void setEnabled(boolean on) throws DropLineException;

    String acknowledgement() throws DropLineException;

    /** Plain text, 0..1024 UTF-8 bytes. */
    void setAcknowledgement(String text) throws DropLineException;

    /** Closed cases are deleted this many days after their last change; 0 keeps them. */
    int retentionDays() throws DropLineException;

    void setRetentionDays(int days) throws DropLineException;

    List<DropStore.Case> cases() throws DropLineException;

    DropStore.Case get(long caseId) throws DropLineException;

    /** Every item of a case in order (submissions, replies, notes); marks it read. */
    List<DropStore.Item> read(long caseId) throws DropLineException;

    /** A reply (1..8192 UTF-8 bytes) the source gets at its next check-in. */
    DropStore.Item reply(long caseId, String text) throws DropLineException;

    /** A note for the team only (never sent to the source). */
    DropStore.Item note(long caseId, String text) throws DropLineException;

    void setState(long caseId, DropStore.State state) throws DropLineException;

    /** On the drop line: assigns the case to an operator (a contact id), or to nobody with null. */
    void assign(long caseId, Long operator) throws DropLineException;

    /** "I take this one": assigns the case to this profile (on an operator: asks its drop line). */
    void take(long caseId) throws DropLineException;

    /**
     * Team mode (PROTOCOL.md §13.4): the contacts that are operators of this drop line. Each
     * gets every case, item, state, assignment and deletion; its replies, notes, states,
     * assignments and deletions reach the others. An operator's own inbox is this same API:
     * {@link #cases()} holds the copies of the cases of the drop lines it operates for
     * ({@link DropStore.Case#line()} names the drop line), and changes made to a copy are
     * sent to that drop line.
     */
    List<Long> operators() throws DropLineException;

    /** Makes an accepted contact an operator; it gets a copy of every case. @return false if it was one */
    boolean addOperator(long contact) throws DropLineException;

    /** Stops everything to an operator at once (nothing queued or handed to its session goes out). */
    boolean removeOperator(long contact) throws DropLineException;

    /** Deletes the case and everything in it now. */
    void delete(long caseId) throws DropLineException;

    /** Deletes closed cases past the retention period now. @return how many */
    int applyRetention() throws DropLineException;

    /**
     * The files the source attached to the submissions of a case, oldest first, each with how
     * many bytes are verified and stored so far ({@link DropStore.Attachment#complete()} once
     * the whole file arrived and matched its hash). On an operator: its copies, fetched from
     * the drop line in the background. Names are the source's, untrusted: show them as text only.
     */
    List<DropStore.Attachment> attachments(long caseId) throws DropLineException;

    /**
     * Writes a complete attachment, decrypted, into the directory {@code dir} under a safe,
     * de-duplicated version of its name ("name (1).ext" if taken; the source's name is never
     * used as a path), through a temporary file that is synced and then linked into place: no
     * half-written file under the final name, no existing file replaced. The original stays in
     * the profile as received.
     *
     * @return the file written
     * @throws DropLineException if the attachment is unknown or incomplete, or writing failed
     */
    Path export(long caseId, MessageId fileId, Path dir) throws DropLineException;

    /**
     * Calls {@code listener} for what happens on this drop line from now on (see the class
     * comment for threading), until the subscription is closed. Non-blocking.
     */
    Subscription subscribe(Consumer<DropEvent> listener);
}
