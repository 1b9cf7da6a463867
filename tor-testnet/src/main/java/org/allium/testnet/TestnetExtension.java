package org.allium.testnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension injecting a {@link Testnet} into test constructors, test methods and
 * lifecycle methods ({@code @BeforeAll} too).
 *
 * <p>ONE network per JVM: it is started on first use, kept in the root context's store and
 * closed when the root context closes (the end of the test run), so every test class of the
 * module shares it. Tests must not close it. When tor is not installed, or the network cannot
 * start, every test that asks for it fails with the reason; a failed start is not retried.
 */
public final class TestnetExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(TestnetExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Testnet.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Shared.class, k -> Shared.start(), Shared.class)
                .testnet();
    }

    /** The JVM's network, or why it could not start. Closed by JUnit with the root store. */
    private static final class Shared implements AutoCloseable {
        private final Testnet testnet;
        private final String failure;

        private Shared(Testnet testnet, String failure) {
            this.testnet = testnet;
            this.failure = failure;
        }

        static Shared start() {
            try {
                Path dir = Files.createTempDirectory("allium-testnet-");
                return new Shared(Testnet.start(dir), null);
            } catch (TestnetException | IOException e) {
                return new Shared(null, "the private Tor network for the tests could not start: "
                        + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Shared(null, "interrupted while starting the private Tor network");
            }
        }

        Testnet testnet() {
            if (testnet == null) {
                throw new ParameterResolutionException(failure);
            }
            return testnet;
        }

        @Override
        public void close() {
            if (testnet != null) {
                testnet.close();
            }
        }
    }
}
