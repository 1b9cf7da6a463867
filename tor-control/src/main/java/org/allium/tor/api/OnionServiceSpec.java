package org.allium.tor.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What to publish with {@code ADD_ONION}: our own ed25519 key, the service id we expect it
 * to give, one port mapping and the optional extras. Immutable; build with
 * {@link #builder(byte[], ServiceId, int, ListenAddress)}. The key bytes are copied in and out.
 */
public final class OnionServiceSpec {
    /** The most {@code ClientAuthV3} keys we pass in one command (tor has no hard limit). */
    public static final int MAX_CLIENT_AUTH_KEYS = 1024;

    private final byte[] expandedSecretKey;
    private final ServiceId expectedId;
    private final int virtualPort;
    private final ListenAddress target;
    private final List<byte[]> clientAuthPublicKeys;
    private final int maxStreams;
    private final boolean closeCircuitOnMaxStreams;
    private final PowSettings pow;

    private OnionServiceSpec(Builder b) {
        expandedSecretKey = b.expandedSecretKey.clone();
        expectedId = b.expectedId;
        virtualPort = b.virtualPort;
        target = b.target;
        List<byte[]> keys = new ArrayList<>();
        for (byte[] k : b.clientAuthPublicKeys) keys.add(k.clone());
        clientAuthPublicKeys = List.copyOf(keys);
        maxStreams = b.maxStreams;
        closeCircuitOnMaxStreams = b.closeCircuitOnMaxStreams;
        pow = b.pow;
    }

    /**
     * @param expandedSecretKey the 64-byte expanded ed25519 secret key (SHA-512 of the seed,
     *                          first half clamped), never the 32-byte seed
     * @param expectedId        the service id the key's public half gives; publishing fails
     *                          if tor derives a different one
     * @param virtualPort       the port clients dial on the onion (1–65535)
     * @param target            where tor forwards connections (a {@link TargetListener}: a Unix socket for our own tor)
     */
    public static Builder builder(byte[] expandedSecretKey, ServiceId expectedId, int virtualPort,
                                  ListenAddress target) {
        return new Builder(expandedSecretKey, expectedId, virtualPort, target);
    }

    public byte[] expandedSecretKey() { return expandedSecretKey.clone(); }
    public ServiceId expectedId() { return expectedId; }
    public int virtualPort() { return virtualPort; }
    public ListenAddress target() { return target; }
    /** Raw 32-byte x25519 public keys of the clients allowed to fetch the descriptor. */
    public List<byte[]> clientAuthPublicKeys() {
        List<byte[]> out = new ArrayList<>();
        for (byte[] k : clientAuthPublicKeys) out.add(k.clone());
        return out;
    }
    public boolean hasClientAuth() { return !clientAuthPublicKeys.isEmpty(); }
    /** 0 means unlimited. */
    public int maxStreams() { return maxStreams; }
    public boolean closeCircuitOnMaxStreams() { return closeCircuitOnMaxStreams; }
    /** Null when the proof-of-work defence is not requested. */
    public PowSettings pow() { return pow; }

    @Override
    public String toString() {
        return "OnionServiceSpec[id=" + expectedId.scrubbed() + ", port=" + virtualPort
                + ", clientAuth=" + clientAuthPublicKeys.size() + ", maxStreams=" + maxStreams
                + ", pow=" + pow + "]";
    }

    /** Not thread-safe. */
    public static final class Builder {
        private final byte[] expandedSecretKey;
        private final ServiceId expectedId;
        private final int virtualPort;
        private final ListenAddress target;
        private final List<byte[]> clientAuthPublicKeys = new ArrayList<>();
        private int maxStreams;
        private boolean closeCircuitOnMaxStreams;
        private PowSettings pow;

        private Builder(byte[] expandedSecretKey, ServiceId expectedId, int virtualPort, ListenAddress target) {
            Objects.requireNonNull(expandedSecretKey, "expandedSecretKey");
            if (expandedSecretKey.length != 64) {
                throw new IllegalArgumentException("tor needs the 64-byte expanded ed25519 key, got "
                        + expandedSecretKey.length + " bytes (a 32-byte seed must be expanded first)");
            }
            if (virtualPort < 1 || virtualPort > 65535) {
                throw new IllegalArgumentException("virtual port out of range: " + virtualPort);
            }
            this.expandedSecretKey = expandedSecretKey.clone();
            this.expectedId = Objects.requireNonNull(expectedId, "expectedId");
            this.virtualPort = virtualPort;
            this.target = Objects.requireNonNull(target, "target");
        }

        /** Restricted discovery: only holders of this x25519 key (32 raw bytes) can connect. */
        public Builder clientAuth(byte[] x25519PublicKey) {
            Objects.requireNonNull(x25519PublicKey, "x25519PublicKey");
            if (x25519PublicKey.length != 32) throw new IllegalArgumentException("x25519 public key must be 32 bytes");
            if (clientAuthPublicKeys.size() >= MAX_CLIENT_AUTH_KEYS) throw new IllegalArgumentException("too many client auth keys");
            for (byte[] k : clientAuthPublicKeys) {
                if (Arrays.equals(k, x25519PublicKey)) return this;
            }
            clientAuthPublicKeys.add(x25519PublicKey.clone());
            return this;
        }

        /**
         * At most {@code n} concurrent streams per rendezvous circuit (1–65535); with
         * {@code closeCircuit} tor tears the circuit down when a client exceeds it.
         */
        public Builder maxStreams(int n, boolean closeCircuit) {
            if (n < 1 || n > 65535) throw new IllegalArgumentException("maxStreams out of range: " + n);
            maxStreams = n;
            closeCircuitOnMaxStreams = closeCircuit;
            return this;
        }

        /** Ask for tor's proof-of-work defence; null turns it off. */
        public Builder pow(PowSettings settings) {
            pow = settings;
            return this;
        }

        public OnionServiceSpec build() {
            return new OnionServiceSpec(this);
        }
    }
}
