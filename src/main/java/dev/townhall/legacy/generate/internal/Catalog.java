package dev.townhall.legacy.generate.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one generation run makes, for one seed: the world behind the data, and per legacy database its DDL
 * (from {@code src/main/resources/legacy/}) and its tables in load order.
 */
public final class Catalog {
    /** One legacy database: its name in the docs, its DDL script, its tables, its serial columns. */
    public record Source(String name, String ddl, List<TableSpec> tables, List<String> serialTables) {
        public Source {
            tables = List.copyOf(tables);
            serialTables = List.copyOf(serialTables);
        }

        public List<String> tableNames() {
            List<String> names = new ArrayList<>();
            for (TableSpec t : tables) {
                names.add(t.name());
            }
            return names;
        }

        public long rows() {
            long rows = 0;
            for (TableSpec t : tables) {
                rows += t.rows();
            }
            return rows;
        }
    }

    private final long seed;
    private final Source robbie;
    private final Source robbieAllan;

    private Catalog(long seed) {
        this.seed = seed;
        World world = new World(seed);
        Prose prose = new Prose(Dice.forTable(seed, "prose"));
        List<TableSpec> robbieTables = new ArrayList<>();
        robbieTables.addAll(new CompanyTables(world, prose).specs());
        robbieTables.addAll(new ContactTables(world, prose).specs());
        robbieTables.addAll(new DealTables(world).specs());
        robbieTables.addAll(new ActivityTables(world, prose).specs());
        robbieTables.addAll(new AssistantTables(world, prose).specs());
        // the DDL is read now, at the start of a run, so a broken build fails before anything is written
        this.robbie = new Source("robbie", resource("legacy/robbie.sql"), robbieTables,
                List.of("manual_companies", "manual_contacts", "manual_deals", "tasks", "chat_history"));
        this.robbieAllan = new Source("robbie_allan", resource("legacy/robbie_allan.sql"),
                new RobbieAllanTables(world, prose, seed).specs(), List.of());
    }

    private static String resource(String name) {
        try (InputStream in = Catalog.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /** Builds the world for {@code seed}; table rows are made later, while they are copied. */
    public static Catalog of(long seed) {
        return new Catalog(seed);
    }

    public long seed() {
        return seed;
    }

    public Source robbie() {
        return robbie;
    }

    public Source robbieAllan() {
        return robbieAllan;
    }

    /** The dice a table's rows are drawn from. */
    public Dice diceFor(Source source, TableSpec table) {
        return Dice.forTable(seed, source.name() + "." + table.name());
    }
}
