package dev.townhall.legacy.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.legacy.imports.internal.Mapping;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A reviewer's answer to one quarantined row: corrections to its source columns are kept as the entry's fixed row
 * (status fixed) and audited in {@code core.audit_log}, then that one entry is imported through the importer's
 * retry path, which either imports or merges it (status reimported) or quarantines it again with the refreshed
 * reason (the fixed row kept, so a later acceptance builds on it).
 * <pre>{@code
 * QuarantineAcceptance.through(Importer.into(db).sources(endpoints))
 *         .accept(id, new Corrections(Map.of("contact_id", "10"), Set.of()), "alice");
 * }</pre>
 */
public final class QuarantineAcceptance {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Source columns set to a value (as text, as the source would print it) and source columns cleared (null). */
    public record Corrections(Map<String, String> set, Set<String> clear) {
        public Corrections {
            set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
            clear = Collections.unmodifiableSet(new LinkedHashSet<>(clear));
            for (String column : clear) {
                if (set.containsKey(column)) {
                    throw TownHallException.forField(ErrorCode.INVALID_INPUT, "clear",
                            "column " + column + " is both set and cleared; give one of them");
                }
            }
        }

        List<String> columns() {
            List<String> columns = new ArrayList<>(set.keySet());
            columns.addAll(clear);
            return columns;
        }
    }

    /** Where an accepted row went: {@code outcome} imported (a new row) or merged (into an existing one). */
    public record Target(String outcome, String table, UUID id) {
    }

    /** The entry after the retry, the import run that retried it, and its target when it was imported or merged. */
    public record Outcome(QuarantineReview.Row entry, UUID runId, Optional<Target> target) {
        /** True when the row was imported or merged; false when the importer refused it again. */
        public boolean imported() {
            return target.isPresent();
        }
    }

    private final Importer importer;
    private final Database db;
    private final QuarantineReview review;

    private QuarantineAcceptance(Importer importer) {
        this.importer = importer;
        this.db = importer.database();
        this.review = QuarantineReview.of(db);
    }

    /** Accepts entries with {@code importer}'s database, plan and sources (the retry reads every source's catalog). */
    public static QuarantineAcceptance through(Importer importer) {
        return new QuarantineAcceptance(importer);
    }

    /**
     * Applies {@code corrections} to the entry's row (its fixed row where a reviewer set one, else the original),
     * keeps the result as its fixed row with an audit row naming {@code osUser}, and imports it. An unknown entry,
     * one already reimported or discarded, a column the source row does not have, or a correction of the source key
     * is one {@link TownHallException} and changes nothing. If the import cannot run (a source unreachable) the
     * corrected row stays fixed for a later retry.
     */
    public Outcome accept(UUID id, Corrections corrections, String osUser) {
        QuarantineReview.Row entry = review.show(id);
        if (!entry.status().equals("open") && !entry.status().equals("fixed")) {
            throw TownHallException.forField(ErrorCode.CONFLICT, "id", "quarantine entry " + id + " ("
                    + entry.source() + " id " + entry.sourceId() + ") is already " + entry.status()
                    + "; there is nothing left to accept");
        }
        Mapping.TableMap table = importer.plan().mapping().table(entry.source()).orElseThrow(() ->
                new TownHallException(ErrorCode.CONFIG, "the mapping " + importer.plan().origin() + " does not import "
                        + entry.source() + "; accept it with the mapping that quarantined it (--mapping FILE)"));
        ObjectNode original = (ObjectNode) parse(entry.originalRow());
        checkColumns(entry, table, original, corrections);
        String base = entry.fixedRow() == null ? entry.originalRow() : entry.fixedRow();
        ObjectNode fixed = (ObjectNode) parse(base);
        ObjectNode before = JSON.createObjectNode();
        for (String column : corrections.columns()) {
            before.set(column, fixed.get(column));
        }
        corrections.set().forEach((column, value) -> fixed.set(column, typedLike(original.get(column), value)));
        corrections.clear().forEach(fixed::putNull);
        ObjectNode after = JSON.createObjectNode();
        after.set("set", JSON.valueToTree(corrections.set()));
        after.set("clear", JSON.valueToTree(corrections.clear()));
        after.put("os_user", osUser);
        keepFixed(entry, entry.fixedRow(), fixed, before, after);

        ImportReport report;
        try {
            report = importer.only(List.of(entry.source())).retryQuarantineEntries(Set.of(id)).run();
        } catch (TownHallException e) {
            if (!e.code().userError()) {
                throw e;
            }
            throw new TownHallException(e.code(), "the correction is kept as the fixed row of quarantine entry " + id
                    + ", but it was not imported: " + e.getMessage() + " (accept it again when that is solved,"
                    + " or ./townhall import --retry-quarantine)", e);
        }
        QuarantineReview.Row retried = review.show(id);
        return new Outcome(retried, report.runId(),
                retried.status().equals("reimported") ? Optional.of(target(retried)) : Optional.empty());
    }

