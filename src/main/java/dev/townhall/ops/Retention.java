package dev.townhall.ops;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.db.Database;
import dev.townhall.db.Identifiers;
import dev.townhall.ops.internal.PolicyTarget;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Retention and PII rules: policies ({@code ops.retention_policies}), legal holds ({@code ops.legal_holds}) and the
 * run that applies them. Everything runs as the owner: retention is an operator's job across towns, and only a login
 * that bypasses row-level security sees every row a policy covers. A run first selects the due rows once, then
 * changes exactly those, in batches of {@link #BATCH} rows per transaction, rechecking in each statement that a row
 * is still due; every changed row gets an audit row, and its old value leaves the audit snapshots, the embeddings
 * and (by the generated search columns recomputing themselves) keyword search.
 */
public final class Retention {
    static final int BATCH = 500;
    private static final Pattern AGE = Pattern.compile("(\\d{1,6})(h|d|w|mo|y)");
    private static final Map<String, String> AGE_UNITS = Map.of("h", "hours", "d", "days", "w", "weeks", "mo", "months",
            "y", "years");
    private static final RowMapper<RetentionPolicy> POLICY = (rs, ctx) -> new RetentionPolicy(
            rs.getObject("id", UUID.class), rs.getString("table_name"), Optional.ofNullable(rs.getString("town")),
            Optional.ofNullable(rs.getString("column_name")), RetentionAction.parse(rs.getString("action")),
            rs.getString("after"), rs.getString("age_column"), rs.getBoolean("legal_hold"));
    private static final String SELECT_POLICIES = """
            SELECT p.id, p.table_name, t.slug AS town, p.column_name, p.action, p.after::text AS after, p.age_column,
                   p.legal_hold
            FROM ops.retention_policies p LEFT JOIN core.towns t ON t.id = p.town_id
            """;

    private final Jdbi owner;

    private Retention(Jdbi owner) {
        this.owner = owner;
    }

    public static Retention of(Database db) {
        return new Retention(Jdbi.create(() -> db.owner().connect()));
    }

    // ------------------------------------------------------------------ policies

    /** Stores a policy; an unknown table, column or town is one error naming the field, and nothing is stored. */
    public RetentionPolicy add(NewRetentionPolicy policy) {
        if (policy.action() == RetentionAction.DELETE && policy.column().isPresent()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "column",
                    "delete removes whole rows; to clear one column use redact");
        }
        if (policy.action() != RetentionAction.DELETE && policy.column().isEmpty()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "column",
                    policy.action().sqlName() + " needs a column (--column); to remove whole rows use delete");
        }
        String after = interval(policy.after());
        return write(h -> {
            Optional<UUID> town = policy.town().map(slug -> townId(h, slug));
            UUID id = h.createQuery("""
                            INSERT INTO ops.retention_policies (table_name, town_id, column_name, action, after, age_column,
                                                                legal_hold)
                            VALUES (:table, CAST(:town AS uuid), :column, :action, CAST(:after AS interval), :ageColumn, :hold)
                            RETURNING id""")
                    .bind("table", policy.table()).bind("town", town.orElse(null))
                    .bind("column", policy.column().orElse(null)).bind("action", policy.action().sqlName())
                    .bind("after", after).bind("ageColumn", policy.ageColumn().orElse("created_at"))
                    .bind("hold", policy.legalHold())
                    .mapTo(UUID.class).one();
            auditSetting(h, "retention.policy.add", "ops.retention_policies", id, "after_data");
            return policy(h, id);
        });
    }

    public List<RetentionPolicy> policies() {
        return owner.withHandle(h -> h.createQuery(SELECT_POLICIES
                        + " ORDER BY p.table_name, t.slug NULLS FIRST, p.column_name NULLS FIRST")
                .map(POLICY).list());
    }

    public void remove(UUID id) {
        write(h -> {
            RetentionPolicy removed = policy(h, id);
            auditSetting(h, "retention.policy.remove", "ops.retention_policies", id, "before_data");
            h.createUpdate("DELETE FROM ops.retention_policies WHERE id = :id").bind("id", id).execute();
            return removed;
        });
    }

    /** Puts a legal hold on a policy (it stops entirely) or releases it. */
    public RetentionPolicy hold(UUID id, boolean on) {
        return write(h -> {
            policy(h, id);
            h.createUpdate("UPDATE ops.retention_policies SET legal_hold = :on WHERE id = :id")
                    .bind("on", on).bind("id", id).execute();
            auditSetting(h, on ? "retention.policy.hold" : "retention.policy.release", "ops.retention_policies", id,
                    "after_data");
            return policy(h, id);
        });
    }

    // ------------------------------------------------------------------ legal holds on rows

    /** Holds rows of {@code table} (of one town or all, one row or all) from every policy, until removed or {@code until}. */
    public LegalHold addHold(String table, Optional<String> town, Optional<UUID> row, String reason,
                             Optional<OffsetDateTime> until) {
        return write(h -> {
            Optional<UUID> townId = town.map(slug -> townId(h, slug));
            UUID id = h.createQuery("""
                            INSERT INTO ops.legal_holds (table_name, town_id, row_id, reason, until)
                            VALUES (:table, CAST(:town AS uuid), CAST(:row AS uuid), :reason, CAST(:until AS timestamptz))
                            RETURNING id""")
                    .bind("table", table).bind("town", townId.orElse(null)).bind("row", row.orElse(null))
                    .bind("reason", reason).bind("until", until.orElse(null))
                    .mapTo(UUID.class).one();
            auditSetting(h, "retention.hold.add", "ops.legal_holds", id, "after_data");
            return holds(h, id).get(0);
        });
    }

    public List<LegalHold> holds() {
        return owner.withHandle(h -> holds(h, null));
    }

    public void removeHold(UUID id) {
        write(h -> {
            List<LegalHold> found = holds(h, id);
            if (found.isEmpty()) {
                throw TownHallException.forField(ErrorCode.NOT_FOUND, "id", "no legal hold " + id);
            }
            auditSetting(h, "retention.hold.remove", "ops.legal_holds", id, "before_data");
            h.createUpdate("DELETE FROM ops.legal_holds WHERE id = :id").bind("id", id).execute();
            return found.get(0);
        });
    }

    // ------------------------------------------------------------------ the run

    /** Applies every policy now, or with {@code dryRun} only lists the rows it would change. */
    public RetentionReport run(boolean dryRun) {
        return run(dryRun, owner.withHandle(h -> h.createQuery("SELECT now()").mapTo(OffsetDateTime.class).one()));
    }

    /**
     * As {@link #run(boolean)}, with rows due measured at {@code asOf}: a dry run and a real run at the same
     * {@code asOf} select the same rows, and the real run changes exactly those still due when it reaches them.
     */
    public RetentionReport run(boolean dryRun, OffsetDateTime asOf) {
        requireSeesEveryRow();
        List<RetentionReport.Outcome> outcomes = new ArrayList<>();
        for (RetentionPolicy policy : policies()) {
            if (policy.legalHold()) {
                outcomes.add(new RetentionReport.Outcome(policy, true, List.of(), 0, 0));
                continue;
            }
            PolicyTarget target = owner.withHandle(h -> PolicyTarget.of(h, policy));
            List<UUID> due = owner.withHandle(h -> bindPolicy(h.createQuery(target.selectDue()), policy, asOf)
                    .mapTo(UUID.class).list());
            int changed = 0;
            int embeddingsRemoved = 0;
            if (!dryRun) {
                for (int from = 0; from < due.size(); from += BATCH) {
                    List<UUID> batch = due.subList(from, Math.min(due.size(), from + BATCH));
                    int[] counts;
                    try {
                        counts = owner.inTransaction(h -> applyBatch(h, target, policy, asOf, batch));
                    } catch (JdbiException e) {
                        // e.g. a delete refused by a foreign key: earlier batches stay applied (and audited)
                        throw new TownHallException(ErrorCode.CONFLICT, "retention policy " + policy.id() + " on "
                                + policy.table() + " stopped after " + changed + " of " + due.size() + " rows: "
                                + firstLine(e), e);
                    }
                    changed += counts[0];
                    embeddingsRemoved += counts[1];
                }
            }
            outcomes.add(new RetentionReport.Outcome(policy, false, due, changed, embeddingsRemoved));
        }
        return new RetentionReport(dryRun, asOf, outcomes);
    }

    /** One transaction: the change with its audit rows, the old values out of older audit snapshots and embeddings. */
    private static int[] applyBatch(Handle h, PolicyTarget target, RetentionPolicy policy, OffsetDateTime asOf,
                                    List<UUID> batch) {
        // the row-audit triggers would copy the old value into core.audit_log; the change writes its own audit rows
        h.execute("SET LOCAL townhall.bulk = 'on'");
        List<UUID> changed = bindPolicy(h.createQuery(target.change()), policy, asOf)
                .bindArray("ids", UUID.class, batch).bind("auditAction", target.auditAction())
                .bind("column", policy.column().orElse(null))
                .mapTo(UUID.class).list();
        if (changed.isEmpty()) {
            return new int[] {0, 0};
        }
        // older snapshots of the row keep the value: a deleted row's snapshots go, a column's value is replaced
        String scrub = policy.column().isEmpty()
                ? "UPDATE core.audit_log a SET before_data = NULL, after_data = NULL"
                : """
                UPDATE core.audit_log a SET
                    before_data = CASE WHEN jsonb_exists(a.before_data, :column)
                        THEN jsonb_set(a.before_data, ARRAY[:column], '"[removed by retention]"') - 'search'
                        ELSE a.before_data END,
                    after_data = CASE WHEN jsonb_exists(a.after_data, :column)
                        THEN jsonb_set(a.after_data, ARRAY[:column], '"[removed by retention]"') - 'search'
                        ELSE a.after_data END""";
        h.createUpdate(scrub + " WHERE a.table_name = :table AND a.row_id = ANY(:ids) AND a.actor <> 'retention'")
                .bind("table", policy.table()).bind("column", policy.column().orElse(null))
                .bindArray("ids", UUID.class, changed).execute();
        // deleted rows lose their vectors through the delete trigger; a changed column's vectors go here (the update
        // trigger has queued the row, so the worker embeds the new text)
        int embeddingsRemoved = target.embeddedAs().map(kind -> h.createUpdate("""
                        DELETE FROM memory.embeddings e WHERE e.entity_type = :kind AND e.entity_id = ANY(:ids)""")
                .bind("kind", kind).bindArray("ids", UUID.class, changed).execute()).orElse(0);
        return new int[] {changed.size(), embeddingsRemoved};
    }

    private static <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bindPolicy(T statement,
                                                                                       RetentionPolicy policy,
                                                                                       OffsetDateTime asOf) {
        return statement.bind("policy", policy.id()).bind("table", policy.table()).bind("asOf", asOf);
    }

    private void requireSeesEveryRow() {
        boolean bypasses = owner.withHandle(h -> h.createQuery(
                "SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user").mapTo(Boolean.class).one());
        if (!bypasses) {
            throw new TownHallException(ErrorCode.FORBIDDEN, "retention runs as the owner role, which must bypass"
                    + " row-level security to see every town's rows; this database's owner role does not");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** {@code 365d} as a PostgreSQL interval ({@code 365 days}); h, d, w, mo and y are the units. */
    static String interval(String age) {
        Matcher m = AGE.matcher(age == null ? "" : age.strip());
        if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "after",
                    "an age is a positive number with a unit h, d, w, mo or y (e.g. 365d); got '" + age + "'");
        }
        return m.group(1) + " " + AGE_UNITS.get(m.group(2));
    }

    private static UUID townId(Handle h, String slug) {
        return h.createQuery("SELECT id FROM core.towns WHERE slug = :slug").bind("slug", slug)
                .mapTo(UUID.class).findFirst()
                .orElseThrow(() -> TownHallException.forField(ErrorCode.NOT_FOUND, "town", "no town " + slug));
    }

    private static RetentionPolicy policy(Handle h, UUID id) {
        return h.createQuery(SELECT_POLICIES + " WHERE p.id = :id").bind("id", id).map(POLICY).findOne()
                .orElseThrow(() -> TownHallException.forField(ErrorCode.NOT_FOUND, "id", "no retention policy " + id));
    }

    private static List<LegalHold> holds(Handle h, UUID id) {
        return h.createQuery("""
                        SELECT l.id, l.table_name, t.slug AS town, l.row_id, l.reason, l.until
                        FROM ops.legal_holds l LEFT JOIN core.towns t ON t.id = l.town_id
                        WHERE CAST(:id AS uuid) IS NULL OR l.id = CAST(:id AS uuid)
                        ORDER BY l.table_name, l.created_at""")
                .bind("id", id)
                .map((rs, ctx) -> new LegalHold(rs.getObject("id", UUID.class), rs.getString("table_name"),
                        Optional.ofNullable(rs.getString("town")), Optional.ofNullable(rs.getObject("row_id", UUID.class)),
                        rs.getString("reason"), Optional.ofNullable(rs.getObject("until", OffsetDateTime.class))))
                .list();
    }

    /**
     * A change of the settings with the row as it stands, as {@code snapshot} ({@code after_data} after an insert or
     * update, {@code before_data} before a delete), audited once per organisation: the settings apply to the whole
     * database.
     */
    private static void auditSetting(Handle h, String action, String table, UUID id, String snapshot) {
        h.createUpdate("""
                        INSERT INTO core.audit_log (org_id, actor, action, table_name, %s)
                        SELECT o.id, 'cli', :action, :table, (SELECT to_jsonb(r) FROM %s r WHERE r.id = :id)
                        FROM core.organizations o""".formatted(snapshot, Identifiers.quoteQualified(table)))
                .bind("action", action).bind("table", table).bind("id", id).execute();
    }

    private interface Write<T> {
        T run(Handle h);
    }

    /** One transaction; what the database refuses (the catalog check, a constraint) becomes one line naming the field. */
    private <T> T write(Write<T> work) {
        try {
            return owner.inTransaction(work::run);
        } catch (JdbiException e) {
            throw refused(e);
        }
    }

    private static String firstLine(JdbiException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
    }

    private static TownHallException refused(JdbiException e) {
        Throwable cause = e.getCause();
        if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            String field = server.getColumn();
            ErrorCode code = switch (String.valueOf(psql.getSQLState())) {
                case "42P01", "42703" -> ErrorCode.NOT_FOUND;
                case "22023", "23514", "22007", "22008" -> ErrorCode.INVALID_INPUT;
                case "23505" -> ErrorCode.CONFLICT;
                default -> null;
            };
            if (code != null) {
                String message = "23505".equals(psql.getSQLState())
                        ? "a policy for this table, town and column exists already (see retention policy list)"
                        : server.getMessage();
                return field == null ? new TownHallException(code, message, e)
                        : TownHallException.forField(code, field, message, e);
            }
        }
        return new TownHallException(ErrorCode.INTERNAL, "cannot change the retention settings: " + e.getMessage(), e);
    }
}
