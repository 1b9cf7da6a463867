/**
 * The public API of the Allium messenger engine: the only types the command line and the
 * desktop app use. Nothing here exposes tor-control, protocol or contacts types.
 *
 * <p>Threading, in short: every method of {@link org.allium.core.api.Messenger} and
 * {@link org.allium.core.api.Profiles} is thread-safe. Methods that touch the encrypted
 * store block for disk I/O (typically milliseconds, longer on a slow disk) but never on the
 * network; a UI must still call them off its event thread. Events are delivered in order on
 * one core event thread; listeners must return quickly and must not block.
 */
package org.allium.core.api;
