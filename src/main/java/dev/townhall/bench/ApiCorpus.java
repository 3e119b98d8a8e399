package dev.townhall.bench;

import dev.townhall.db.Database;
import dev.townhall.search.EmbedReport;
import dev.townhall.search.EmbeddingProvider;
import dev.townhall.search.EmbeddingWorker;
import dev.townhall.search.SearchType;
import dev.townhall.towns.Role;
import dev.townhall.towns.Town;
import dev.townhall.towns.Towns;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What {@code bench api} reads: {@code bench rls}'s CRM rows over the three towns (60/30/10 %: companies, contacts,
 * deals, activities), one member of the acting town, and sticky notes of that town embedded by the real pipeline,
 * so hybrid search has vectors and words to find.
 */
final class ApiCorpus {
    /** The town the benchmark's user acts in: fluenti, which holds 30 % of the rows. */
    static final String TOWN = "fluenti";
    static final String USER = "bench-api";
    private static final int MAX_NOTES = 400;
    /** Contacts the point reads cycle through. */
    private static final int POINT_IDS = 2_000;
    private static final long SEED = 42;

    /** What was loaded: contacts and notes, the acting user and town, and contacts of that town to read by id. */
    record Loaded(long contacts, int notes, UUID user, Town town, List<UUID> contactIds) {
    }

    private ApiCorpus() {
    }

    /** Loads about {@code contacts} contacts (and the rows around them), the user and the embedded notes. */
    static Loaded load(Database db, Towns towns, EmbeddingProvider provider, int contacts, Consumer<String> log)
            throws SQLException {
        log.accept(String.format("loading %,d contacts with their companies, deals and activities (60/30/10 %% over"
                + " aurora/fluenti/collaboration)", contacts));
        try (Connection owner = db.owner().connect()) {
            RlsBenchmark.load(owner, contacts * 10 / 4); // bench rls loads companies:contacts:deals:activities 1:4:1:4
        }
        UUID user = towns.addUser(USER + "@bench.invalid", USER, "Bench", "API");
        towns.addMember(USER, TOWN, Role.MEMBER);
        Town town = towns.town(TOWN);
        int notes = Math.max(1, Math.min(MAX_NOTES, contacts / 10));
        log.accept("writing " + notes + " sticky notes in " + TOWN + " and embedding them (" + provider.model() + ")");
        List<String> texts = CrmTexts.generate(new Random(SEED), notes);
        towns.as(user, town.id()).inTransaction(h -> {
            PreparedBatch insert = h.prepareBatch("INSERT INTO memory.sticky_notes (content) VALUES (:content)");
            texts.forEach(text -> insert.bind("content", text).add());
            return insert.execute();
        });
        EmbedReport embedded = EmbeddingWorker.create(towns, provider)
                .drain(List.of(town), List.of(SearchType.NOTES.entityType()));
        try (Connection owner = db.owner().connect()) {
            analyze(owner);
            return new Loaded(count(owner, "SELECT count(*) FROM crm.contacts"), (int) embedded.embedded(), user, town,
                    contactIds(owner, town.id()));
        }
    }

    private static void analyze(Connection owner) throws SQLException {
        try (PreparedStatement ps = owner.prepareStatement("ANALYZE memory.sticky_notes, memory.embeddings")) {
            ps.execute();
        }
    }

    /** Up to {@value #POINT_IDS} contacts of {@code town}, spread over its id range, in a fixed shuffled order. */
    private static List<UUID> contactIds(Connection owner, UUID town) throws SQLException {
        try (PreparedStatement ps = owner.prepareStatement("""
                SELECT id FROM crm.contacts WHERE town_id = ? ORDER BY md5(id::text) LIMIT ?""")) {
            ps.setObject(1, town);
            ps.setInt(2, POINT_IDS);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    private static long count(Connection owner, String sql) throws SQLException {
        try (PreparedStatement ps = owner.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
