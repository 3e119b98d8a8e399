package dev.townhall.testing;

import dev.townhall.db.Database;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class its own fresh, migrated TownHall database on the run's one {@link TestCluster}. The cluster
 * is started by the first class that needs it and stopped when the whole run ends, whether tests pass or fail.
 * Test methods and constructors receive it as a {@link Database} parameter.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        database(context);
    }

    /** The run's cluster, started on first use. */
    public static TestCluster cluster(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("cluster", key -> new ClosingCluster(TestCluster.start()), ClosingCluster.class)
                .cluster();
    }

    private static Database database(ExtensionContext context) {
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElse(context) : context;
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent("database",
                key -> cluster(context).newDatabase(classContext.getRequiredTestClass().getSimpleName()), Database.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Database.class
                || parameter.getParameter().getType() == TestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == TestCluster.class) {
            return cluster(context);
        }
        return database(context);
    }

    /** Lets JUnit stop the cluster when the root context closes (it closes AutoCloseable store values), at the very end of the run. */
    private record ClosingCluster(TestCluster cluster) implements AutoCloseable {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
