package dev.townhall.cli;

import dev.townhall.api.ApiKeyInfo;
import dev.townhall.api.ApiKeys;
import dev.townhall.api.CreatedKey;
import dev.townhall.api.ServerSettings;
import dev.townhall.db.Database;
import dev.townhall.db.DatabaseService;
import dev.townhall.schema.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import dev.townhall.legacy.imports.ImportReport;
import dev.townhall.legacy.imports.Importer;
import dev.townhall.towns.SampleTowns;
import dev.townhall.towns.Town;
import dev.townhall.towns.Towns;
import dev.townhall.search.EmbeddingProvider;
import dev.townhall.search.EmbeddingProviders;
import dev.townhall.search.EmbeddingWorker;
import dev.townhall.search.SampleSearches;
import dev.townhall.search.Search;
import dev.townhall.search.SearchType;
import java.util.Locale;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "demo", description = "Show the product: start the database, migrate, verify, and print a summary.")
final class DemoCommand implements Callable<Integer> {
    static final String DEMO_KEY_NAME = "demo";

    @Mixin
    DatabaseOptions options;

    @Spec
    CommandSpec spec;

    /** One row per demo person: how many rows of each town they can read, all tenant tables together. */
    static void printWhoSeesWhat(PrintWriter out, Towns towns) {
        List<Town> all = towns.towns();
        List<String> header = new ArrayList<>(List.of("person", "role"));
        all.forEach(t -> header.add(t.slug() + (t.capital() ? " (capital)" : "")));
        TextTable table = TextTable.of(header);
        for (SampleTowns.Person person : SampleTowns.PEOPLE) {
            Map<String, Map<String, Long>> counts = towns.visibleCounts(Optional.of(towns.as(person.actor())));
            List<String> row = new ArrayList<>(List.of(person.actor(), person.role().sqlName()));
            for (Town town : all) {
                row.add(String.format("%,d", counts.values().stream().mapToLong(m -> m.getOrDefault(town.slug(), 0L)).sum()));
            }
            table.row(row);
        }
        Map<String, Map<String, Long>> everything = towns.visibleCounts(Optional.empty());
        List<String> ownerRow = new ArrayList<>(List.of("(owner role, RLS bypassed)", "-"));
        for (Town town : all) {
            ownerRow.add(String.format("%,d", everything.values().stream().mapToLong(m -> m.getOrDefault(town.slug(), 0L)).sum()));
        }
        table.row(ownerRow);
        table.print(out);
    }

    /** Embeds the demo's share of the rows with the local model, then runs the example searches as their people. */
    private static void printSemanticMemory(PrintWriter out, Database db) {
        try (EmbeddingProvider provider = EmbeddingProviders.fromConfig(); Towns towns = Towns.open(db)) {
            out.println("== semantic memory: embedding with " + provider.provider() + "/" + provider.model()
                    + " (the small towns whole; in aurora its knowledge, notes and deals)");
            EmbeddingWorker worker = EmbeddingWorker.create(towns, provider).onProgress(new EmbedCommand.ProgressLine(out));
            SampleSearches.DemoEmbedding demo = SampleSearches.embedDemo(towns, worker);
            EmbedCommand.print(out, demo.embedded());
            long left = demo.leftQueued().values().stream().mapToLong(Long::longValue).sum();
            if (left > 0) {
                out.printf(Locale.ROOT, "  left for ./townhall embed (too many for a short demo): %,d rows %s%n", left,
                        demo.leftQueued());
            }
            Search search = Search.with(provider);
            for (SampleSearches.Example example : SampleSearches.EXAMPLES) {
                out.printf("== search as %s: \"%s\" (%s, %s)%n", example.actor(), example.query(),
                        example.mode().label(), example.types().size() == SearchType.values().length ? "every type"
                                : example.types().stream().map(SearchType::label).toList());
                SearchCommand.print(out, search.search(towns.as(example.actor()), example.request()), example.actor());
            }
        }
    }

    /**
     * A fresh key for each demo person, after revoking the keys an earlier demo made for them, so a rerun leaves one
     * working demo key per person. Prints person, town, role and key.
     */
    static void printDemoKeys(PrintWriter out, ApiKeys keys) {
        for (ApiKeyInfo old : keys.list(Optional.empty())) {
            if (old.name().equals(DEMO_KEY_NAME) && old.revokedAt().isEmpty()) {
                keys.revoke(old.id().toString());
            }
        }
        TextTable table = TextTable.of("person", "town", "role", "key");
        for (SampleTowns.Person person : SampleTowns.PEOPLE) {
            CreatedKey key = keys.create(person.handle(), person.town(), Optional.empty(), Optional.empty(),
                    DEMO_KEY_NAME);
            table.row(person.handle(), person.town(), key.info().role().sqlName(), key.secret());
        }
        table.print(out);
    }

    @Option(names = {"-v", "--verbose"}, description = "List each applied changeset, not only the summary line.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DatabaseService service = options.service();
        DatabaseService.MigrateReport migrated = service.migrate(null);
        Database db = service.database();
        DatabaseService.ServerReport server = service.server();
        out.println("== database");
        out.println("  " + db.describe());
        out.println("  " + server.description());
        out.println("== extensions");
        server.extensions().forEach((name, version) -> out.printf("  %-20s %s%n", name, version));
        out.println("== migrations");
        MigrateCommand.printSummary(out, "  ", migrated, verbose);
        out.println("== verify");
        int verified = VerifyCommand.print(out, Verifier.as(db.owner()).run());
        out.println("== people and towns");
        try (Towns towns = Towns.open(db)) {
            SampleTowns.ensure(towns);
            SampleTowns.PEOPLE.forEach(p -> out.println("  " + p.actor() + " (" + p.role().sqlName() + ")"));
        }
        out.println("== legacy import (demo databases generated once; a second run adds nothing)");
        ImportReport imported = Importer.demo(db, line -> out.println("  " + line));
        ImportCommand.print(out, imported);
        if (imported.quarantined() > 0) {
            out.println("  review what was set aside: ./townhall quarantine list (show ID, export FILE.csv), then"
                    + " ./townhall quarantine accept ID --set COLUMN=VALUE to import one with a correction");
        }
        out.println("  what imported rows went without: ./townhall quarantine values [--column C] [--row ID];"
                + " references waiting for their parent: ./townhall quarantine links");
        out.println("== towns: who sees what (rows per owning town, read through RLS as each person)");
        try (Towns towns = Towns.open(db)) {
            printWhoSeesWhat(out, towns);
        }
        printSemanticMemory(out, db);
        out.println("== API keys (one per person, named \"" + DEMO_KEY_NAME + "\"; each run revokes the last run's)");
        try (Towns towns = Towns.open(db)) {
            printDemoKeys(out, ApiKeys.on(towns));
        }
        out.println("  Run ./townhall serve, then open http://127.0.0.1:" + ServerSettings.DEFAULT_PORT
                + "/ and log in with a key above.");
        out.println("== connect");
        out.println("  JDBC URL: " + db.owner().jdbcUrl() + "   psql: ./townhall psql");
        db.cluster().ifPresent(c -> out.println("  data dir: " + c.dataDir()));
        return verified != 0 ? verified : imported.reconciled() ? 0 : dev.townhall.ErrorCode.VERIFY_FAILED.exitStatus();
    }
}
