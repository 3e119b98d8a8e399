package dev.townhall.legacy.imports;

import dev.townhall.legacy.generate.LegacyTarget;
import dev.townhall.legacy.generate.LegacyGenerator;
import dev.townhall.legacy.LegacySql;
import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.testing.TestCluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Legacy databases for importer tests: generated ones, and empty ones built from the shipped DDL for hand-made rows. */
final class ImportFixtures {
    private ImportFixtures() {
    }

    /** Two generated legacy databases named after {@code prefix} (made once per name; the generator is deterministic). */
    static Map<String, Endpoint> generated(TestCluster cluster, Database db, String prefix, long seed) {
        Endpoint admin = cluster.cluster().superuserEndpoint();
        String robbie = prefix + "_robbie";
        String allan = prefix + "_robbie_allan";
        if (!LegacySql.databaseExists(admin, robbie) || !LegacySql.databaseExists(admin, allan)) {
            LegacyGenerator.into(LegacyTarget.freshDatabase(admin, robbie), LegacyTarget.freshDatabase(admin, allan))
                    .withSeed(seed).generate();
        }
        return Map.of("robbie", db.owner().withDatabase(robbie), "robbie_allan", db.owner().withDatabase(allan));
    }

    /** Two empty legacy databases with the real legacy DDL, readable by the owner role; returns their admin endpoints. */
    static Map<String, Endpoint> empty(TestCluster cluster, String prefix) {
        Endpoint admin = cluster.cluster().superuserEndpoint();
        String robbie = prefix + "_robbie";
        String allan = prefix + "_robbie_allan";
        for (String name : List.of(robbie, allan)) {
            LegacySql.dropDatabase(admin, name);
            LegacySql.execute(admin, "CREATE DATABASE " + name);
        }
        LegacySql.execute(admin.withDatabase(robbie), ddl("legacy/robbie.sql")
                + "; GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + Database.OWNER_ROLE);
        LegacySql.execute(admin.withDatabase(allan), ddl("legacy/robbie_allan.sql")
                + "; GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + Database.OWNER_ROLE);
        return Map.of("robbie", admin.withDatabase(robbie), "robbie_allan", admin.withDatabase(allan));
    }

    /** The same databases as the owner role sees them (what the importer reads with). */
    static Map<String, Endpoint> asOwner(Database db, Map<String, Endpoint> sources) {
        return Map.of("robbie", db.owner().withDatabase(sources.get("robbie").database()),
                "robbie_allan", db.owner().withDatabase(sources.get("robbie_allan").database()));
    }

    static Importer importer(Database db, Map<String, Endpoint> sources) {
        return Importer.into(db).source("robbie", sources.get("robbie")).source("robbie_allan", sources.get("robbie_allan"));
    }

    private static String ddl(String resource) {
        try (var in = ImportFixtures.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
