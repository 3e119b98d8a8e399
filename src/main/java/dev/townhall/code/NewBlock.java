package dev.townhall.code;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A code block to save: its code, and optionally its language, file path, title, type, the conversation and message
 * it came from, tags and the lines of the file it covers. Every way it can be wrong that the table's CHECKs would
 * refuse is refused here first, naming the field; a conversation or message another town holds is refused by the
 * table's keys ({@link CodeMemory#saveBlock}).
 */
public record NewBlock(String content, Optional<String> language, Optional<String> filePath, Optional<String> title,
                       String blockType, Optional<UUID> conversationId, Optional<UUID> messageId, List<String> tags,
                       Optional<Integer> startLine, Optional<Integer> endLine) {
    /** code.blocks' block_type CHECK (code/020). */
    public static final List<String> BLOCK_TYPES = List.of("snippet", "diff", "command", "file", "test");
    public static final String DEFAULT_BLOCK_TYPE = "snippet";

    public NewBlock {
        if (content == null || content.isBlank()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "content", "content must be non-empty code or text");
        }
        language = Text.present(language);
        filePath = Text.present(filePath);
        title = Text.present(title);
        blockType = blockType == null ? DEFAULT_BLOCK_TYPE : blockType;
        if (!BLOCK_TYPES.contains(blockType)) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "block_type", "block_type must be one of "
                    + String.join(", ", BLOCK_TYPES) + ", got '" + blockType + "'");
        }
        conversationId = conversationId == null ? Optional.empty() : conversationId;
        messageId = messageId == null ? Optional.empty() : messageId;
        tags = tags == null ? List.of() : tags;
        if (tags.stream().anyMatch(tag -> tag == null || tag.isBlank())) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "tags", "tags must be non-empty strings");
        }
        tags = tags.stream().map(String::strip).toList();
        startLine = startLine == null ? Optional.empty() : startLine;
        endLine = endLine == null ? Optional.empty() : endLine;
        if (startLine.isPresent() && startLine.get() < 1) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "start_line", "start_line counts from 1, got "
                    + startLine.get());
        }
        if (endLine.isPresent() && startLine.isEmpty()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "end_line", "end_line needs a start_line");
        }
        if (endLine.isPresent() && endLine.get() < startLine.get()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "end_line", "end_line must be at least start_line ("
                    + startLine.get() + "), got " + endLine.get());
        }
    }

    /** Just {@code content}: a snippet with nothing else known. */
    public static NewBlock of(String content) {
        return new NewBlock(content, Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_BLOCK_TYPE,
                Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty());
    }
}
