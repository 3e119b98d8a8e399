package dev.townhall.search.internal;

import dev.townhall.search.Chunker;
import dev.townhall.search.EmbeddingProvider;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One batch of the embedding queue of one town, done inside the caller's transaction (which runs as the town's
 * service identity, so row-level security applies to every statement): claim queue rows with
 * {@code FOR UPDATE SKIP LOCKED}, read their texts from {@code memory.search_documents}, leave vectors whose
 * content hash is current (re-stamping their visibility when the sharing changed), embed the rest, replace their
 * rows for this model, drop vectors of entities that are gone, and delete the claimed queue rows. Committing the
 * transaction makes all of it visible at once; a kill before that leaves the queue as it was.
 */
public final class EmbeddingBatch {

    /** A claimed queue row. */
    public record Claim(UUID id, String entityType, UUID entityId, OffsetDateTime enqueuedAt, int attempts) {
    }

    /** What a batch did to the entities of one type. {@code chunks}: vectors written. */
    public record Counts(long embedded, long unchanged, long removed, long chunks) {
        public static final Counts NONE = new Counts(0, 0, 0, 0);

        public Counts plus(Counts o) {
            return new Counts(embedded + o.embedded, unchanged + o.unchanged, removed + o.removed, chunks + o.chunks);
        }

        public long entities() {
            return embedded + unchanged + removed;
        }
    }

    /** What one batch claimed and did, by entity type. Empty when the queue had nothing eligible. */
    public record Outcome(List<Claim> claimed, Map<String, Counts> byType) {
        public boolean isEmpty() {
            return claimed.isEmpty();
        }
    }

    /**
     * The provider (or the chunker) failed on this batch: the transaction must roll back, and the claims are
     * recorded as a failed attempt afterwards ({@link #recordFailure}).
     */
    public static final class ProviderFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<Claim> claims;

        ProviderFailure(List<Claim> claims, RuntimeException cause) {
            super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
            this.claims = List.copyOf(claims);
        }

