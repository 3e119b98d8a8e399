package dev.townhall.mcp.internal;

import static dev.townhall.mcp.internal.Arguments.orderedMap;
import static dev.townhall.mcp.internal.Arguments.text;
import static dev.townhall.mcp.internal.Arguments.whole;
import static dev.townhall.mcp.internal.ToolRunner.READS;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.schema.VisibleSchema;
import dev.townhall.towns.Role;
import dev.townhall.towns.TownContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import org.jdbi.v3.core.Handle;
import org.postgresql.util.PSQLException;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code sql} tool: one read-only query as the caller, under row-level security, answered as rows.
 *
 * <p>The caller's identity (user, town, role cap) lives in transaction settings that the RLS policies read, so the
 * danger is a query that changes them within its own statement ({@code set_config}, or a function that runs SQL text
 * of its own, such as {@code query_to_xml}), or one that reads past RLS. The layers:
 * <ol>
 * <li>{@link ReadOnlyQuery} lexes the text as PostgreSQL does: one statement starting SELECT, WITH, VALUES or TABLE,
 *     no keyword of a statement that writes or changes the session, no function running SQL text of its own.</li>
 * <li>Every name the query mentions is looked up in {@code pg_proc} in the same transaction: a name that is a
 *     VOLATILE function in any schema is refused (a few harmless ones excepted), and so is a SECURITY DEFINER one
 *     (the authentication lookups answer password and key hashes past RLS). A read-only SELECT calls only stable or
 *     immutable functions then, and PostgreSQL itself refuses writes inside those. Operators, casts and type input
 *     functions reach no volatile function in this schema (McpSqlToolTest checks the catalog). A table or view
 *     holding credentials ({@link #CREDENTIAL_COLUMNS}) is refused by name too: RLS shows a user colleagues' rows
 *     of core.users, password hashes included, and the functions reading a table named in a string are refused
 *     lexically.</li>
 * <li>The query runs nested, {@code SELECT * FROM (query) AS q LIMIT n}: a data-modifying WITH cannot be nested,
 *     and the database enforces the row cap. Its transaction is READ ONLY, capped at viewer, with the call's
 *     statement timeout; plain JDBC with escape processing off sends the text exactly as lexed.</li>
 * <li>After the query, in the same transaction, every setting and the current role must be as before; otherwise
 *     the answer is discarded and the call refused (and the rollback undoes the change). No known query gets this
 *     far: it is there for whatever the layers above miss.</li>
 * </ol>
 */
public final class SqlTool {
    static final int DEFAULT_ROWS = 100;
    static final int MAX_ROWS = 1_000;
    /** Longer values (text, JSON, vectors) are cut to this many characters, marked. */
    static final int MAX_VALUE_CHARS = 2_000;
    /** An answer stops taking rows once their values hold this many characters (it says truncated). */
    static final int MAX_ANSWER_CHARS = 200_000;
    private static final int FETCH_ROWS = 100;
    /** Volatile functions that only make values up, touching nothing. */
    private static final Set<String> HARMLESS_VOLATILE = Set.of("random", "clock_timestamp", "gen_random_uuid",
            "timeofday");
    /**
     * Columns holding credentials (hashes of passwords, API keys, session tokens): a table or view with one is
     * refused by name, whole rows included. RLS lets a user read colleagues' user rows, hashes and all.
     */
    private static final List<String> CREDENTIAL_COLUMNS = List.of("password_hash", "key_hash", "token_hash");

    /** Whether the tool refuses {@code relation} by name (it holds credential hashes), so the schema resource omits it. */
    static boolean refuses(VisibleSchema.Relation relation) {
        return relation.columns().stream().anyMatch(c -> CREDENTIAL_COLUMNS.contains(c.name()));
    }
    /** JDBC reads these types as JSON numbers and booleans; everything else answers PostgreSQL's text form. */
    private static final Set<String> JSON_NATIVE_TYPES = Set.of("bool", "int2", "int4", "int8", "float4", "float8");
    /** PostgreSQL's SQLSTATE for insufficient_privilege. */
    private static final String PERMISSION_DENIED = "42501";
    /** Everything a query could change to act as someone else, read before and after it. */
    private static final String SESSION_STATE = """
            SELECT concat_ws(E'\\n', current_user, session_user,
                             current_setting('townhall.user_id', true), current_setting('townhall.town_id', true),
                             current_setting('townhall.role_cap', true),
                             (SELECT string_agg(name || '=' || coalesce(setting, ''), E'\\n' ORDER BY name)
                              FROM pg_catalog.pg_settings))""";

    public List<SyncToolSpecification> specifications(ToolRunner runner) {
        return List.of(runner.tool("sql", "Run one read-only SQL query (PostgreSQL 15) as you, under the town's"
                        + " row-level security: you see exactly the rows you may see. Schemas: crm (companies, contacts,"
                        + " deals, activities), work (tasks, meetings, calendar_events), comms (messages, emails,"
                        + " conversations), memory (sticky_notes, knowledge_base, documents, ai_memories), ai, code,"
                        + " intel, core (towns, memberships; tables holding credentials, such as core.users, are"
                        + " refused). One SELECT, WITH, VALUES or TABLE statement; writes, SET, COPY, DO, several"
                        + " statements and functions that change anything are refused. Answers columns, rows (at most"
                        + " max_rows, and fewer when their values are long), row_count and truncated; long values are"
                        + " cut.",
                Map.of("type", "object",
                        "properties", orderedMap(
                                "query", Map.of("type", "string", "minLength", 1, "maxLength", ReadOnlyQuery.MAX_CHARS,
                                        "description", "one SELECT statement, e.g. SELECT first_name, last_name FROM"
                                                + " crm.contacts ORDER BY created_at DESC"),
                                "max_rows", Map.of("type", "integer", "minimum", 1, "maximum", MAX_ROWS,
                                        "description", "most rows to answer (default: " + DEFAULT_ROWS + ")")),
                        "required", List.of("query"),
                        "additionalProperties", false),
                READS, this::sql));
    }

    private Map<String, Object> sql(ToolCall call) {
        Map<String, Object> args = call.args();
        ReadOnlyQuery query = ReadOnlyQuery.parse(text(args, "query"));
        int maxRows = args.get("max_rows") == null ? DEFAULT_ROWS : whole(args, "max_rows");
        if (maxRows < 1 || maxRows > MAX_ROWS) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "max_rows", "max_rows must be between 1 and "
                    + MAX_ROWS + ", got " + maxRows);
        }
        TownContext readOnly = call.context().limitedTo(Role.VIEWER);
        try {
            return readOnly.inTransaction(h -> {
                requireStandardStrings(h);
                refuseUnsafeNames(h, query);
                String before = sessionState(h);
                Map<String, Object> answer = run(h, query, maxRows);
                if (!sessionState(h).equals(before)) {
                    throw TownHallException.forField(ErrorCode.FORBIDDEN, "query",
                            "query changed the session's settings; its answer was discarded");
                }
                return answer;
            });
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** ReadOnlyQuery reads '…' strings as standard strings (no backslash escapes); so must the database. */
    private static void requireStandardStrings(Handle h) {
        if (!h.createQuery("SELECT current_setting('standard_conforming_strings') = 'on'").mapTo(Boolean.class).one()) {
            throw new TownHallException(ErrorCode.CONFIG, "the sql tool needs standard_conforming_strings on");
        }
    }

    /**
     * Refuses every name that is a function able to change something or to read past row-level security, or a
     * table or view holding credentials.
     */
    private static void refuseUnsafeNames(Handle h, ReadOnlyQuery query) {
        List<String> refusals = h.createQuery("""
                        SELECT proname || CASE WHEN bool_or(prosecdef)
                                               THEN ' (SECURITY DEFINER: it reads past row-level security)'
                                               ELSE ' (VOLATILE: it may change something)' END
                        FROM pg_catalog.pg_proc
                        WHERE proname = ANY(:names) AND (provolatile = 'v' AND proname <> ALL(:harmless) OR prosecdef)
                        GROUP BY proname ORDER BY proname""")
                .bindArray("names", String.class, query.names())
                .bindArray("harmless", String.class, HARMLESS_VOLATILE)
                .mapTo(String.class).list();
        if (!refusals.isEmpty()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "query", "query may not call "
                    + String.join(", ", refusals));
        }
        List<String> credentialHolders = h.createQuery("""
                        SELECT DISTINCT c.relname FROM pg_catalog.pg_class c
                        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND NOT a.attisdropped
                        WHERE c.relname = ANY(:names) AND a.attname = ANY(:credentials) ORDER BY c.relname""")
                .bindArray("names", String.class, query.names())
                .bindArray("credentials", String.class, CREDENTIAL_COLUMNS)
                .mapTo(String.class).list();
        if (!credentialHolders.isEmpty()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "query", "query may not read "
                    + String.join(", ", credentialHolders) + ": it holds credentials");
        }
    }

    private static String sessionState(Handle h) {
        return h.createQuery(SESSION_STATE).mapTo(String.class).one();
    }

    /**
     * The query nested, so only a plain query fits, with one row more than the cap to tell truncation; rows stop
     * early once their values exceed {@link #MAX_ANSWER_CHARS}.
     */
    private static Map<String, Object> run(Handle h, ReadOnlyQuery query, int maxRows) throws SQLException {
        try (Statement statement = h.getConnection().createStatement()) {
            statement.setEscapeProcessing(false);
            statement.setFetchSize(FETCH_ROWS); // in a transaction: rows come in batches, not all at once
            // newlines, so a -- comment ending the query cannot swallow the closing parenthesis
            try (ResultSet rs = statement.executeQuery("SELECT * FROM (\n" + query.text() + "\n) AS q LIMIT "
                    + (maxRows + 1))) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(md.getColumnLabel(i));
                }
                List<List<Object>> rows = new ArrayList<>();
                long chars = 0;
                boolean truncated = false;
                while (rs.next()) {
                    if (rows.size() == maxRows || chars > MAX_ANSWER_CHARS) {
                        truncated = true;
                        break;
                    }
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        Object value = value(rs, i, md.getColumnTypeName(i));
                        chars += String.valueOf(value).length();
                        row.add(value);
                    }
                    rows.add(row);
                }
                return orderedMap("columns", columns, "rows", rows, "row_count", rows.size(), "truncated", truncated);
            }
        }
    }

    private static Object value(ResultSet rs, int column, String type) throws SQLException {
        Object value = JSON_NATIVE_TYPES.contains(type) ? rs.getObject(column) : rs.getString(column);
        if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            return value.toString(); // NaN and Infinity are no JSON numbers
        }
        if (value instanceof String s && s.length() > MAX_VALUE_CHARS) {
            return s.substring(0, MAX_VALUE_CHARS) + "…[cut, " + s.length() + " characters in all]";
        }
        return value;
    }

    /** A failed query as one line: the database's own message, without position or trace. */
    private static TownHallException failed(SQLException e) {
        String message = e instanceof PSQLException p && p.getServerErrorMessage() != null
                ? p.getServerErrorMessage().getMessage() : e.getMessage();
        String line = message == null ? e.getClass().getSimpleName() : message.split("\n")[0];
        ErrorCode code = PERMISSION_DENIED.equals(e.getSQLState()) ? ErrorCode.FORBIDDEN : ErrorCode.INVALID_INPUT;
        return TownHallException.forField(code, "query", "query failed: " + line, e);
    }
}
