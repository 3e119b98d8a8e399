package dev.townhall.ops.internal;

import dev.townhall.db.Identifiers;
import dev.townhall.ops.RetentionAction;
import dev.townhall.ops.RetentionPolicy;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Optional;

/**
 * The SQL of one policy against its table, built from the catalog: which rows are due (one condition, used both to
 * select the candidates and to recheck them when changing, so a row that changed in between is left alone), what the
 * column becomes, and which embedding type (if any) was derived from the column.
 *
 * <p>Every statement binds {@code :policy}, {@code :table} and {@code :asOf}; the change binds {@code :ids} too.
 */
public final class PolicyTarget {
    private static final String REDACTED = "'[redacted]'";
    // random, so an anonymised value links to nothing; an e-mail keeps its shape for columns that check it
    private static final String PLACEHOLDER = "'anon-' || left(md5(gen_random_uuid()::text), 12)";
    private static final String ANONYMISED_PATTERN = "'^anon-[0-9a-f]{12}(@anonymised\\.invalid)?$'";

    private final RetentionPolicy policy;
    private final boolean notNull;
    private final Optional<String> embeddedAs;

    private PolicyTarget(RetentionPolicy policy, boolean notNull, Optional<String> embeddedAs) {
        this.policy = policy;
        this.notNull = notNull;
        this.embeddedAs = embeddedAs;
    }

    /** Reads what the SQL depends on: the column's nullability and the table's embedding trigger (type, columns). */
    public static PolicyTarget of(Handle h, RetentionPolicy policy) {
        if (policy.column().isEmpty()) {
            return new PolicyTarget(policy, false, Optional.empty());
        }
        String column = policy.column().get();
        boolean notNull = h.createQuery("""
                        SELECT a.attnotnull FROM pg_attribute a
                        WHERE a.attrelid = CAST(:table AS regclass) AND a.attname = :column AND NOT a.attisdropped""")
                .bind("table", policy.table()).bind("column", column).mapTo(Boolean.class).one();
        // memory.enqueue_embedding's arguments: the entity type, then the columns whose text is embedded
        List<String> args = h.createQuery("""
                        SELECT a.arg FROM pg_trigger tg
                        CROSS JOIN LATERAL unnest(string_to_array(encode(tg.tgargs, 'escape'), '\\000'))
                            WITH ORDINALITY AS a (arg, n)
                        WHERE tg.tgrelid = CAST(:table AS regclass) AND tg.tgname = 'embedding_enqueue_update'
                          AND a.arg <> ''
                        ORDER BY a.n""")
                .bind("table", policy.table()).mapTo(String.class).list();
        Optional<String> embeddedAs = !args.isEmpty() && args.subList(1, args.size()).contains(column)
                ? Optional.of(args.get(0)) : Optional.empty();
        return new PolicyTarget(policy, notNull, embeddedAs);
    }

    /** The embedding type whose vectors were computed from the column, when they were. */
    public Optional<String> embeddedAs() {
        return embeddedAs;
    }

    /** The ids of the due rows, in id order. */
    public String selectDue() {
        return "SELECT t.id FROM " + table() + " t WHERE " + due() + " ORDER BY t.id";
    }

    /**
     * Changes the rows among {@code :ids} that are still due, with one audit row each (the value itself is not
     * copied into the audit log); returns their ids.
     */
    public String change() {
        String write = policy.action() == RetentionAction.DELETE
                ? "DELETE FROM " + table() + " t WHERE t.id = ANY(:ids) AND " + due()
                : "UPDATE " + table() + " t SET " + column() + " = " + newValue() + " WHERE t.id = ANY(:ids) AND " + due();
        return """
                WITH changed AS (%s RETURNING t.id, t.org_id, t.town_id),
                audited AS (
                    INSERT INTO core.audit_log (org_id, town_id, actor, action, table_name, row_id, after_data)
                    SELECT c.org_id, c.town_id, 'retention', :auditAction, :table, c.id,
                           jsonb_build_object('policy', CAST(:policy AS text), 'column', CAST(:column AS text))
                    FROM changed c)
                SELECT id FROM changed""".formatted(write);
    }

    /** The action as written in core.audit_log. */
    public String auditAction() {
        return "retention." + policy.action().sqlName();
    }

    private String due() {
        // the policy's interval read at change time: a policy held or removed since the selection yields NULL
        return "t." + Identifiers.quote(policy.ageColumn()) + " < CAST(:asOf AS timestamptz) - ("
                + "SELECT p.after FROM ops.retention_policies p WHERE p.id = CAST(:policy AS uuid) AND NOT p.legal_hold)"
                + (policy.town().isPresent()
                        ? " AND t.town_id = (SELECT p.town_id FROM ops.retention_policies p WHERE p.id = CAST(:policy AS uuid))"
                        : "")
                + pending()
                + """
                 AND NOT EXISTS (SELECT 1 FROM ops.legal_holds h
                    WHERE h.table_name = :table AND (h.town_id IS NULL OR h.town_id = t.town_id)
                      AND (h.row_id IS NULL OR h.row_id = t.id)
                      AND (h.until IS NULL OR h.until > CAST(:asOf AS timestamptz)))""";
    }

    /** Rows already redacted or anonymised are not due again. */
    private String pending() {
        return switch (policy.action()) {
            case DELETE -> "";
            case REDACT -> notNull ? " AND t." + column() + "::text <> " + REDACTED : " AND t." + column() + " IS NOT NULL";
            case ANONYMISE -> " AND t." + column() + " IS NOT NULL AND t." + column() + "::text !~ " + ANONYMISED_PATTERN;
        };
    }

    private String newValue() {
        return switch (policy.action()) {
            case REDACT -> notNull ? REDACTED : "NULL";
            case ANONYMISE -> "CASE WHEN t." + column() + "::text LIKE '%@%' THEN " + PLACEHOLDER
                    + " || '@anonymised.invalid' ELSE " + PLACEHOLDER + " END";
            case DELETE -> throw new IllegalStateException("a delete sets no value");
        };
    }

    private String table() {
        return Identifiers.quoteQualified(policy.table());
    }

    private String column() {
        return Identifiers.quote(policy.column().orElseThrow());
    }
}