    private static void checkColumns(QuarantineReview.Row entry, Mapping.TableMap table, ObjectNode original,
                                     Corrections corrections) {
        Set<String> known = new TreeSet<>();
        original.fieldNames().forEachRemaining(known::add);
        for (String column : corrections.columns()) {
            if (!known.contains(column)) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "column", entry.source()
                        + " has no column '" + column + "'; its columns are " + String.join(", ", known));
            }
            // the entry's source id comes from the key; a corrected key would import the row under its old id
            if (column.equals(table.key())) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "column", "column " + column + " is the"
                        + " key of " + entry.source() + " (this row's source id " + entry.sourceId()
                        + "); correct it in the source database, not here");
            }
        }
    }

    /** The value as the original row typed its column: a number stays a number, a boolean a boolean, else text. */
    private static JsonNode typedLike(JsonNode original, String value) {
        JsonNodeFactory nodes = JSON.getNodeFactory();
        if (original != null && original.isNumber()) {
            try {
                return nodes.numberNode(new BigDecimal(value));
            } catch (NumberFormatException e) {
                return nodes.textNode(value); // the importer reports an unparseable number as it does for the source
            }
        }
        if (original != null && original.isBoolean() && (value.equals("true") || value.equals("false"))) {
            return nodes.booleanNode(Boolean.parseBoolean(value));
        }
        return nodes.textNode(value);
    }

    /**
     * Stores the fixed row and its audit row in one transaction, provided the entry is still open or fixed with the
     * fixed row the corrections were applied to (another reviewer's change in between is not overwritten).
     */
    private void keepFixed(QuarantineReview.Row entry, String basedOn, ObjectNode fixed, ObjectNode before,
                           ObjectNode after) {
        try (Connection c = db.owner().connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement update = c.prepareStatement("""
                    UPDATE legacy.quarantine SET fixed_row = CAST(? AS jsonb), status = 'fixed'
                    WHERE id = ? AND status IN ('open', 'fixed')
                      AND fixed_row IS NOT DISTINCT FROM CAST(? AS jsonb)""");
                 PreparedStatement audit = c.prepareStatement("""
                         INSERT INTO core.audit_log (org_id, town_id, actor, action, table_name, row_id, before_data,
                                                     after_data)
                         SELECT r.org_id, r.town_id, 'cli', 'quarantine.accept', 'legacy.quarantine', q.id,
                                CAST(? AS jsonb), CAST(? AS jsonb)
                         FROM legacy.quarantine q JOIN legacy.import_runs r ON r.id = q.run_id
                         WHERE q.id = ?""")) {
                update.setString(1, JSON.writeValueAsString(fixed));
                update.setObject(2, entry.id());
                update.setString(3, basedOn);
                if (update.executeUpdate() == 0) {
                    throw TownHallException.forField(ErrorCode.CONFLICT, "id", "quarantine entry " + entry.id()
                            + " changed while it was being corrected; look at it again (quarantine show "
                            + entry.id() + ")");
                }
                audit.setString(1, JSON.writeValueAsString(before));
                audit.setString(2, JSON.writeValueAsString(after));
                audit.setObject(3, entry.id());
                audit.executeUpdate();
                c.commit();
            } catch (SQLException | JsonProcessingException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot keep the corrected row of quarantine entry "
                    + entry.id() + ": " + e.getMessage(), e);
        }
    }

    /** What the id map says the reimported entry became. */
    private Target target(QuarantineReview.Row entry) {
        try (Connection c = db.owner().connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT outcome, target_table, target_id FROM legacy.id_map
                WHERE source_db = ? AND source_table = ? AND source_id = ?""")) {
            ps.setString(1, entry.sourceDb());
            ps.setString(2, entry.sourceTable());
            ps.setString(3, entry.sourceId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("quarantine entry " + entry.id() + " is reimported but "
                            + entry.source() + " id " + entry.sourceId() + " is not in legacy.id_map");
                }
                return new Target(rs.getString(1), rs.getString(2), rs.getObject(3, UUID.class));
            }
        } catch (SQLException e) {
            throw new TownHallException(ErrorCode.INTERNAL, "cannot read legacy.id_map: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("legacy.quarantine holds invalid JSON", e);
        }
    }
}
