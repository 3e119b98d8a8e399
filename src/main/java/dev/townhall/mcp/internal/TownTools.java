package dev.townhall.mcp.internal;

import static dev.townhall.mcp.internal.Arguments.orderedMap;
import static dev.townhall.mcp.internal.Arguments.text;
import static dev.townhall.mcp.internal.Arguments.textList;
import static dev.townhall.mcp.internal.Arguments.uuid;
import static dev.townhall.mcp.internal.Arguments.whole;
import static dev.townhall.mcp.internal.ToolRunner.ADDS;
import static dev.townhall.mcp.internal.ToolRunner.CHANGES;
import static dev.townhall.mcp.internal.ToolRunner.READS;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.records.ListQuery;
import dev.townhall.records.Records;
import dev.townhall.records.Row;
import dev.townhall.records.Sort;
import dev.townhall.search.Search;
import dev.townhall.search.SearchHit;
import dev.townhall.search.SearchMode;
import dev.townhall.search.SearchRequest;
import dev.townhall.search.SearchResults;
import dev.townhall.search.SearchType;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The CRM and memory tools, each a thin adapter: read the arguments, call the service the REST API calls in the
 * call's context, answer a short map ({@link ToolRunner} makes it JSON, errors tool errors, and audits).
 */
public final class TownTools {
        /** get_record's types and the resources behind them. */
    private static final Map<String, String> RECORD_TYPES = orderedMap(
            "company", "companies", "contact", "contacts", "deal", "deals", "task", "tasks", "meeting", "meetings");

    /** list_recent_activity's subjects and the activities column naming each (filterable: crm-110's indexes). */
    private static final Map<String, String> ACTIVITY_SUBJECTS = orderedMap(
            "contact", "contact_id", "company", "company_id", "deal", "deal_id");
    private static final int DEFAULT_ACTIVITIES = 20;

    /** log_activity's types: crm.activities' activity_type CHECK (crm/030), so a wrong one is refused before SQL. */
    private static final List<String> ACTIVITY_TYPES = List.of(
            "email", "call", "meeting", "note", "task", "message", "linkedin", "slack", "sms", "other");
    /** log_activity's optional arguments, each the crm.activities column of the same name. */
    private static final List<String> ACTIVITY_FIELDS = List.of("subject", "body", "contact_id", "company_id", "deal_id");
    /** The task columns update_task may change (work/040's CHECKs name the allowed status and priority values). */
    private static final List<String> TASK_STATUSES = List.of("todo", "doing", "done");
    private static final List<String> TASK_PRIORITIES = List.of("low", "medium", "high");
    private static final List<String> TASK_CHANGES = List.of("title", "description", "status", "priority", "due_at");

    private final Records records;
    private final Search search;

    public TownTools(Records records, Search search) {
        this.records = records;
        this.search = search;
    }

