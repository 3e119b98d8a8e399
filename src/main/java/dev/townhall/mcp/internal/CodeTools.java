package dev.townhall.mcp.internal;

import static dev.townhall.mcp.internal.Arguments.orderedMap;
import static dev.townhall.mcp.internal.Arguments.text;
import static dev.townhall.mcp.internal.Arguments.textList;
import static dev.townhall.mcp.internal.Arguments.uuid;
import static dev.townhall.mcp.internal.Arguments.whole;
import static dev.townhall.mcp.internal.ToolRunner.ADDS;
import static dev.townhall.mcp.internal.ToolRunner.READS;

import dev.townhall.code.CodeHit;
import dev.townhall.code.CodeKind;
import dev.townhall.code.CodeMemory;
import dev.townhall.code.CodeQuery;
import dev.townhall.code.NewBlock;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The code memory tools (the VS Code extension's conversations, messages, code blocks and learned patterns), thin
 * adapters over {@link CodeMemory} as {@link TownTools} are over records and search.
 */
public final class CodeTools {
    private final CodeMemory memory;

    public CodeTools(CodeMemory memory) {
        this.memory = memory;
    }

    public List<SyncToolSpecification> specifications(ToolRunner runner) {
        return List.of(
                runner.tool("code_memory_search", "Search the town's code memory (the editor's chat messages, saved code"
                                + " blocks and learned patterns) by words. Returns the best hits with a snippet.",
                        Map.of("type", "object",
                                "properties", orderedMap(
                                        "query", Map.of("type", "string", "minLength", 1,
                                                "maxLength", CodeQuery.MAX_QUERY_CHARS,
                                                "description", "words to look for; \"quotes\", or, -word work as in web search"),
                                        "kinds", Map.of("type", "array", "minItems", 1, "items", Map.of("type", "string",
                                                        "enum", Arrays.stream(CodeKind.values()).map(CodeKind::label).toList()),
                                                "description", "what to look in (default: everything)"),
                                        "language", Map.of("type", "string", "description", "only rows of this language"),
                                        "repository", Map.of("type", "string",
                                                "description", "only rows of conversations about this repository"),
                                        "limit", Map.of("type", "integer", "minimum", 1, "maximum", CodeQuery.MAX_LIMIT,
                                                "description", "how many hits (default: " + CodeQuery.DEFAULT_LIMIT + ")")),
                                "required", List.of("query"),
                                "additionalProperties", false),
                        READS, this::search),
                runner.tool("save_code_block", "Save a code block (snippet, diff, command, file or test) to the town's code"
                                + " memory, as yours and private to you. Returns the block's id.",
                        Map.of("type", "object",
                                "properties", orderedMap(
                                        "content", Map.of("type", "string", "minLength", 1, "description", "the code"),
                                        "language", Map.of("type", "string"),
                                        "file_path", Map.of("type", "string"),
                                        "title", Map.of("type", "string"),
                                        "block_type", Map.of("type", "string", "enum", NewBlock.BLOCK_TYPES,
                                                "description", "default: " + NewBlock.DEFAULT_BLOCK_TYPE),
                                        "conversation_id", Map.of("type", "string", "format", "uuid"),
                                        "message_id", Map.of("type", "string", "format", "uuid"),
                                        "tags", Map.of("type", "array", "items", Map.of("type", "string", "minLength", 1)),
                                        "start_line", Map.of("type", "integer", "minimum", 1),
                                        "end_line", Map.of("type", "integer", "minimum", 1,
                                                "description", "needs start_line; at least start_line")),
                                "required", List.of("content"),
                                "additionalProperties", false),
                        ADDS, this::saveBlock));
    }

    private Map<String, Object> search(ToolCall call) {
        Map<String, Object> args = call.args();
        Set<CodeKind> kinds = args.get("kinds") == null ? EnumSet.allOf(CodeKind.class)
                : textList(args, "kinds").stream().map(label -> CodeKind.parse("kinds", label))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(CodeKind.class)));
        CodeQuery query = new CodeQuery(text(args, "query"), kinds, optional(args, "language", Arguments::text),
                optional(args, "repository", Arguments::text),
                args.get("limit") == null ? CodeQuery.DEFAULT_LIMIT : whole(args, "limit"));
        return orderedMap("hits", memory.search(call.context(), query).stream().map(CodeTools::hit).toList());
    }

    private Map<String, Object> saveBlock(ToolCall call) {
        Map<String, Object> args = call.args();
        NewBlock block = new NewBlock(text(args, "content"), optional(args, "language", Arguments::text),
                optional(args, "file_path", Arguments::text), optional(args, "title", Arguments::text),
                args.get("block_type") == null ? NewBlock.DEFAULT_BLOCK_TYPE : text(args, "block_type"),
                optional(args, "conversation_id", Arguments::uuid), optional(args, "message_id", Arguments::uuid),
                args.get("tags") == null ? List.of() : textList(args, "tags"),
                optional(args, "start_line", Arguments::whole), optional(args, "end_line", Arguments::whole));
        return orderedMap("id", memory.saveBlock(call.context(), block).toString(), "block_type", block.blockType());
    }

    /** The argument {@code name} read by {@code reader} when given (and not null). */
    private static <T> Optional<T> optional(Map<String, Object> args, String name,
                                            BiFunction<Map<String, Object>, String, T> reader) {
        return args.get(name) == null ? Optional.empty() : Optional.of(reader.apply(args, name));
    }

    private static Map<String, Object> hit(CodeHit hit) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", hit.kind().hitKind());
        out.put("id", hit.id().toString());
        out.put("title", hit.title());
        out.put("snippet", hit.snippet());
        hit.language().ifPresent(language -> out.put("language", language));
        hit.filePath().ifPresent(path -> out.put("file_path", path));
        hit.conversationId().ifPresent(id -> out.put("conversation_id", id.toString()));
        out.put("score", Math.round(hit.score() * 10_000) / 10_000.0);
        return out;
    }
}
