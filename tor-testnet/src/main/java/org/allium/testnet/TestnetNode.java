package org.allium.testnet;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One tor process of a running {@link Testnet}. Immutable.
 *
 * @param nickname      tor nickname, e.g. {@code auth0} or {@code relay1}
 * @param role          authority or plain relay
 * @param orPort        ORPort on 127.0.0.1
 * @param dirPort       DirPort on 127.0.0.1, or 0 for a relay without one
 * @param controlPort   ControlPort on 127.0.0.1 (cookie authentication)
 * @param dataDirectory tor's DataDirectory; holds {@code control_auth_cookie} and {@code notice.log}
 * @param pid           operating-system process id
 */
public record TestnetNode(String nickname, Role role, int orPort, int dirPort, int controlPort,
                          Path dataDirectory, long pid) {

    /** What a node does in the network. */
    public enum Role {
        /** Directory authority, also a non-exit relay. */
        AUTHORITY,
        /** Non-exit relay. */
        RELAY
    }

    public TestnetNode {
        Objects.requireNonNull(nickname, "nickname");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Ports.check(orPort, "orPort");
        Ports.check(controlPort, "controlPort");
        if (role == Role.AUTHORITY) {
            Ports.check(dirPort, "dirPort");
        } else if (dirPort != 0) {
            throw new IllegalArgumentException("a relay has no DirPort: " + dirPort);
        }
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + pid);
        }
    }

    /** The cookie file tor writes for control-port authentication. */
    public Path cookieFile() {
        return dataDirectory.resolve("control_auth_cookie");
    }
}
