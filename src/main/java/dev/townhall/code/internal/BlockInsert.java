package dev.townhall.code.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.code.NewBlock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.util.PSQLException;

import java.util.Map;
import java.util.UUID;

/**
 * Inserts one code block as the acting user into the acting town (the columns' defaults and row-level security's
 * WITH CHECK). The block's keys to its conversation and message include town_id, so an id another town holds fails
 * them exactly like an id nobody holds; both answer NOT_FOUND naming the field.
 */
public final class BlockInsert {
    /** The foreign keys of code.blocks (code/020) a caller's ids can fail, and the field each checks. */
    private static final Map<String, String> KEY_FIELDS = Map.of(
            "blocks_town_conversation_fkey", "conversation_id",
            "blocks_town_message_fkey", "message_id");
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private BlockInsert() {
    }

    public static UUID run(Handle handle, UUID userId, NewBlock block) {
        try {
            // an absent id is bound as a null of type varchar, hence the casts
            return handle.createQuery("""
                            INSERT INTO code.blocks (user_id, conversation_id, message_id, title, block_type, language,
                                                     file_path, content, start_line, end_line, tags)
                            VALUES (:user, CAST(:conversation AS uuid), CAST(:message AS uuid), :title, :blockType, :language,
                                    :filePath, :content, :startLine, :endLine, :tags)
                            RETURNING id""")
                    .bind("user", userId)
                    .bind("conversation", block.conversationId().orElse(null))
                    .bind("message", block.messageId().orElse(null))
                    .bind("title", block.title().orElse(null))
                    .bind("blockType", block.blockType())
                    .bind("language", block.language().orElse(null))
                    .bind("filePath", block.filePath().orElse(null))
                    .bind("content", block.content())
                    .bind("startLine", block.startLine().orElse(null))
                    .bind("endLine", block.endLine().orElse(null))
                    .bindArray("tags", String.class, block.tags())
                    .mapTo(UUID.class)
                    .one();
        } catch (UnableToExecuteStatementException e) {
            throw refusal(e, block);
        }
    }

    /** The caller's mistake behind {@code failure} in the one error model, or {@code failure} itself. */
    private static RuntimeException refusal(UnableToExecuteStatementException failure, NewBlock block) {
        if (!(failure.getCause() instanceof PSQLException sql)) {
            return failure;
        }
        if (INSUFFICIENT_PRIVILEGE.equals(sql.getSQLState())) {
            return new TownHallException(ErrorCode.FORBIDDEN, "your role in this town may not save code blocks", failure);
        }
        String constraint = sql.getServerErrorMessage() == null ? null : sql.getServerErrorMessage().getConstraint();
        String field = constraint == null ? null : KEY_FIELDS.get(constraint);
        if (FOREIGN_KEY_VIOLATION.equals(sql.getSQLState()) && field != null) {
            UUID id = (field.equals("conversation_id") ? block.conversationId() : block.messageId()).orElseThrow();
            return TownHallException.forField(ErrorCode.NOT_FOUND, field, field + " names no code "
                    + field.replace("_id", "") + " of this town: " + id, failure);
        }
        return failure;
    }
}
