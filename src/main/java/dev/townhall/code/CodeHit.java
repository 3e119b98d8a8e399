package dev.townhall.code;

import java.util.Optional;
import java.util.UUID;

/**
 * One code memory hit: its kind and id, a one-line title (a block's title, else its file path or first line; a
 * message's or pattern's first line), a snippet with the matched words marked «like this», the language and file
 * path when the row has them, the conversation it belongs to, and its full-text rank (higher is better).
 */
public record CodeHit(CodeKind kind, UUID id, String title, String snippet, Optional<String> language,
                      Optional<String> filePath, Optional<UUID> conversationId, double score) {
}
