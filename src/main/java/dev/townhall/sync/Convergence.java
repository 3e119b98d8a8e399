package dev.townhall.sync;

import dev.townhall.db.Database;
import dev.townhall.db.Endpoint;
import dev.townhall.sync.internal.RowHashes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Whether this database and a peer hold the same rows: table by table, over what both are meant to hold (every row,
 * or for a town replica its towns plus what is shared with them, the rule the change reader sends by; see
 * {@link Scope}). Each side is read in one snapshot; rows are hashed per id-prefix bucket first and only buckets that
 * differ are compared row by row. The two snapshots are taken moments apart, so a verify while either side is being
 * written can report a change still in flight: verify after a sync run, when both sides are quiet.
 */
public final class Convergence {
    private final Database db;

    private Convergence(Database db) {
        this.db = db;
    }

    public static Convergence of(Database db) {
        return new Convergence(db);
    }

    public VerifyReport verify(Peer peer, Endpoint peerOwner) {
        PeerFilter held = Scope.of(peer, peerOwner, SyncAgent.of(db).checkPeer(peer, peerOwner)).held();
        try (RowHashes here = RowHashes.open(db.owner(), held.townIds(), held.includeShared());
             RowHashes there = RowHashes.open(peerOwner, held.townIds(), held.includeShared())) {
            List<VerifyReport.Table> tables = new ArrayList<>();
            for (String table : here.syncedTables()) {
                tables.add(compare(table, here, there));
            }
            return new VerifyReport(peer.name(), tables);
        }
    }

    private static VerifyReport.Table compare(String table, RowHashes here, RowHashes there) {
        List<String> ignored = here.ignoredColumns(table);
        Map<String, RowHashes.Bucket> bucketsHere = here.buckets(table, ignored);
        Map<String, RowHashes.Bucket> bucketsThere = there.buckets(table, ignored);
        Set<String> differing = new HashSet<>(bucketsHere.keySet());
        differing.addAll(bucketsThere.keySet());
        differing.removeIf(b -> Objects.equals(bucketsHere.get(b), bucketsThere.get(b)));

        Map<UUID, String> rowsHere = differing.isEmpty() ? Map.of() : here.rows(table, ignored, differing);
        Map<UUID, String> rowsThere = differing.isEmpty() ? Map.of() : there.rows(table, ignored, differing);
        List<UUID> missingThere = new ArrayList<>();
        List<UUID> different = new ArrayList<>();
        rowsHere.forEach((id, hash) -> {
            String other = rowsThere.get(id);
            if (other == null) {
                missingThere.add(id);
            } else if (!other.equals(hash)) {
                different.add(id);
            }
        });
        List<UUID> missingHere = rowsThere.keySet().stream().filter(id -> !rowsHere.containsKey(id)).toList();
        return new VerifyReport.Table(table, count(bucketsHere), count(bucketsThere), missingThere.size(),
                missingHere.size(), different.size(), sample(missingThere), sample(missingHere), sample(different));
    }

    private static long count(Map<String, RowHashes.Bucket> buckets) {
        return buckets.values().stream().mapToLong(RowHashes.Bucket::rows).sum();
    }

    private static List<UUID> sample(List<UUID> ids) {
        return ids.stream().sorted().limit(VerifyReport.SAMPLE_IDS).toList();
    }
}
