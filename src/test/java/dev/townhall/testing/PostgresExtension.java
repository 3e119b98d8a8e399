package dev.townhall.testing;

import dev.townhall.db.Database;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class its own fresh, migrated TownHall database on the run's one {@link TestCluster#shared() cluster}.
 * The cluster is started by the first class that needs it and stopped when the test JVM exits, whether tests pass or
 * fail (not when the JUnit run ends: jqwik properties use it too).
 * Test methods and constructors receive it as a {@link Database} parameter.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        database(context);
    }

    private static Database database(ExtensionContext context) {
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElse(context) : context;
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent("database",
                key -> TestCluster.shared().newDatabase(classContext.getRequiredTestClass().getSimpleName()), Database.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Database.class
                || parameter.getParameter().getType() == TestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == TestCluster.class) {
            return TestCluster.shared();
        }
        return database(context);
    }
}