    public List<SyncToolSpecification> specifications(ToolRunner runner) {
        return List.of(
                runner.tool("search_memory", "Search the town's contacts, companies, deals, activities, messages, knowledge,"
                                + " notes and transcripts by meaning, by words, or both. Returns the best hits with a snippet.",
                        Map.of("type", "object",
                                "properties", orderedMap(
                                        "query", Map.of("type", "string", "minLength", 1,
                                                "maxLength", SearchRequest.MAX_QUERY_CHARS, "description", "what to look for"),
                                        "mode", Map.of("type", "string", "enum", List.of("semantic", "keyword", "hybrid"),
                                                "description", "how to match (default: hybrid)"),
                                        "types", Map.of("type", "array", "items", Map.of("type", "string", "enum",
                                                        Arrays.stream(SearchType.values()).map(SearchType::label).toList()),
                                                "description", "what to look in (default: everything)"),
                                        "limit", Map.of("type", "integer", "minimum", 1, "maximum", SearchRequest.MAX_LIMIT,
                                                "description", "how many hits (default: " + SearchRequest.DEFAULT_LIMIT + ")")),
                                "required", List.of("query"),
                                "additionalProperties", false),
                        READS, this::searchMemory),
                runner.tool("get_record", "One record of the town by type and id, with all its visible fields.",
                        Map.of("type", "object",
                                "properties", orderedMap(
                                        "type", Map.of("type", "string", "enum", List.copyOf(RECORD_TYPES.keySet())),
                                        "id", Map.of("type", "string", "format", "uuid")),
                                "required", List.of("type", "id"),
                                "additionalProperties", false),
                        READS, this::getRecord),
                runner.tool("list_recent_activity", "The latest activities (calls, emails, meetings, notes…) of one contact,"
                                + " company or deal, newest first.",
                        Map.of("type", "object",
                                "properties", orderedMap(
                                        "of", Map.of("type", "string", "enum", List.copyOf(ACTIVITY_SUBJECTS.keySet())),
                                        "id", Map.of("type", "string", "format", "uuid"),
                                        "limit", Map.of("type", "integer", "minimum", 1, "maximum", ListQuery.MAX_LIMIT,
                                                "description", "how many activities (default: " + DEFAULT_ACTIVITIES + ")")),
                                "required", List.of("of", "id"),
                                "additionalProperties", false),
                        READS, this::listRecentActivity),
                runner.tool("remember", "Keep a note in the town's memory (a sticky note, private to you unless shared)."
                                + " Returns the note's id and _version.",
                        Map.of("type", "object",
                                "properties", orderedMap(
                                        "kind", Map.of("type", "string", "enum", List.of("note"),
                                                "description", "what to keep (only note for now)"),
                                        "text", Map.of("type", "string", "minLength", 1, "description", "what to remember"),
                                        "title", Map.of("type", "string", "description", "a heading, kept as the note's first line")),
                                "required", List.of("kind", "text"),
                                "additionalProperties", false),
                        ADDS, this::remember),
                runner.tool("log_activity", "Log a touch (call, email, meeting, note…) on the town's timeline, optionally about a"
                                + " contact, company or deal. Returns the activity's id and _version.",
                        Map.of("type", "object",
                                "properties", orderedMap(
                                        "type", Map.of("type", "string", "enum", ACTIVITY_TYPES),
                                        "subject", Map.of("type", "string"),
                                        "body", Map.of("type", "string"),
                                        "contact_id", Map.of("type", "string", "format", "uuid"),
                                        "company_id", Map.of("type", "string", "format", "uuid"),
                                        "deal_id", Map.of("type", "string", "format", "uuid"),
                                        "occurred_at", Map.of("type", "string", "format", "date-time",
                                                "description", "when it happened (default: now)")),
                                "required", List.of("type"),
                                "additionalProperties", false),
                        ADDS, this::logActivity),
                runner.tool("create_task", "Create a to-do in the town, created by you. Returns the task's id and _version.",
                        Map.of("type", "object",
                                "properties", orderedMap(
                                        "title", Map.of("type", "string", "minLength", 1),
                                        "description", Map.of("type", "string"),
                                        "due_at", Map.of("type", "string", "format", "date-time"),
                                        "priority", Map.of("type", "string", "enum", TASK_PRIORITIES,
                                                "description", "default: medium")),
                                "required", List.of("title"),
                                "additionalProperties", false),
                        ADDS, this::createTask),
                runner.tool("update_task", "Change a task, given the _version it was read at (get_record answers it); a task"
                                + " changed since is refused. Returns the task's id and new _version.",
                        Map.of("type", "object",
                                "properties", orderedMap(
                                        "id", Map.of("type", "string", "format", "uuid"),
                                        "version", Map.of("type", "string", "description", "the task's _version"),
                                        "changes", Map.of("type", "object", "minProperties", 1,
                                                "properties", orderedMap(
                                                        "title", Map.of("type", "string", "minLength", 1),
                                                        "description", Map.of("type", List.of("string", "null")),
                                                        "status", Map.of("type", "string", "enum", TASK_STATUSES),
                                                        "priority", Map.of("type", "string", "enum", TASK_PRIORITIES),
                                                        "due_at", Map.of("type", List.of("string", "null"), "format", "date-time")),
                                                "additionalProperties", false)),
                                "required", List.of("id", "version", "changes"),
                                "additionalProperties", false),
                        CHANGES, this::updateTask));
    }

    private Map<String, Object> searchMemory(ToolCall call) {
        Map<String, Object> args = call.args();
        SearchMode mode = args.get("mode") == null ? SearchMode.HYBRID : SearchMode.parse(text(args, "mode"));
        Set<SearchType> types = args.get("types") == null ? EnumSet.allOf(SearchType.class)
                : SearchType.parseList(String.join(",", textList(args, "types")));
        int limit = args.get("limit") == null ? SearchRequest.DEFAULT_LIMIT : whole(args, "limit");
        SearchResults results = search.search(call.context(), new SearchRequest(text(args, "query"), types, mode, limit));
        List<Map<String, Object>> hits = results.hits().stream().map(TownTools::hit).toList();
        return orderedMap("mode", mode.label(), "hits", hits);
    }

