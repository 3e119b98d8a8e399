package dev.townhall.search;

import dev.townhall.db.Database;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Searchable rows and what the embedding tables hold, written and read as the owner role (no RLS). */
final class SearchRows {
    private final Jdbi owner;

    SearchRows(Database db) {
        this.owner = Jdbi.create(() -> db.owner().connect());
    }

    Jdbi owner() {
        return owner;
    }

    UUID company(UUID org, UUID town, String name, String description) {
        return owner.withHandle(h -> h.createQuery("""
                        INSERT INTO crm.companies (org_id, town_id, name, description) VALUES (:org, :town, :name, :d)
                        RETURNING id""")
                .bind("org", org).bind("town", town).bind("name", name).bind("d", description)
                .mapTo(UUID.class).one());
    }

    UUID note(UUID org, UUID town, String content) {
        return owner.withHandle(h -> h.createQuery("""
                        INSERT INTO memory.sticky_notes (org_id, town_id, content) VALUES (:org, :town, :content)
                        RETURNING id""")
                .bind("org", org).bind("town", town).bind("content", content).mapTo(UUID.class).one());
    }

    UUID transcript(UUID org, UUID town, String content) {
        return owner.withHandle(h -> {
            UUID meeting = h.createQuery("""
                            INSERT INTO work.meetings (org_id, town_id, title, started_at)
                            VALUES (:org, :town, 'Quarterly review', now()) RETURNING id""")
                    .bind("org", org).bind("town", town).mapTo(UUID.class).one();
            return h.createQuery("""
                            INSERT INTO work.meeting_transcripts (org_id, town_id, meeting_id, content)
                            VALUES (:org, :town, :meeting, :content) RETURNING id""")
                    .bind("org", org).bind("town", town).bind("meeting", meeting).bind("content", content)
                    .mapTo(UUID.class).one();
        });
    }

    void execute(String sql, Object... args) {
        owner.useHandle(h -> h.execute(sql, args));
    }

    long count(String sql, Object... args) {
        return one(Long.class, sql, args);
    }

    String text(String sql, Object... args) {
        return one(String.class, sql, args);
    }

    private <T> T one(Class<T> type, String sql, Object... args) {
        return owner.withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                q.bind(i, args[i]);
            }
            return q.mapTo(type).one();
        });
    }

    /** The embedded text of an entity, as memory.search_documents defines it. */
    String body(UUID entity) {
        return text("SELECT body FROM memory.search_documents WHERE entity_id = ?", entity);
    }

    /** One vector row: where it lives and what it says about its chunk. */
    record Vector(UUID id, UUID town, String partition, String model, int chunkNo, int chunkStart, int chunkEnd,
                  String contentHash, String visibility, String embedding) {
    }

    List<Vector> vectors(UUID entity) {
        return owner.withHandle(h -> h.createQuery("""
                        SELECT id, town_id, tableoid::regclass::text AS part, model, chunk_no, chunk_start, chunk_end,
                               content_hash, visibility::text AS visibility, embedding::text AS embedding
                        FROM memory.embeddings WHERE entity_id = :id ORDER BY model, chunk_no""")
                .bind("id", entity)
                .map((rs, ctx) -> new Vector(rs.getObject("id", UUID.class), rs.getObject("town_id", UUID.class),
                        rs.getString("part"), rs.getString("model"), rs.getInt("chunk_no"), rs.getInt("chunk_start"),
                        rs.getInt("chunk_end"), rs.getString("content_hash"), rs.getString("visibility"),
                        rs.getString("embedding")))
                .list());
    }

    /** Queue rows of a town: entity id → attempts. */
    Map<UUID, Integer> queue(UUID town) {
        return owner.withHandle(h -> h.createQuery("SELECT entity_id, attempts FROM memory.embedding_queue WHERE town_id = :t")
                .bind("t", town)
                .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getInt(2)))
                .list().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