        public List<Claim> claims() {
            return claims;
        }
    }

    /** The text of a searchable row as the service identity reads it. */
    private record Document(String entityType, UUID entityId, String visibility, UUID[] sharedWith, String body) {
    }

    /** The vectors an entity has: per model, its content hashes, and whether any row's sharing differs. */
    private record Stored(String model, String contentHash, String visibility, UUID[] sharedWith) {
    }

    /** An entity to embed: its chunks and where its vectors start in the batch's flat list of texts. */
    private record Pending(Claim claim, Document doc, String contentHash, List<Chunker.Chunk> chunks, int first) {
    }

    private static final int MAX_ERROR_CHARS = 2_000;

    private final EmbeddingProvider provider;
    private final UUID town;
    private final String[] types;
    private final int maxAttempts;

    public EmbeddingBatch(EmbeddingProvider provider, UUID town, Collection<String> types, int maxAttempts) {
        this.provider = provider;
        this.town = town;
        this.types = types.toArray(new String[0]);
        this.maxAttempts = maxAttempts;
    }

    /**
     * Claims and processes up to {@code size} fresh queue rows, oldest first; when there are none, one row that
     * failed before (alone, so one text the provider refuses cannot fail its batch-mates again), skipping the ids
     * in {@code notDue}. Throws {@link ProviderFailure} when the provider fails.
     */
    public Outcome run(Handle h, int size, Collection<UUID> notDue) {
        List<Claim> claims = claim(h, size, notDue);
        if (claims.isEmpty()) {
            return new Outcome(List.of(), Map.of());
        }
        Map<UUID, Document> docs = documents(h, claims);
        Map<UUID, List<Stored>> stored = stored(h, claims);
        Map<String, Counts> byType = new TreeMap<>();
        List<Claim> gone = new ArrayList<>();
        List<Claim> blank = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try {
            for (Claim claim : claims) {
                Document doc = docs.get(claim.entityId());
                List<Stored> vectors = stored.getOrDefault(claim.entityId(), List.of());
                if (doc == null) {
                    gone.add(claim);
                    add(byType, claim.entityType(), new Counts(0, 0, 1, 0));
                } else if (doc.body() == null || doc.body().isBlank()) {
                    blank.add(claim);
                    add(byType, claim.entityType(), new Counts(0, 0, 1, 0));
                } else {
                    String hash = ContentHash.of(provider.model(), doc.body());
                    List<Stored> ofModel = vectors.stream().filter(v -> v.model().equals(provider.model())).toList();
                    if (!ofModel.isEmpty() && ofModel.stream().allMatch(v -> v.contentHash().equals(hash))) {
                        add(byType, claim.entityType(), new Counts(0, 1, 0, 0));
                    } else {
                        List<Chunker.Chunk> chunks = provider.chunker().split(doc.body());
                        pending.add(new Pending(claim, doc, hash, chunks, texts.size()));
                        chunks.forEach(c -> texts.add(c.text()));
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new ProviderFailure(claims, e);
        }
        List<float[]> vectors = embed(claims, texts);

        deleteVectors(h, gone, false);
        deleteVectors(h, blank, true);
        deleteVectors(h, pending.stream().map(Pending::claim).toList(), true);
        insertVectors(h, pending, vectors);
        for (Pending p : pending) {
            add(byType, p.claim().entityType(), new Counts(1, 0, 0, p.chunks().size()));
        }
        restampSharing(h, docs, stored);
        h.createUpdate("DELETE FROM memory.embedding_queue WHERE id = ANY(:ids)")
                .bind("ids", claims.stream().map(Claim::id).toArray(UUID[]::new)).execute();
        return new Outcome(claims, byType);
    }

    private List<Claim> claim(Handle h, int size, Collection<UUID> notDue) {
        List<Claim> fresh = h.createQuery("""
                        SELECT id, entity_type, entity_id, enqueued_at, attempts FROM memory.embedding_queue
                        WHERE town_id = :town AND entity_type = ANY(CAST(:types AS text[])) AND attempts = 0
                        ORDER BY enqueued_at
                        LIMIT :size
                        FOR UPDATE SKIP LOCKED""")
                .bind("town", town).bind("types", types).bind("size", size)
                .map((rs, ctx) -> claimOf(rs)).list();
        if (!fresh.isEmpty()) {
            return fresh;
        }
        return h.createQuery("""
                        SELECT id, entity_type, entity_id, enqueued_at, attempts FROM memory.embedding_queue
                        WHERE town_id = :town AND entity_type = ANY(CAST(:types AS text[]))
                          AND attempts BETWEEN 1 AND :lastAttempt AND id <> ALL(CAST(:notDue AS uuid[]))
                        ORDER BY enqueued_at
                        LIMIT 1
                        FOR UPDATE SKIP LOCKED""")
                .bind("town", town).bind("types", types).bind("lastAttempt", maxAttempts - 1)
                .bind("notDue", notDue.toArray(new UUID[0]))
                .map((rs, ctx) -> claimOf(rs)).list();
    }

    private static Claim claimOf(ResultSet rs) throws SQLException {
        return new Claim(rs.getObject("id", UUID.class), rs.getString("entity_type"), rs.getObject("entity_id", UUID.class),
                rs.getObject("enqueued_at", OffsetDateTime.class), rs.getInt("attempts"));
    }

    /** The claimed entities' texts, as this town's service identity sees them; an absent entity was deleted. */
    private Map<UUID, Document> documents(Handle h, List<Claim> claims) {
        Map<UUID, String> wanted = new HashMap<>();
        claims.forEach(c -> wanted.put(c.entityId(), c.entityType()));
        Map<UUID, Document> docs = new HashMap<>();
        h.createQuery("""
                        SELECT entity_type, entity_id, visibility::text AS visibility, shared_with, body
                        FROM memory.search_documents
                        WHERE town_id = :town AND entity_type = ANY(CAST(:types AS text[])) AND entity_id = ANY(:ids)""")
                .bind("town", town).bind("types", types).bind("ids", wanted.keySet().toArray(new UUID[0]))
                .map((rs, ctx) -> new Document(rs.getString("entity_type"), rs.getObject("entity_id", UUID.class),
                        rs.getString("visibility"), uuids(rs.getArray("shared_with")), rs.getString("body")))
                .forEach(d -> {
                    if (d.entityType().equals(wanted.get(d.entityId()))) {
                        docs.put(d.entityId(), d);
                    }
                });
        return docs;
    }

    /** Every vector row's model, hash and sharing for the claimed entities (all models: sharing applies to all). */
    private Map<UUID, List<Stored>> stored(Handle h, List<Claim> claims) {
        Map<UUID, List<Stored>> stored = new HashMap<>();
        h.createQuery("""
                        SELECT DISTINCT entity_type, entity_id, model, content_hash, visibility::text AS visibility, shared_with
                        FROM memory.embeddings
                        WHERE town_id = :town AND entity_type = ANY(CAST(:types AS text[])) AND entity_id = ANY(:ids)""")
                .bind("town", town).bind("types", types)
                .bind("ids", claims.stream().map(Claim::entityId).toArray(UUID[]::new))
                .map((rs, ctx) -> Map.entry(rs.getObject("entity_id", UUID.class), new Stored(rs.getString("model"),
                        rs.getString("content_hash"), rs.getString("visibility"), uuids(rs.getArray("shared_with")))))
                .forEach(e -> stored.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return stored;
    }

    /** The provider's vectors for {@code texts}, checked again: a wrong vector is never stored. */
    private List<float[]> embed(List<Claim> claims, List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        try {
            List<float[]> vectors = provider.embed(texts);
            if (vectors.size() != texts.size()) {
                throw new IllegalStateException(provider.provider() + "/" + provider.model() + " returned "
                        + vectors.size() + " vectors for " + texts.size() + " texts; nothing was stored");
            }
            for (int i = 0; i < vectors.size(); i++) {
                Vectors.checked(vectors.get(i), provider.dimensions(), provider.provider() + "/" + provider.model(), i);
            }
            return vectors;
        } catch (RuntimeException e) {
            throw new ProviderFailure(claims, e);
        }
    }

    /** Deletes the vectors of {@code claims}: of this model only, or of every model (the entity is gone). */
    private void deleteVectors(Handle h, List<Claim> claims, boolean thisModelOnly) {
        if (claims.isEmpty()) {
            return;
        }
        h.createUpdate("""
                        DELETE FROM memory.embeddings e
                        USING unnest(CAST(:types AS text[]), CAST(:ids AS uuid[])) AS gone (entity_type, entity_id)
                        WHERE e.town_id = :town AND e.entity_type = gone.entity_type AND e.entity_id = gone.entity_id
                          AND (NOT :thisModelOnly OR e.model = :model)""")
                .bind("town", town)
                .bind("types", claims.stream().map(Claim::entityType).toArray(String[]::new))
                .bind("ids", claims.stream().map(Claim::entityId).toArray(UUID[]::new))
                .bind("thisModelOnly", thisModelOnly).bind("model", provider.model())
                .execute();
    }

    private void insertVectors(Handle h, List<Pending> pending, List<float[]> vectors) {
        if (pending.isEmpty()) {
            return;
        }
        PreparedBatch insert = h.prepareBatch("""
                INSERT INTO memory.embeddings (town_id, visibility, shared_with, entity_type, entity_id, chunk_no,
                                               chunk_start, chunk_end, provider, model, dimensions, content_hash, embedding)
                VALUES (:town, CAST(:visibility AS core.visibility), CAST(:sharedWith AS uuid[]), :type, :id, :chunkNo,
                        :chunkStart, :chunkEnd, :provider, :model, :dimensions, :hash, CAST(:embedding AS vector))""");
        for (Pending p : pending) {
            for (int i = 0; i < p.chunks().size(); i++) {
                Chunker.Chunk chunk = p.chunks().get(i);
                insert.bind("town", town).bind("visibility", p.doc().visibility()).bind("sharedWith", p.doc().sharedWith())
                        .bind("type", p.claim().entityType()).bind("id", p.claim().entityId())
                        .bind("chunkNo", i).bind("chunkStart", chunk.start()).bind("chunkEnd", chunk.end())
                        .bind("provider", provider.provider()).bind("model", provider.model())
                        .bind("dimensions", provider.dimensions()).bind("hash", p.contentHash())
                        .bind("embedding", Vectors.literal(vectors.get(p.first() + i)))
                        .add();
            }
        }
        insert.execute();
    }

    /**
     * Vectors (of any model) whose visibility or allow-list no longer matches their entity's take the entity's:
     * sharing changes reach the queue like edits, and a private row must not stay findable through its vectors.
     */
    private void restampSharing(Handle h, Map<UUID, Document> docs, Map<UUID, List<Stored>> stored) {
        for (Document doc : docs.values()) {
            boolean differs = stored.getOrDefault(doc.entityId(), List.of()).stream()
                    .anyMatch(v -> !v.visibility().equals(doc.visibility()) || !Arrays.equals(v.sharedWith(), doc.sharedWith()));
            if (differs) {
                h.createUpdate("""
                                UPDATE memory.embeddings
                                SET visibility = CAST(:visibility AS core.visibility), shared_with = CAST(:sharedWith AS uuid[])
                                WHERE town_id = :town AND entity_type = :type AND entity_id = :id
                                  AND (visibility <> CAST(:visibility AS core.visibility)
                                       OR shared_with <> CAST(:sharedWith AS uuid[]))""")
                        .bind("visibility", doc.visibility()).bind("sharedWith", doc.sharedWith())
                        .bind("town", town).bind("type", doc.entityType()).bind("id", doc.entityId())
                        .execute();
            }
        }
    }

    /**
     * Records a failed attempt on {@code claims} (in its own transaction, after the batch rolled back) and returns
     * how many of them, by entity type, have now used their last attempt (parked). A row re-enqueued meanwhile by
     * an edit is left alone: its text is new.
     */
    public Map<String, Long> recordFailure(Handle h, List<Claim> claims, String error) {
        String message = error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) + "…" : error;
        Map<String, Long> parked = new TreeMap<>();
        h.createQuery("""
                        UPDATE memory.embedding_queue q SET attempts = q.attempts + 1, last_error = :error
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:enqueuedAt AS timestamptz[])) AS c (id, enqueued_at)
                        WHERE q.id = c.id AND q.enqueued_at = c.enqueued_at
                        RETURNING q.entity_type, q.attempts""")
                .bind("error", message)
                .bind("ids", claims.stream().map(Claim::id).toArray(UUID[]::new))
                .bind("enqueuedAt", claims.stream().map(Claim::enqueuedAt).toArray(OffsetDateTime[]::new))
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2)))
                .forEach(e -> {
                    if (e.getValue() >= maxAttempts) {
                        parked.merge(e.getKey(), 1L, Long::sum);
                    }
                });
        return parked;
    }

    private static void add(Map<String, Counts> byType, String type, Counts counts) {
        byType.merge(type, counts, Counts::plus);
    }

    private static UUID[] uuids(Array array) throws SQLException {
        if (array == null) {
            return new UUID[0];
        }
        Object[] values = (Object[]) array.getArray();
        return Arrays.stream(values).map(v -> (UUID) v).toArray(UUID[]::new);
    }
}