    private Map<String, Object> getRecord(ToolCall call) {
        Map<String, Object> args = call.args();
        String type = text(args, "type");
        String resource = RECORD_TYPES.get(type);
        if (resource == null) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "type", "type must be one of "
                    + String.join(", ", RECORD_TYPES.keySet()) + ", got '" + type + "'");
        }
        Row row = records.get(call.context(), resource, uuid(args, "id"));
        return orderedMap("type", type, "_version", row.version(), "record", row.values());
    }

    private Map<String, Object> listRecentActivity(ToolCall call) {
        Map<String, Object> args = call.args();
        String of = text(args, "of");
        String column = ACTIVITY_SUBJECTS.get(of);
        if (column == null) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "of", "of must be one of "
                    + String.join(", ", ACTIVITY_SUBJECTS.keySet()) + ", got '" + of + "'");
        }
        int limit = args.get("limit") == null ? DEFAULT_ACTIVITIES : whole(args, "limit");
        ListQuery query = new ListQuery(Map.of(column, uuid(args, "id").toString()),
                Optional.of(new Sort("occurred_at", true)), Optional.empty(), limit, Optional.empty());
        List<Map<String, Object>> activities = records.list(call.context(), "activities", query).items().stream()
                .map(Row::values).toList();
        return orderedMap("of", of, "id", args.get("id"), "activities", activities);
    }

    private Map<String, Object> remember(ToolCall call) {
        Map<String, Object> args = call.args();
        String kind = text(args, "kind");
        if (!kind.equals("note")) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "kind", "kind must be note, got '" + kind + "'");
        }
        // sticky notes have no title column: a title becomes the note's first line
        String content = args.get("title") == null ? text(args, "text") : text(args, "title") + "\n\n" + text(args, "text");
        return written(records.create(call.context(), "sticky-notes",
                orderedMap("content", content, "user_id", call.caller().userId().toString(), "source", "ai")));
    }

    private Map<String, Object> logActivity(ToolCall call) {
        Map<String, Object> args = call.args();
        String type = text(args, "type");
        if (!ACTIVITY_TYPES.contains(type)) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "type", "type must be one of "
                    + String.join(", ", ACTIVITY_TYPES) + ", got '" + type + "'");
        }
        Map<String, Object> body = orderedMap("activity_type", type, "user_id", call.caller().userId().toString(), "source", "mcp",
                "occurred_at", args.get("occurred_at") == null ? Instant.now().toString() : text(args, "occurred_at"));
        for (String field : ACTIVITY_FIELDS) {
            if (args.get(field) != null) {
                body.put(field, field.endsWith("_id") ? uuid(args, field).toString() : text(args, field));
            }
        }
        return written(records.create(call.context(), "activities", body));
    }

    private Map<String, Object> createTask(ToolCall call) {
        Map<String, Object> args = call.args();
        Map<String, Object> body = orderedMap("title", text(args, "title"), "created_by", call.caller().userId().toString());
        for (String field : List.of("description", "due_at", "priority")) {
            if (args.get(field) != null) {
                body.put(field, text(args, field));
            }
        }
        return written(records.create(call.context(), "tasks", body));
    }

    private Map<String, Object> updateTask(ToolCall call) {
        Map<String, Object> args = call.args();
        UUID id = uuid(args, "id");
        String version = args.get("version") instanceof Number n ? String.valueOf(whole(args, "version")) : text(args, "version");
        if (!(args.get("changes") instanceof Map<?, ?> given) || given.isEmpty()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "changes", "changes must be an object naming at"
                    + " least one of " + String.join(", ", TASK_CHANGES));
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        given.forEach((field, value) -> {
            if (!TASK_CHANGES.contains(String.valueOf(field))) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "changes", "a task's changes may name "
                        + String.join(", ", TASK_CHANGES) + ", got '" + field + "'");
            }
            changes.put(String.valueOf(field), value);
        });
        return written(records.update(call.context(), "tasks", id, version, changes, false));
    }

    /** What a write answers: the row's id and the version a next change must name. */
    private static Map<String, Object> written(Row row) {
        return orderedMap("id", row.id().toString(), "_version", row.version());
    }

    private static Map<String, Object> hit(SearchHit hit) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", hit.type().label());
        out.put("id", hit.id().toString());
        out.put("title", hit.title());
        out.put("snippet", hit.snippet());
        out.put("score", Math.round(hit.score() * 10_000) / 10_000.0);
        out.put("town", hit.town());
        out.put("shared", hit.shared());
        return out;
    }
}
