package org.allium.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The engine tests' {@link FakeOnionNetwork} and what runs on it, closed after each test: a
 * test class registers one per test ({@code @RegisterExtension final FakeNodes fake = new
 * FakeNodes();}) and creates its nodes through it. After the test, the other closeables are
 * closed first, then the nodes in the order they were added, then the network. Not
 * thread-safe: used from the test's own thread.
 */
final class FakeNodes implements AfterEachCallback {
    private final FakeOnionNetwork net = new FakeOnionNetwork();
    private final List<FakeNode> nodes = new ArrayList<>();
    private final List<AutoCloseable> others = new ArrayList<>();

    FakeOnionNetwork net() {
        return net;
    }

    /** The nodes added so far, in order. */
    List<FakeNode> nodes() {
        return List.copyOf(nodes);
    }

    /** A new node in {@code base}, closed after the test; not started. */
    FakeNode add(String name, Path base, Timings timings) throws Exception {
        return add(new FakeNode(name, base, net, timings));
    }

    /** A new node in {@code base} with the default timings, closed after the test, started. */
    FakeNode start(String name, Path base) throws Exception {
        return add(new FakeNode(name, base, net)).start();
    }

    /** {@code n}, closed after the test. */
    FakeNode add(FakeNode n) {
        nodes.add(n);
        return n;
    }

    /** {@code c}, closed after the test before the nodes (a raw peer's tor, say). */
    <T extends AutoCloseable> T closeAfter(T c) {
        others.add(c);
        return c;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (AutoCloseable c : others) {
            try {
                c.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        for (FakeNode n : nodes) {
            n.close();
        }
        net.close();
        if (first != null) {
            throw first;
        }
    }
}
