package org.allium.contacts.api;

import org.allium.protocol.ClientAuthKeyPair;
import org.allium.protocol.IdentityKeyPair;
import org.allium.protocol.OnionAddress;

/**
 * The per-contact endpoint keys (DESIGN.md "Onion services per user"). Each half may be
 * missing while a request is pending. Immutable; {@link #toString()} shows no key.
 *
 * @param ourEndpoint              the key of the endpoint onion we run for this contact, or null
 * @param theirClientAuthPublicKey the x25519 public key (tor's 52-character base32
 *                                 {@code ClientAuthV3} form) that lets them reach our endpoint, or null
 * @param theirEndpoint            the address of the endpoint onion they run for us, or null
 * @param ourClientAuth            the x25519 key pair we use to reach their endpoint, or null
 */
public record EndpointKeys(IdentityKeyPair ourEndpoint, String theirClientAuthPublicKey,
        OnionAddress theirEndpoint, ClientAuthKeyPair ourClientAuth) {
    /** No keys at all. */
    public static final EndpointKeys NONE = new EndpointKeys(null, null, null, null);

    public EndpointKeys {
        if (theirClientAuthPublicKey != null) {
            theirClientAuthPublicKey = ClientAuthKeyPair.encodePublicKeyBase32(
                    ClientAuthKeyPair.decodePublicKeyBase32(theirClientAuthPublicKey));
        }
    }

    /** Our half: the endpoint we run for them and the x25519 public key we gave them. */
    public static EndpointKeys ours(IdentityKeyPair ourEndpoint, String theirClientAuthPublicKey) {
        return new EndpointKeys(ourEndpoint, theirClientAuthPublicKey, null, null);
    }

    /** Their half: the endpoint they run for us and the x25519 key pair they gave us. */
    public static EndpointKeys theirs(OnionAddress theirEndpoint, ClientAuthKeyPair ourClientAuth) {
        return new EndpointKeys(null, null, theirEndpoint, ourClientAuth);
    }

    /** These keys with every non-null component of {@code other} replacing ours. */
    public EndpointKeys merge(EndpointKeys other) {
        return new EndpointKeys(
                other.ourEndpoint != null ? other.ourEndpoint : ourEndpoint,
                other.theirClientAuthPublicKey != null ? other.theirClientAuthPublicKey : theirClientAuthPublicKey,
                other.theirEndpoint != null ? other.theirEndpoint : theirEndpoint,
                other.ourClientAuth != null ? other.ourClientAuth : ourClientAuth);
    }

    /** Whether both halves are present (we can be reached and can reach them). */
    public boolean isComplete() {
        return ourEndpoint != null && theirClientAuthPublicKey != null && theirEndpoint != null
                && ourClientAuth != null;
    }

    @Override
    public String toString() {
        return "EndpointKeys[ours=" + (ourEndpoint != null) + ", theirAuth=" + (theirClientAuthPublicKey != null)
                + ", theirs=" + (theirEndpoint != null) + ", ourAuth=" + (ourClientAuth != null) + "]";
    }
}
